// libFuzzer target for JSON Lines records: paradedup::jsonl_reader::parse() and
// paradedup::rewrite_jsonl_record() (include/paradedup/jsonl.hpp, src/jsonl.cpp).
//
// Input: the bytes of one line, parsed whole; then each '\n'-separated piece of it, with the
// same reader (so reuse of its buffers is exercised, a long line followed by short ones).
//
// Invariants checked for every parsed line (any violation aborts with a message on stderr):
//   1. parse() never crashes, leaks or hits UB (ASan/UBSan/LSan), and never throws;
//   2. ok => text is valid UTF-8 (paradedup::validate_utf8), message is empty,
//      text_begin < text_end <= line.size(), line[text_begin] == '"' and
//      line[text_end - 1] == '"'; not ok => message not empty, error_offset <= line.size(),
//      text empty;
//   3. ok => rewrite with r.text re-parses ok with the same text, the same id, and the line
//      outside the text span byte-identical;
//   4. ok => rewrite with a different text (r.text plus quotes, backslash, controls, NUL,
//      U+00E9, U+4E2D, U+1F600) re-parses ok with exactly that text;
//   5. ok / no_text / text_not_string => rewrite with an extra member keeps the status, and
//      the extra member is read back as a top-level field;
//   6. differential against simdjson's DOM parser (a separate, complete validator):
//      DOM accepts => not malformed (unless nested deeper than jsonl_max_depth, which DOM is
//      set to allow) and not invalid_utf8, and status, text and id agree with
//      the first "text"/"id" members DOM sees; DOM rejects (other than NUMBER_ERROR, which
//      DOM gives for valid numbers it cannot convert, e.g. 1e999999, and nesting too deep)
//      => malformed or invalid_utf8.

#include <paradedup/jsonl.hpp>
#include <paradedup/utf8.hpp>

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace pd = paradedup;

namespace {

[[noreturn]] void fail(const char* what, std::string_view line) {
  std::fprintf(stderr, "\n*** INVARIANT VIOLATED: %s\n    line (%zu bytes): %.*s\n", what,
               line.size(), static_cast<int>(line.size() > 300 ? 300 : line.size()),
               line.data());
  std::abort();
}

#define CHECK(cond, line)                        \
  do {                                           \
    if (!(cond)) fail(#cond, line);              \
  } while (0)

std::string without_span(std::string_view line, std::size_t b, std::size_t e) {
  return std::string(line.substr(0, b)) + std::string(line.substr(e));
}

// What DOM says about the line: -1 rejected for a reason the reader must share, 0 rejected
// for a reason it need not share (number conversion, depth), 1 accepted (and then the
// expected record fields).
struct dom_view {
  int verdict = 0;
  pd::record_status status = pd::record_status::ok;
  std::string text, id;
  bool has_id = false;
};

dom_view dom_parse(simdjson::dom::parser& parser, std::string_view line) {
  dom_view v;
  std::string_view json = line;
  if (json.substr(0, 3) == "\xEF\xBB\xBF") json.remove_prefix(3);  // the reader skips a BOM
  simdjson::dom::element root;
  const simdjson::error_code e = parser.parse(json.data(), json.size()).get(root);
  if (e) {
    v.verdict = e == simdjson::NUMBER_ERROR || e == simdjson::DEPTH_ERROR ||
                        e == simdjson::CAPACITY || e == simdjson::MEMALLOC
                    ? 0
                    : -1;
    return v;
  }
  v.verdict = 1;
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) {
    v.status = pd::record_status::not_object;
    return v;
  }
  bool have_text = false, have_id = false;
  for (const auto field : obj) {
    if (!have_text && field.key == "text") {
      have_text = true;
      std::string_view s;
      if (field.value.get_string().get(s)) {
        v.status = pd::record_status::text_not_string;
      } else {
        v.text = std::string(s);
      }
    }
    if (!have_id && field.key == "id") {
      have_id = true;
      std::string_view s;
      if (!field.value.get_string().get(s)) {
        v.id = std::string(s);
        v.has_id = true;
      } else if (field.value.is_number()) {
        v.has_id = true;  // raw spelling: compared only for presence
        v.id = "\x01number";
      }
    }
  }
  if (!have_text) v.status = pd::record_status::no_text;
  return v;
}

void check_line(pd::jsonl_reader& reader, simdjson::dom::parser& dom, std::string_view line) {
  const pd::jsonl_record r = reader.parse(line);

  // 2. shape of the record
  if (r.status == pd::record_status::ok) {
    CHECK(r.message.empty(), line);
    CHECK(pd::validate_utf8(r.text).valid, line);
    CHECK(r.text_begin < r.text_end && r.text_end <= line.size(), line);
    CHECK(line[r.text_begin] == '"' && line[r.text_end - 1] == '"', line);
    CHECK(r.text_end - r.text_begin >= 2, line);
    CHECK(r.has_id || r.id.empty(), line);
  } else {
    CHECK(!r.message.empty(), line);
    CHECK(r.error_offset <= line.size(), line);
    CHECK(r.text.empty() && r.text_begin == 0 && r.text_end == 0, line);
  }

  // 6. differential against DOM
  const dom_view d = dom_parse(dom, line);
  const bool rejected =
      r.status == pd::record_status::malformed || r.status == pd::record_status::invalid_utf8;
  const bool too_deep = r.message.find("DEPTH_ERROR") != std::string::npos;
  if (d.verdict == 1 && !too_deep) {
    CHECK(!rejected, line);
    CHECK(r.status == d.status, line);
    if (r.status == pd::record_status::ok) {
      CHECK(r.text == d.text, line);
      CHECK(r.has_id == d.has_id, line);
      if (d.id != "\x01number") CHECK(r.id == d.id, line);
    }
  } else if (d.verdict == -1) {
    CHECK(rejected, line);
  }

  const bool object = r.status == pd::record_status::ok ||
                      r.status == pd::record_status::no_text ||
                      r.status == pd::record_status::text_not_string;
  if (r.status == pd::record_status::ok) {
    // 3. same text
    const std::string same = pd::rewrite_jsonl_record(line, r, r.text);
    const pd::jsonl_record s = reader.parse(same);
    CHECK(s.status == pd::record_status::ok, line);
    CHECK(s.text == r.text, line);
    CHECK(s.id == r.id && s.has_id == r.has_id, line);
    CHECK(without_span(same, s.text_begin, s.text_end) ==
              without_span(line, r.text_begin, r.text_end),
          line);
    // 4. another text
    const std::string other = r.text + "\"\\/\n\t\x01\x1F" + std::string(1, '\0') +
                              " \xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80";
    const std::string changed = pd::rewrite_jsonl_record(line, r, other);
    const pd::jsonl_record c = reader.parse(changed);
    CHECK(c.status == pd::record_status::ok, line);
    CHECK(c.text == other, line);
    CHECK(without_span(changed, c.text_begin, c.text_end) ==
              without_span(line, r.text_begin, r.text_end),
          line);
  }
  if (object) {
    // 5. extra member
    const std::string extra = R"("paradedup.fuzz":{"kept":1})";
    const std::string with_extra = pd::rewrite_jsonl_record(line, r, r.text, extra);
    CHECK(reader.parse(with_extra).status == r.status, line);
    // Read as the text field, the added member is an object (not a string), unless the line
    // already had a member of that name: the first one counts (duplicate keys, as jsonl.hpp
    // documents), so the status stays what it was (fuzz/corpus_jsonl/duplicate_extra_member).
    pd::jsonl_reader extra_reader("paradedup.fuzz");
    const pd::record_status had = extra_reader.parse(line).status;
    CHECK(extra_reader.parse(with_extra).status ==
              (had == pd::record_status::no_text ? pd::record_status::text_not_string : had),
          line);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static pd::jsonl_reader reader;  // reused across inputs, as in a corpus run
  static simdjson::dom::parser dom(simdjson::SIMDJSON_MAXSIZE_BYTES);
  static const bool dom_ready = dom.allocate(4096, 4096) == simdjson::SUCCESS;  // depth > ours
  if (!dom_ready) std::abort();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_line(reader, dom, input);
  std::size_t at = 0;
  while (at < input.size()) {
    std::size_t end = input.find('\n', at);
    if (end == std::string_view::npos) {
      if (at == 0) break;  // one line: already checked
      end = input.size();
    }
    check_line(reader, dom, input.substr(at, end - at));
    at = end + 1;
  }
  return 0;
}

// JSON Lines records (include/paradedup/jsonl.hpp), with simdjson's On-Demand API.
//
// Why On-Demand and not the DOM parser: simdjson 3.0.1's DOM parser converts every number
// and fails the whole document with NUMBER_ERROR on 1e999999 or a 500-digit integer, which
// are valid JSON (RFC 8259 section 6 leaves the range to the implementation). On-Demand
// converts nothing unless asked, and gives each value's raw token, so the reader checks
// number syntax itself and never converts. On-Demand validates only what is visited, so the
// walker below visits every value, key and string of the line; it recurses at most
// jsonl_max_depth levels (On-Demand itself has no depth limit).

#include "paradedup/jsonl.hpp"
#include "paradedup/output.hpp"  // detail::append_json_string

#include <simdjson.h>

#include <cassert>
#include <cstdio>   // std::snprintf
#include <cstring>  // std::memcpy, std::memset
#include <new>      // std::bad_alloc
#include <utility>  // std::move

#include "paradedup/utf8.hpp"    // validate_utf8

namespace paradedup {

namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// RFC 8259 section 6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i == n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (is_digit(s[i])) {
    while (i < n && is_digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i == n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i == n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i == n;
}

const char* code_name(error_code e) noexcept {
  switch (e) {
    case simdjson::CAPACITY: return "CAPACITY";
    case simdjson::TAPE_ERROR: return "TAPE_ERROR";
    case simdjson::DEPTH_ERROR: return "DEPTH_ERROR";
    case simdjson::STRING_ERROR: return "STRING_ERROR";
    case simdjson::T_ATOM_ERROR: return "T_ATOM_ERROR";
    case simdjson::F_ATOM_ERROR: return "F_ATOM_ERROR";
    case simdjson::N_ATOM_ERROR: return "N_ATOM_ERROR";
    case simdjson::NUMBER_ERROR: return "NUMBER_ERROR";
    case simdjson::UTF8_ERROR: return "UTF8_ERROR";
    case simdjson::EMPTY: return "EMPTY";
    case simdjson::UNESCAPED_CHARS: return "UNESCAPED_CHARS";
    case simdjson::UNCLOSED_STRING: return "UNCLOSED_STRING";
    case simdjson::INCORRECT_TYPE: return "INCORRECT_TYPE";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "INCOMPLETE_ARRAY_OR_OBJECT";
    case simdjson::TRAILING_CONTENT: return "TRAILING_CONTENT";
    default: return nullptr;
  }
}

// What simdjson's code means for a line of JSON Lines, in words.
std::string describe(error_code e) {
  switch (e) {
    case simdjson::CAPACITY: return "line longer than simdjson's limit of 4 GiB";
    case simdjson::TAPE_ERROR:
      return "unexpected character: a value, comma, colon, quote, bracket or brace is "
             "missing or out of place";
    case simdjson::DEPTH_ERROR:
      return "arrays and objects nested deeper than " + std::to_string(jsonl_max_depth) +
             " levels";
    case simdjson::STRING_ERROR:
      return "invalid string: bad escape sequence, bad \\u hex digits or a lone surrogate";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
    case simdjson::INCORRECT_TYPE: return "invalid literal (expected true, false or null)";
    case simdjson::NUMBER_ERROR: return "invalid number";
    case simdjson::EMPTY: return "empty line (no JSON value)";
    case simdjson::UNESCAPED_CHARS: return "control character not escaped in a string";
    case simdjson::UNCLOSED_STRING: return "string not closed (truncated line?)";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      return "the line ends inside an object or array (truncated line?)";
    case simdjson::TRAILING_CONTENT: return "more content after the end of the JSON value";
    default: return simdjson::error_message(e);
  }
}

// Where stage 1's string errors are: the first raw control character inside a string, or
// the opening quote of the string left open. Same quote/backslash rules as simdjson.
std::size_t locate_string_error(std::string_view s, error_code e) noexcept {
  bool in_string = false;
  std::size_t open = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!in_string) {
      if (c == '"') {
        in_string = true;
        open = i;
      }
    } else if (c == '\\') {
      ++i;
    } else if (c == '"') {
      in_string = false;
    } else if (c < 0x20 && e == simdjson::UNESCAPED_CHARS) {
      return i;
    }
  }
  return in_string ? open : s.size();
}

const char* type_name(od::json_type t) noexcept {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "a value";
}

// Visits every value of one document, validating it; captures the text and id fields of the
// top-level object. On failure, the code and where it happened.
class walker {
 public:
  walker(const char* base, std::size_t size, od::document& doc, std::string_view text_field,
         std::string_view id_field, jsonl_record& r) noexcept
      : base_(base), size_(size), doc_(doc), text_field_(text_field), id_field_(id_field), r_(r) {}

  error_code code = simdjson::SUCCESS;  // the failure, when a method returned false
  std::size_t offset = 0;
  std::string detail;  // replaces describe(code) when not empty

  od::json_type root_type = od::json_type::object;
  bool have_text = false;
  od::json_type text_type = od::json_type::string;
  std::size_t text_offset = 0;

  // The whole document. False when it is not valid JSON.
  bool root(const char* first) {
    if (!note(doc_.type().get(root_type))) return false;
    switch (root_type) {
      case od::json_type::object: {
        od::object o;
        if (const auto e = doc_.get_object().get(o)) return root_unbalanced(e, first);
        if (!fields(o, 1, true)) return false;
        return at_end();
      }
      case od::json_type::array: {
        od::array a;
        if (const auto e = doc_.get_array().get(a)) return root_unbalanced(e, first);
        if (!elements(a, 1)) return false;
        return at_end();
      }
      case od::json_type::string:
      case od::json_type::number:
      case od::json_type::boolean:
      case od::json_type::null: return root_scalar();
    }
    return fail_here(simdjson::TAPE_ERROR);
  }

 private:
  const char* base_;
  std::size_t size_;
  od::document& doc_;
  std::string_view text_field_, id_field_;
  jsonl_record& r_;
  bool have_id_ = false;

  std::size_t offset_of(const char* p) const noexcept {
    return p >= base_ && p <= base_ + size_ ? static_cast<std::size_t>(p - base_) : size_;
  }

  bool fail_at(error_code e, const char* where, std::string what = {}) {
    code = e;
    offset = offset_of(where);
    detail = std::move(what);
    return false;
  }

  // A failure found by simdjson while iterating: it knows where it stopped (the end of the
  // line when it ran out of tokens).
  bool fail_here(error_code e) {
    const char* where = nullptr;
    if (doc_.current_location().get(where) != simdjson::SUCCESS) where = base_ + size_;
    return fail_at(e, where);
  }

  bool note(error_code e) { return e == simdjson::SUCCESS || fail_here(e); }

  // A top-level scalar. simdjson 3.0.1's root getters do not all check that nothing follows
  // (get_string() does not) nor read their token right (is_null() looks one byte too far on
  // "null "), so the one token is checked here.
  bool root_scalar() {
    std::string_view raw;
    if (!note(doc_.raw_json_token().get(raw))) return false;
    if (raw.data() + raw.size() != base_ + size_) {
      return fail_at(simdjson::TRAILING_CONTENT, raw.data() + raw.size());
    }
    const std::string_view tok = trim_right(raw);
    switch (root_type) {
      case od::json_type::string: {
        std::string_view s;
        if (const auto e = doc_.get_string().get(s)) return fail_at(e, tok.data());
        return true;
      }
      case od::json_type::number: return number(tok);
      case od::json_type::boolean:
        if (tok == "true" || tok == "false") return true;
        return fail_at(tok[0] == 't' ? simdjson::T_ATOM_ERROR : simdjson::F_ATOM_ERROR,
                       tok.data());
      case od::json_type::null:
        if (tok == "null") return true;
        return fail_at(simdjson::N_ATOM_ERROR, tok.data());
      default: return fail_at(simdjson::TAPE_ERROR, tok.data());
    }
  }

  // simdjson refuses to start the top-level array or object when the line's last token does
  // not close it, and says INCOMPLETE_ARRAY_OR_OBJECT at byte 0. Count brackets outside
  // strings to tell a truncated line (never back to depth 0: the problem is at its end) from
  // one with something after the value (at the first byte after it).
  bool root_unbalanced(error_code e, const char* first) {
    if (e != simdjson::INCOMPLETE_ARRAY_OR_OBJECT) return fail_here(e);
    std::size_t depth = 0;
    bool in_string = false;
    for (const char* p = first; p < base_ + size_; ++p) {
      const char c = *p;
      if (in_string) {
        if (c == '\\') {
          ++p;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (--depth == 0) {
          const char* q = p + 1;
          while (q < base_ + size_ && is_json_space(*q)) ++q;
          if (q < base_ + size_) return fail_at(simdjson::TRAILING_CONTENT, q);
          return fail_at(simdjson::TAPE_ERROR, p);  // e.g. {"a":1] (a ']' closing a '{')
        }
      }
    }
    return fail_at(e, base_ + size_);
  }

  // After the top-level array or object: nothing but whitespace may follow.
  bool at_end() {
    const char* where = nullptr;
    if (doc_.current_location().get(where) == simdjson::SUCCESS) {
      return fail_at(simdjson::TRAILING_CONTENT, where);
    }
    return true;
  }

  bool number(std::string_view raw) {
    const std::string_view tok = trim_right(raw);
    if (!is_json_number(tok)) return fail_at(simdjson::NUMBER_ERROR, tok.data());
    return true;
  }

  // Any value: `depth` is the depth it has if it is an array or object.
  bool value(od::value v, std::size_t depth) {
    od::json_type t{};
    if (!note(v.type().get(t))) return false;
    const std::string_view raw = v.raw_json_token();
    switch (t) {
      case od::json_type::object: {
        if (depth > jsonl_max_depth) return fail_at(simdjson::DEPTH_ERROR, raw.data());
        od::object o;
        if (!note(v.get_object().get(o))) return false;
        return fields(o, depth, false);
      }
      case od::json_type::array: {
        if (depth > jsonl_max_depth) return fail_at(simdjson::DEPTH_ERROR, raw.data());
        od::array a;
        if (!note(v.get_array().get(a))) return false;
        return elements(a, depth);
      }
      case od::json_type::string: {
        std::string_view s;
        if (const auto e = v.get_string().get(s)) return fail_at(e, raw.data());
        return true;
      }
      case od::json_type::number: return number(raw);
      case od::json_type::boolean: {
        bool b = false;
        if (v.get_bool().get(b) != simdjson::SUCCESS) {
          return fail_at(raw[0] == 't' ? simdjson::T_ATOM_ERROR : simdjson::F_ATOM_ERROR,
                         raw.data());
        }
        return true;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (v.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
          return fail_at(simdjson::N_ATOM_ERROR, raw.data());
        }
        return true;
      }
    }
    return fail_at(simdjson::TAPE_ERROR, raw.data());
  }

  bool elements(od::array& a, std::size_t depth) {
    for (auto element : a) {
      od::value v;
      if (!note(std::move(element).get(v))) return false;
      if (!value(v, depth + 1)) return false;
    }
    return true;
  }

  bool fields(od::object& o, std::size_t depth, bool top) {
    for (auto member : o) {
      od::field f;
      if (!note(std::move(member).get(f))) return false;
      const char* const key_quote = f.key().raw() - 1;  // before unescaped_key() consumes it
      std::string_view key;
      if (const auto e = f.unescaped_key().get(key)) return fail_at(e, key_quote);
      if (top) {
        const bool is_text = !have_text && key == text_field_;
        const bool is_id = !have_id_ && key == id_field_;
        if (is_text || is_id) {
          if (!captured(f.value(), is_text, is_id)) return false;
          continue;
        }
      }
      if (!value(f.value(), depth + 1)) return false;
    }
    return true;
  }

  // The first text field and/or the first id field of the top-level object.
  bool captured(od::value v, bool is_text, bool is_id) {
    od::json_type t{};
    if (!note(v.type().get(t))) return false;
    const std::string_view raw = v.raw_json_token();
    if (is_text) {
      have_text = true;
      text_type = t;
      text_offset = offset_of(raw.data());
    }
    if (is_id) have_id_ = true;
    if (t == od::json_type::string) {
      std::string_view s;
      if (const auto e = v.get_string().get(s)) return fail_at(e, raw.data());
      if (is_text) {
        r_.text.assign(s.data(), s.size());
        r_.text_begin = offset_of(raw.data());
        r_.text_end = r_.text_begin + trim_right(raw).size();
        assert(base_[r_.text_end - 1] == '"');
      }
      if (is_id) {
        r_.id.assign(s.data(), s.size());
        r_.has_id = true;
      }
      return true;
    }
    if (t == od::json_type::number) {
      if (!number(raw)) return false;
      if (is_id) {
        const std::string_view tok = trim_right(raw);
        r_.id.assign(tok.data(), tok.size());
        r_.has_id = true;
      }
      return true;
    }
    return value(v, 2);
  }
};

void set_failure(jsonl_record& r, record_status status, std::size_t offset, std::string message) {
  r.status = status;
  r.error_offset = offset;
  r.message = std::move(message);
  r.text.clear();
  r.id.clear();
  r.has_id = false;
  r.text_begin = r.text_end = 0;
}

void set_malformed(jsonl_record& r, std::string_view line, error_code e, std::size_t offset,
                   std::string what) {
  const utf8_check utf8 = validate_utf8(line);
  if (!utf8.valid) {  // invalid UTF-8 comes first, whatever simdjson reported
    set_failure(r, record_status::invalid_utf8, utf8.error_offset,
                "invalid UTF-8 at byte " + std::to_string(utf8.error_offset));
    return;
  }
  std::string msg = "malformed JSON at byte " + std::to_string(offset) + ": ";
  msg += what.empty() ? describe(e) : what;
  if (const char* name = code_name(e)) {
    msg += " (simdjson ";
    msg += name;
    msg += ')';
  }
  set_failure(r, record_status::malformed, offset, std::move(msg));
}

std::string json_quoted(std::string_view field) {
  std::string out;
  detail::append_json_string(out, field);
  return out;
}

}  // namespace

struct jsonl_reader::impl {
  od::parser parser;
  std::unique_ptr<char[]> buffer;  // the line, then SIMDJSON_PADDING zero bytes
  std::size_t capacity = 0;        // bytes in buffer
  std::string text_field, id_field;
};

jsonl_reader::jsonl_reader(std::string text_field, std::string id_field)
    : impl_(std::make_unique<impl>()) {
  impl_->text_field = std::move(text_field);
  impl_->id_field = std::move(id_field);
}

jsonl_reader::~jsonl_reader() = default;
jsonl_reader::jsonl_reader(jsonl_reader&&) noexcept = default;
jsonl_reader& jsonl_reader::operator=(jsonl_reader&&) noexcept = default;

jsonl_record jsonl_reader::parse(std::string_view line) {
  assert(impl_ && "parse() on a moved-from jsonl_reader");
  impl& m = *impl_;
  jsonl_record r;

  // A UTF-8 byte order mark is skipped (RFC 8259 section 8.1 lets parsers ignore it);
  // offsets still count from the start of the line.
  const std::size_t skip = line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  const std::size_t size = line.size() - skip;
  if (size > simdjson::SIMDJSON_MAXSIZE_BYTES) {
    set_failure(r, record_status::malformed, 0,
                "malformed JSON at byte 0: " + describe(simdjson::CAPACITY));
    return r;
  }

  // One padded copy of the line, grown geometrically; the padding is zeroed on every call
  // so that On-Demand, which may peek one token past the end, sees no stale bracket.
  const std::size_t needed = line.size() + simdjson::SIMDJSON_PADDING;
  if (m.capacity < needed) {
    const std::size_t cap = needed > 2 * m.capacity ? needed : 2 * m.capacity;
    m.buffer = std::make_unique<char[]>(cap);
    m.capacity = cap;
  }
  char* const base = m.buffer.get();
  if (!line.empty()) std::memcpy(base, line.data(), line.size());
  std::memset(base + line.size(), 0, simdjson::SIMDJSON_PADDING);
  // Parser capacity grows geometrically too; max depth one above ours, so that simdjson's
  // development checks (debug builds) have room for every level the walker enters.
  if (m.parser.capacity() < size || m.parser.max_depth() != jsonl_max_depth + 1) {
    std::size_t cap = size > 2 * m.parser.capacity() ? size : 2 * m.parser.capacity();
    if (cap > simdjson::SIMDJSON_MAXSIZE_BYTES) cap = simdjson::SIMDJSON_MAXSIZE_BYTES;
    if (cap < 64) cap = 64;
    const error_code e = m.parser.allocate(cap, jsonl_max_depth + 1);
    if (e == simdjson::MEMALLOC) throw std::bad_alloc();
    if (e != simdjson::SUCCESS) {
      set_malformed(r, line, e, 0, {});
      return r;
    }
  }

  od::document doc;
  const error_code stage1 = m.parser.iterate(base + skip, size, m.capacity - skip).get(doc);
  if (stage1 != simdjson::SUCCESS) {
    if (stage1 == simdjson::MEMALLOC) throw std::bad_alloc();
    std::size_t offset = 0;
    std::string what;
    if (stage1 == simdjson::UNESCAPED_CHARS || stage1 == simdjson::UNCLOSED_STRING) {
      offset = locate_string_error(line, stage1);
      if (stage1 == simdjson::UNESCAPED_CHARS && offset < line.size()) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned char>(line[offset]));
        what = std::string("control character U+") + buf + " not escaped in a string";
      }
    }
    set_malformed(r, line, stage1, offset, std::move(what));
    return r;
  }

  walker w(base, line.size(), doc, m.text_field, m.id_field, r);
  if (!w.root(base + skip)) {
    set_malformed(r, line, w.code, w.offset, std::move(w.detail));
    return r;
  }
  if (w.root_type != od::json_type::object) {
    std::size_t start = skip;
    while (start < line.size() && is_json_space(line[start])) ++start;
    set_failure(r, record_status::not_object, start,
                std::string("the top-level value is ") + type_name(w.root_type) +
                    ", not an object");
    return r;
  }
  if (!w.have_text) {
    set_failure(r, record_status::no_text, 0, "no field " + json_quoted(m.text_field));
    return r;
  }
  if (w.text_type != od::json_type::string) {
    set_failure(r, record_status::text_not_string, w.text_offset,
                "field " + json_quoted(m.text_field) + " at byte " + std::to_string(w.text_offset) +
                    " is " + type_name(w.text_type) + ", not a string");
    return r;
  }
  r.status = record_status::ok;
  return r;
}

std::string rewrite_jsonl_record(std::string_view line, const jsonl_record& r,
                                 std::string_view new_text, std::string_view extra_members) {
  const bool ok = r.status == record_status::ok;
  const bool object = ok || r.status == record_status::no_text ||
                      r.status == record_status::text_not_string;
  assert(object && "rewrite_jsonl_record needs a record whose line is a valid object");
  // The closing brace of the top-level object: the last byte that is not whitespace.
  std::size_t close = line.size();
  while (close > 0 && is_json_space(line[close - 1])) --close;
  if (!object || close == 0 || line[close - 1] != '}' ||
      (ok && (r.text_begin >= r.text_end || r.text_end > close))) {
    assert(!"rewrite_jsonl_record: the record does not belong to this line");
    return std::string(line);
  }
  --close;

  std::string out;
  out.reserve(line.size() + new_text.size() + new_text.size() / 8 + extra_members.size() + 8);
  if (ok) {
    out.append(line.substr(0, r.text_begin));
    detail::append_json_string(out, new_text);
    out.append(line.substr(r.text_end, close - r.text_end));
  } else {
    out.append(line.substr(0, close));
  }
  if (!extra_members.empty()) {
    // Empty object: the byte before the brace, whitespace aside, is its opening brace (a
    // member always ends with a value, never with '{').
    std::size_t before = close;
    while (before > 0 && is_json_space(line[before - 1])) --before;
    const bool empty = before > 0 && line[before - 1] == '{';
    if (!empty) out.push_back(',');
    out.append(extra_members);
  }
  out.append(line.substr(close));
  return out;
}

}  // namespace paradedup

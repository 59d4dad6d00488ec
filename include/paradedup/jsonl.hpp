#ifndef PARADEDUP_JSONL_HPP
#define PARADEDUP_JSONL_HPP

// JSON Lines records for the corpus mode: read the text field (and an id) of one line, and
// write the line back with a new text, every other byte unchanged.
// Compiled part: defined in src/jsonl.cpp (simdjson On-Demand, private), needs
// paradedup::paradedup. No simdjson type appears here.

#include <cstddef>  // std::size_t
#include <memory>   // std::unique_ptr
#include <string>
#include <string_view>

namespace paradedup {

/// What jsonl_reader::parse() found in one line. Listed in order of precedence: a line that
/// is both invalid UTF-8 and malformed is `invalid_utf8`; a malformed array is `malformed`.
enum class record_status {
  ok = 0,           ///< A valid JSON object holding the text field as a string.
  malformed,        ///< Not one complete RFC 8259 JSON value: empty line, truncated line,
                    ///< trailing garbage, bad escape or lone surrogate in any string, raw
                    ///< control character in a string, bad number or literal, missing or
                    ///< extra comma/colon/bracket, nesting deeper than jsonl_max_depth.
  not_object,       ///< Valid JSON whose top-level value is an array, string, number,
                    ///< true, false or null.
  no_text,          ///< A valid JSON object without the text field.
  text_not_string,  ///< A valid JSON object whose text field is a number, object, array,
                    ///< true, false or null.
  invalid_utf8,     ///< The line is not well-formed UTF-8 (RFC 3629), anywhere in it.
};

/// Short name of a record_status for logs and reports: "ok", "malformed JSON",
/// "not an object", "no text field", "text not a string", "invalid UTF-8". Stable.
[[nodiscard]] constexpr std::string_view to_string(record_status s) noexcept {
  switch (s) {
    case record_status::ok: return "ok";
    case record_status::malformed: return "malformed JSON";
    case record_status::not_object: return "not an object";
    case record_status::no_text: return "no text field";
    case record_status::text_not_string: return "text not a string";
    case record_status::invalid_utf8: return "invalid UTF-8";
  }
  return "unknown";
}

/// Deepest nesting of arrays and objects jsonl_reader accepts (the top-level object is
/// depth 1), the same as simdjson's DEFAULT_MAX_DEPTH. Deeper lines are `malformed`.
inline constexpr std::size_t jsonl_max_depth = 1024;

/// One parsed JSON Lines record. Offsets are bytes into the line given to parse().
struct jsonl_record {
  record_status status = record_status::ok;  ///< ok, or why not.
  /// When status != ok: one line for humans saying what and where, for example (for
  /// `{"text":"x"`) `malformed JSON at byte 11: the line ends inside an object or array
  /// (truncated line?) (simdjson INCOMPLETE_ARRAY_OR_OBJECT)`, `invalid UTF-8 at byte 9`,
  /// `field "text" at byte 8 is a number, not a string`. Empty when ok.
  std::string message;
  /// When status != ok: byte offset in the line of the problem (for invalid_utf8 the first
  /// byte of the first bad sequence; for text_not_string the start of the text value; for
  /// not_object the start of the top-level value; for a truncated line its length; 0 for
  /// no_text and for an empty line).
  std::size_t error_offset = 0;
  /// When ok: the decoded value of the text field (escapes resolved, valid UTF-8; may hold
  /// U+0000 from a `\u0000` escape).
  std::string text;
  /// The id field when it is a string (its decoded value) or a number (its JSON text as
  /// written, e.g. "12", "1e999999"); empty when absent or of another type.
  std::string id;
  bool has_id = false;  ///< True when the id field is present as a string or a number.
  /// When ok: the byte span [text_begin, text_end) in the line of the text field's JSON
  /// string token, both quotes included (line[text_begin] == '"', line[text_end - 1] == '"').
  std::size_t text_begin = 0;
  std::size_t text_end = 0;  ///< The end of that span (see text_begin).
};

/// Reads JSON Lines records, one line at a time, with simdjson (On-Demand API). Reuses its
/// parser and a padded copy buffer across calls: in steady state parse() allocates only the
/// strings of the record it returns.
///
/// What parse() validates (all of RFC 8259 for the whole line, not only the fields it
/// returns): UTF-8 (simdjson's validator), structure (commas, colons, brackets, one value,
/// nothing after it but whitespace), every string and key (escapes, surrogate pairs, no raw
/// control characters), every literal, and the syntax of every number. Numbers are never
/// converted, so huge or very precise numbers (1e999999, a 500-digit integer), which are
/// valid JSON, are accepted anywhere (simdjson 3.0.1's DOM parser rejects them with
/// NUMBER_ERROR; this reader does not use it). Nesting deeper than jsonl_max_depth (1024)
/// is `malformed`, without recursion past that depth: a 100000-deep `[[[...` is safe.
/// Not checked: duplicate keys (allowed by RFC 8259; the first text field and the first id
/// field win, later ones are validated and ignored). Keys are compared after unescaping,
/// so "te\u0078t" is the text field. Tolerated: JSON whitespace (space, tab, CR, LF) before
/// and after the value, so a trailing `\r` from a CRLF file; a UTF-8 byte order mark at the
/// start of the line (RFC 8259 lets parsers ignore it; spans still count its 3 bytes).
///
/// Not thread-safe: use one reader per thread. A moved-from reader may only be destroyed or
/// assigned to.
///
/// Example:
///   paradedup::jsonl_reader reader;                    // fields "text" and "id"
///   const paradedup::jsonl_record r = reader.parse(R"({"id":7,"text":"Hello"})");
///   if (r.status == paradedup::record_status::ok) use(r.id, r.text);  // "7", "Hello"
///   else log(to_string(r.status), r.message);
class jsonl_reader {
 public:
  /// A reader returning the field named `text_field` as the text and `id_field` as the id
  /// (names compared with keys after unescaping; they may be equal). Cost: no parsing
  /// buffer is allocated until the first parse(). Throws std::bad_alloc only.
  explicit jsonl_reader(std::string text_field = "text", std::string id_field = "id");
  ~jsonl_reader();
  /// Movable (the parser goes with it), not copyable.
  jsonl_reader(jsonl_reader&&) noexcept;
  /// Movable, not copyable.
  jsonl_reader& operator=(jsonl_reader&&) noexcept;
  jsonl_reader(const jsonl_reader&) = delete;
  jsonl_reader& operator=(const jsonl_reader&) = delete;

  /// Parses one line, given without its line end (`\n`); a trailing `\r` is JSON
  /// whitespace and tolerated. Never throws for bad input: the status says what is wrong,
  /// the message and error_offset where (see jsonl_record). Lines over 4 GiB are
  /// `malformed` (simdjson's limit). Throws std::bad_alloc only.
  /// Cost: one copy of the line into the reader's padded buffer (grown to the longest line
  /// so far), simdjson's SIMD indexing and one pass over the structure: about 1.9-2.1 GB/s
  /// on records of Debian copyright files (2-25 KB each; one AMD EPYC core). Stack: one
  /// recursion level per nesting level, at most jsonl_max_depth; about 250 KB at the limit in
  /// an optimized build, 2 MB unoptimized with ASan (so fine on 4 MB TBB worker stacks).
  [[nodiscard]] jsonl_record parse(std::string_view line);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The line with the text field's value replaced by `new_text`, written as a JSON string
/// (quotes, backslash and control characters escaped, everything else as is); every other
/// byte of the line is unchanged, including whitespace, key order, escapes in other fields,
/// number spellings and a trailing '\r'. When `extra_members` is not empty (e.g.
/// `"paradedup":{"removed":3}`), it is added as the last member of the top-level object:
/// `,` + extra_members just before the closing brace (no comma when the object is empty).
///
/// Requires: `r` is what jsonl_reader::parse(line) returned for this `line`, with status
/// ok, no_text or text_not_string (a valid object); for no_text and text_not_string the
/// text is left as it is and `new_text` is ignored, so extra members can still be added.
/// (Other statuses: asserted; without assertions the line comes back unchanged.)
/// `new_text` valid UTF-8 and `extra_members` one or more valid JSON members, for the
/// result to be valid JSON: neither is checked.
/// Cost: one pass over the line and new_text; one allocation. Throws std::bad_alloc only.
///
/// Example:
///   const std::string line = R"({"id":7,"text":"A\nA","lang":"en"})";
///   const auto r = reader.parse(line);
///   rewrite_jsonl_record(line, r, "A", R"("paradedup":{"removed":1})");
///   // -> {"id":7,"text":"A","lang":"en","paradedup":{"removed":1}}
[[nodiscard]] std::string rewrite_jsonl_record(std::string_view line, const jsonl_record& r,
                                               std::string_view new_text,
                                               std::string_view extra_members = {});

}  // namespace paradedup

#endif  // PARADEDUP_JSONL_HPP

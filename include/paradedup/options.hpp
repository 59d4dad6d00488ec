#ifndef PARADEDUP_OPTIONS_HPP
#define PARADEDUP_OPTIONS_HPP

#include <cerrno>
#include <cstdio>   // std::snprintf
#include <cstddef>  // std::size_t
#include <cstdlib>  // std::strtod, std::strtol, std::strtoull
#include <string>
#include <string_view>

#include "paradedup/error.hpp"

namespace paradedup {

/// How a document is cut into paragraphs (see segment.hpp).
enum class segment_mode {
  lines,  ///< Each non-blank line is a paragraph (scraped articles, one paragraph per line).
  blank,  ///< Runs of non-blank lines are paragraphs (hard-wrapped text, blank-line separated).
  auto_,  ///< Chosen per document by choose_segment_mode(); spelled "auto" everywhere else.
};

/// What to do with a document that is not valid UTF-8.
enum class invalid_policy {
  fail,     ///< Throw paradedup::error(errc::invalid_utf8, offset of the first bad byte).
  skip,     ///< Pass the document through unchanged, nothing removed, with a diagnostic.
  replace,  ///< Compare with each bad byte read as U+FFFD; output keeps the original bytes.
};

/// Which near repeats may be removed.
enum class near_rule {
  /// The default: a near repeat or block member goes only when it adds no token that its
  /// source lacks and drops no negation or number of the part of the source that it covers
  /// (verify()). Safe: a paragraph that says something new stays.
  subset,
  /// Shingle similarity alone decides (the threshold, the block rules), as tools without a
  /// no-loss rule do: more recall, and a near copy that changed a figure, a name or a
  /// negation is removed too. For corpus builders who want near copies gone regardless.
  similar,
};

/// "subset", "similar".
[[nodiscard]] constexpr std::string_view to_string(near_rule r) noexcept {
  return r == near_rule::similar ? "similar" : "subset";
}

/// Every knob of the document pipeline, with its default. Settings that shape hashes
/// (marked "hash") must match for two fingerprints to be comparable.
struct options {
  /// Paragraph segmentation. Default: auto_. (hash)
  segment_mode mode = segment_mode::auto_;
  /// Near-duplicate threshold: a paragraph is a near duplicate when at least this share of
  /// its distinct shingles occurs in one earlier paragraph (or in two neighbours, for a copy
  /// that merged them). Range (0, 1]. Default 0.85, measured on Debian's manuals in four
  /// languages (docs/tuning.md): 0.23% of distinct paragraphs score that high (mostly
  /// templated lines), a copy with one edited word or character reaches it from 30 tokens on,
  /// Traditional/Simplified and punctuation variants score 1. An edited paragraph inside a
  /// repeated block goes with the block even below the threshold (detail::bridge_share).
  double threshold = 0.85;
  /// Tokens per shingle. Range 1..32. Default 5: 5 words in English, 5 characters (about 2-3
  /// words) in Chinese and Japanese. Measured for n = 2..8 (docs/tuning.md): once the
  /// threshold is matched every n trades false positives for recall alike; 5 keeps chance
  /// overlap with all earlier text low (for corpus mode) and tolerates appended text. (hash)
  int shingle = 5;
  /// Paragraphs with fewer normalized characters (letters and digits, after normalization)
  /// are never removed alone, only inside or at the edge of a repeated block. Default 20.
  int min_chars = 20;
  /// Fold Traditional Chinese characters to Simplified before comparing. Default true. (hash)
  bool fold_han = true;
  /// Fold every decimal digit to 0 before comparing ("page 12" matches "page 13"). Default
  /// false. (hash)
  bool fold_digits = false;
  /// Only exact duplicates (same normalized text); no shingles, no near duplicates. Default
  /// false. (hash: a corpus index made with it holds no shingles)
  bool exact_only = false;
  /// Invalid UTF-8 handling. Default fail.
  invalid_policy on_invalid = invalid_policy::fail;
  /// A document longer than this many bytes is passed through unchanged, with a diagnostic
  /// (errc::too_large), instead of being compared: the tables take about 64 bytes per token
  /// (20x the text for Chinese), so this bounds memory. Default 256 MiB (about 5 GB of
  /// tables for Chinese, 3 GB for English).
  std::size_t max_document_bytes = std::size_t{256} << 20;
  /// Memory budget for one document's tables, in bytes; 0 for none. The tables are
  /// estimated (detail::table_estimate(): 48 bytes per shingle, 16 per token and 800 per
  /// paragraph, plus the output copy; the peak RSS measured on English, Chinese and Japanese
  /// text in lines and blank mode, near and exact_only, was 0.55-0.9 of it) after
  /// segmenting and while the paragraphs are read, every 256 paragraphs; a document whose
  /// estimate passes the budget is passed through unchanged, with an errc::too_large
  /// diagnostic naming this option, before the larger tables (shingle index, candidates) are
  /// built. Not counted: the input text, which the caller holds. Default 4 GiB.
  std::size_t max_memory = std::size_t{4} << 30;
  /// Which near repeats and block members may be removed: subset (the no-loss rule,
  /// verify.hpp: nothing added, no negation or number dropped) or similar (shingles alone).
  /// Exact repeats are removed under both. Default subset.
  near_rule near = near_rule::subset;
};

/// Names as used by the CLI, the JSON report and the index header.
[[nodiscard]] constexpr std::string_view to_string(segment_mode m) noexcept {
  switch (m) {
    case segment_mode::lines: return "lines";
    case segment_mode::blank: return "blank";
    case segment_mode::auto_: return "auto";
  }
  return "auto";
}

/// Names as used by the CLI ("fail", "skip", "replace").
[[nodiscard]] constexpr std::string_view to_string(invalid_policy p) noexcept {
  switch (p) {
    case invalid_policy::fail: return "fail";
    case invalid_policy::skip: return "skip";
    case invalid_policy::replace: return "replace";
  }
  return "fail";
}

/// Throws paradedup::error(errc::invalid_option) naming the first field out of range.
inline void validate(const options& o) {
  if (!(o.threshold > 0.0 && o.threshold <= 1.0)) {
    throw error(errc::invalid_option, 0, "threshold must be in (0, 1], got " +
                                             std::to_string(o.threshold));
  }
  if (o.shingle < 1 || o.shingle > 32) {
    throw error(errc::invalid_option, 0,
                "shingle must be in 1..32, got " + std::to_string(o.shingle));
  }
  if (o.min_chars < 0) {
    throw error(errc::invalid_option, 0,
                "min_chars must be >= 0, got " + std::to_string(o.min_chars));
  }
}

/// Describes one field of `options` in the settings schema (see visit_settings).
struct setting_info {
  std::string_view name;        ///< Stable key ("threshold"): index headers, reports, bindings.
  std::string_view flag;        ///< CLI flag ("--threshold"; "--no-fold-han" for fold_han).
  std::string_view value_name;  ///< Placeholder in --help ("X"), empty for a switch.
  std::string_view help;        ///< One line for --help, with the default in brackets.
  bool shapes_hashes;           ///< True when a change makes fingerprints incomparable, or
                                ///< changes what a corpus index holds (exact_only).
};

/// The settings schema: calls v(setting_info, field) for every field of o, in a fixed order.
/// This one list is where the CLI flags, their --help text, and (for corpus indexes) the
/// recorded settings come from, so that they cannot drift apart. A switch (bool field) has
/// a flag that sets the field to the opposite of its default. Works on const and non-const
/// options.
template <typename Options, typename Visitor>
inline void visit_settings(Options& o, Visitor&& v) {
  v(setting_info{"mode", "--mode", "MODE",
                 "paragraphs: lines (each non-blank line), blank (blocks between blank lines), "
                 "or auto (chosen per document) [auto]",
                 true},
    o.mode);
  v(setting_info{"threshold", "--threshold", "X",
                 "near repeat when at least this share of a paragraph's shingles is in an "
                 "earlier paragraph (or two neighbours, merged) [0.85]",
                 false},
    o.threshold);
  v(setting_info{"shingle", "--shingle", "N",
                 "tokens per shingle; a token is a word, or one CJK/Thai character [5]", true},
    o.shingle);
  v(setting_info{"min_chars", "--min-chars", "N",
                 "paragraphs with fewer letters and digits are removed only with a repeated "
                 "block, never alone [20]",
                 false},
    o.min_chars);
  v(setting_info{"fold_han", "--no-fold-han", "",
                 "do not fold Traditional Chinese to Simplified before comparing", true},
    o.fold_han);
  v(setting_info{"fold_digits", "--fold-digits", "", "compare with every digit read as 0",
                 true},
    o.fold_digits);
  v(setting_info{"exact_only", "--exact-only", "",
                 "only exact repeats (after normalization); no near duplicates", true},
    o.exact_only);
  v(setting_info{"on_invalid", "--on-invalid", "P",
                 "a document that is not valid UTF-8: fail, skip (pass it through unchanged, "
                 "with a warning), or replace (compare bad bytes as U+FFFD, keep them) [fail; "
                 "the CLI: skip]",
                 false},
    o.on_invalid);
  v(setting_info{"max_document_bytes", "--max-document-bytes", "N",
                 "a longer document is passed through unchanged, with a warning, instead of "
                 "being compared (bounds memory: ~64 bytes per token) [268435456]",
                 false},
    o.max_document_bytes);
  v(setting_info{"max_memory", "--max-memory", "N",
                 "memory budget for one document's tables, in bytes (suffix K, M or G); a "
                 "document estimated past it is passed through unchanged, with a warning "
                 "[4G; 0: none]",
                 false},
    o.max_memory);
  v(setting_info{"near_rule", "--near-rule", "RULE",
                 "which near repeats may go: subset (only those that add no word, number or "
                 "character to their source and drop none of its negations and numbers) or "
                 "similar (shingle similarity alone; loses edited figures, names, negations) "
                 "[subset]",
                 false},
    o.near);
}

namespace detail {

inline bool parse_setting(std::string_view text, segment_mode& out) {
  if (text == "lines") out = segment_mode::lines;
  else if (text == "blank") out = segment_mode::blank;
  else if (text == "auto") out = segment_mode::auto_;
  else return false;
  return true;
}
inline bool parse_setting(std::string_view text, near_rule& out) {
  if (text == "subset") out = near_rule::subset;
  else if (text == "similar") out = near_rule::similar;
  else return false;
  return true;
}
inline bool parse_setting(std::string_view text, invalid_policy& out) {
  if (text == "fail") out = invalid_policy::fail;
  else if (text == "skip") out = invalid_policy::skip;
  else if (text == "replace") out = invalid_policy::replace;
  else return false;
  return true;
}
inline bool parse_setting(std::string_view text, double& out) {
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || errno != 0) return false;
  out = d;
  return true;
}
inline bool parse_setting(std::string_view text, int& out) {
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const long l = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || errno != 0 || l < -1000000000L || l > 1000000000L) {
    return false;
  }
  out = static_cast<int>(l);
  return true;
}
// A count of bytes or items: digits, then optionally one binary suffix K, M, G or T (either
// case: 4G is 4 * 2^30).
inline bool parse_setting(std::string_view text, std::size_t& out) {
  const std::string s(text);
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 10);
  if (errno != 0) return false;
  if (*end != '\0') {
    int shift = 0;
    switch (*end) {
      case 'K': case 'k': shift = 10; break;
      case 'M': case 'm': shift = 20; break;
      case 'G': case 'g': shift = 30; break;
      case 'T': case 't': shift = 40; break;
      default: return false;
    }
    if (end[1] != '\0' || v > (~0ull >> shift)) return false;
    v <<= shift;
  }
  if (v > static_cast<unsigned long long>(static_cast<std::size_t>(-1))) return false;
  out = static_cast<std::size_t>(v);
  return true;
}
inline bool parse_setting(std::string_view text, bool& out) {
  if (text == "true" || text == "1") out = true;
  else if (text == "false" || text == "0") out = false;
  else return false;
  return true;
}

inline std::string format_setting(segment_mode v) { return std::string(to_string(v)); }
inline std::string format_setting(invalid_policy v) { return std::string(to_string(v)); }
inline std::string format_setting(near_rule v) { return std::string(to_string(v)); }
inline std::string format_setting(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);  // round-trips exactly through strtod
  return buf;
}
inline std::string format_setting(int v) { return std::to_string(v); }
inline std::string format_setting(bool v) { return v ? "true" : "false"; }
inline std::string format_setting(std::size_t v) { return std::to_string(v); }

}  // namespace detail

/// Sets the field called `name` (a setting_info::name) from text ("0.9", "blank", "true").
/// Returns false, leaving o unchanged, when there is no such setting or the text does not
/// parse; ranges are checked by validate(), not here.
[[nodiscard]] inline bool set_setting(options& o, std::string_view name,
                                      std::string_view text) {
  bool found = false, ok = false;
  visit_settings(o, [&](const setting_info& info, auto& field) {
    if (found || info.name != name) return;
    found = true;
    auto value = field;
    ok = detail::parse_setting(text, value);
    if (ok) field = value;
  });
  return found && ok;
}

/// The field called `name` as text, in the form set_setting() reads; empty if unknown.
[[nodiscard]] inline std::string get_setting(const options& o, std::string_view name) {
  std::string out;
  visit_settings(o, [&](const setting_info& info, const auto& field) {
    if (info.name == name) out = detail::format_setting(field);
  });
  return out;
}

}  // namespace paradedup

#endif  // PARADEDUP_OPTIONS_HPP

#ifndef PARADEDUP_OPTIONS_HPP
#define PARADEDUP_OPTIONS_HPP

#include <cstddef>  // std::size_t
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
  /// false.
  bool exact_only = false;
  /// Invalid UTF-8 handling. Default fail.
  invalid_policy on_invalid = invalid_policy::fail;
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

}  // namespace paradedup

#endif  // PARADEDUP_OPTIONS_HPP

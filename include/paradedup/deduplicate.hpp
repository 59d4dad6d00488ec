#ifndef PARADEDUP_DEDUPLICATE_HPP
#define PARADEDUP_DEDUPLICATE_HPP

// The entry point: one document in, the cleaned text and the report out. It runs the stages
// in order: segment -> normalize -> tokenize + fingerprint -> detect -> decide -> output.

#include <algorithm>  // std::sort, std::unique
#include <cstddef>    // std::size_t
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/decide.hpp"
#include "paradedup/detect.hpp"
#include "paradedup/error.hpp"
#include "paradedup/fingerprint.hpp"
#include "paradedup/normalize.hpp"
#include "paradedup/options.hpp"
#include "paradedup/output.hpp"
#include "paradedup/segment.hpp"
#include "paradedup/utf8.hpp"

namespace paradedup {

/// Everything deduplicate() found in one document.
struct result {
  std::string text;           ///< The document without its repeats (see render_text()).
  segmentation segments;      ///< Its paragraphs, as byte spans of the input.
  decision removed;           ///< What was removed as a repeat inside the document
                              ///< (removed.removed), the blocks, and removed.dropped: one
                              ///< flag per paragraph for every removal, from_corpus included.
  std::vector<corpus_match> from_corpus;  ///< Corpus mode (corpus.hpp): paragraphs removed
                                          ///< because an earlier document held them.
  std::vector<diagnostic> diagnostics;  ///< Problems that did not stop the call.
  bool passed_through = false;  ///< True when the document was returned unchanged because
                                ///< of a problem (invalid UTF-8 under invalid_policy::skip).

  /// Number of paragraphs kept.
  [[nodiscard]] std::size_t kept() const noexcept {
    return segments.paragraphs.size() - removed.removed.size() - from_corpus.size();
  }
};

/// The report line of a result: report_json() of its paragraphs and removals (output.hpp),
/// with its corpus removals when `corpus`. A document passed through unchecked
/// (result::passed_through) also gets "passed_through": true and "reason" (its first
/// diagnostic), so that its line does not read as "checked, no repeats" (review of
/// 2026-11-30: a document skipped for invalid UTF-8 reported "removed": [] and nothing else).
[[nodiscard]] inline std::string report_json(std::string_view name, const result& r,
                                             bool corpus = false) {
  std::string out = report_json(name, r.segments, r.removed, corpus ? &r.from_corpus : nullptr);
  if (r.passed_through) {
    out.pop_back();  // the closing brace
    out.append(",\"passed_through\":true,\"reason\":");
    const std::string_view reason = r.diagnostics.empty()
                                        ? std::string_view("not checked")
                                        : std::string_view(r.diagnostics.front().message);
    detail::append_json_text(out, reason);
    out.push_back('}');
  }
  return out;
}

namespace detail {

// compute_features() with each paragraph's shingles in text order, repeats included:
// index_shingles() (detect.hpp) sorts them all at once.
inline std::vector<paragraph_features> unsorted_features(std::string_view text,
                                                         const segmentation& seg,
                                                         const options& o) {
  validate(o);
  std::vector<paragraph_features> out(seg.paragraphs.size());
  std::string canonical, clean;
  for (std::size_t i = 0; i < seg.paragraphs.size(); ++i) {
    const paragraph& p = seg.paragraphs[i];
    std::string_view body = text.substr(p.begin, p.end - p.begin);
    if (o.on_invalid == invalid_policy::replace && !validate_utf8(body).valid) {
      clean = detail::replace_invalid_utf8(body);
      body = clean;
    }
    out[i].chars = canonicalize(body, o, canonical);
    out[i].exact = exact_fingerprint(canonical);
    if (!o.exact_only) {
      // At most one token per 2 bytes (a word and its space) or per CJK character (3
      // bytes): reserving for one per 3 avoids most regrowth without doubling English lists.
      out[i].shingles.reserve(canonical.size() / 3 + static_cast<std::size_t>(o.shingle));
      append_shingles(canonical, o.shingle, out[i].shingles, &out[i].facts);
    }
  }
  return out;
}

}  // namespace detail

/// Computes the features of each paragraph: canonical form (canonicalize()), its exact
/// fingerprint, its shingles (unless o.exact_only; sorted and distinct, as shingle_hashes()
/// gives them) and its character count.
/// Requires: text is valid UTF-8, unless o.on_invalid is replace (bad bytes are ignored).
/// ICU-backed through canonicalize(): needs paradedup::paradedup.
[[nodiscard]] inline std::vector<paragraph_features> compute_features(std::string_view text,
                                                                      const segmentation& seg,
                                                                      const options& o) {
  std::vector<paragraph_features> out = detail::unsorted_features(text, seg, o);
  for (paragraph_features& f : out) {
    std::sort(f.shingles.begin(), f.shingles.end());
    f.shingles.erase(std::unique(f.shingles.begin(), f.shingles.end()), f.shingles.end());
  }
  return out;
}

namespace detail {

// Everything deduplicate() does but the rendering: fills r (segments, removed, diagnostics,
// passed_through), the paragraphs' features and their shingle index (both empty when passed
// through). Without `detect`, nothing is compared (r.removed stays empty): first passes only
// count features. Corpus mode (corpus.hpp) runs this in parallel, then checks the features against
// its index.
inline void analyze(std::string_view text, const options& o, result& r,
                    std::vector<paragraph_features>& features, shingle_index& shingles,
                    bool detect = true) {
  validate(o);
  features.clear();
  shingles = {};
  if (text.size() > o.max_document_bytes) {
    r.diagnostics.push_back({errc::too_large, 0,
                             "document of " + std::to_string(text.size()) +
                                 " bytes is longer than max_document_bytes (" +
                                 std::to_string(o.max_document_bytes) +
                                 "); passed through unchanged"});
    r.passed_through = true;
    r.segments.mode = o.mode == segment_mode::auto_ ? segment_mode::lines : o.mode;
    return;
  }
  const utf8_check check = validate_utf8(text);
  if (!check.valid) {
    std::string what = "invalid UTF-8 at byte " + std::to_string(check.error_offset);
    if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') ||
                             (text[0] == '\xFE' && text[1] == '\xFF'))) {
      what += " (the input starts with a UTF-16 byte order mark: convert it to UTF-8 first, "
              "e.g. iconv -f UTF-16 -t UTF-8)";
    }
    if (o.on_invalid == invalid_policy::fail) {
      throw error(errc::invalid_utf8, check.error_offset, what);
    }
    r.diagnostics.push_back({errc::invalid_utf8, check.error_offset,
                             o.on_invalid == invalid_policy::skip
                                 ? what + "; document passed through unchanged"
                                 : what + "; compared as U+FFFD, kept in the output"});
  }
  r.segments = split_paragraphs(text, o.mode);
  r.removed.dropped.assign(r.segments.paragraphs.size(), false);
  if (!check.valid && o.on_invalid == invalid_policy::skip) {
    r.passed_through = true;
    return;
  }
  features = unsorted_features(text, r.segments, o);
  check_document_size(features);
  index_shingles(&features, features, shingles);
  if (detect) r.removed = decide(find_duplicates_unchecked(features, shingles, o), features, o);
}

}  // namespace detail

/// Removes repeated paragraphs from one UTF-8 document and says what it removed and why.
///
/// The first occurrence of each paragraph is kept; a later exact or near repeat is removed,
/// and so is a repeated block with the short paragraphs inside it (see options for the
/// knobs). Kept text is byte-identical to the input; a document without repeats comes back
/// unchanged.
/// Errors: invalid UTF-8 throws paradedup::error(errc::invalid_utf8, offset of the first bad
/// byte) under invalid_policy::fail (the default); skip returns the text unchanged with a
/// diagnostic; replace compares as if each bad byte were U+FFFD and keeps them in the output.
/// Bad options throw errc::invalid_option. NUL bytes are valid and kept. A document longer
/// than o.max_document_bytes is returned unchanged (passed_through) with an errc::too_large
/// diagnostic, without being read further: nothing is segmented or compared.
/// Cost: linear in the text in practice. Memory: about 64 bytes per token for the shingle
/// tables (a token is a word or one CJK character), so about 20x the text for Chinese and
/// Japanese and 10x for English, plus the output copy.
/// ICU-backed: needs paradedup::paradedup.
///
/// Example:
///   paradedup::result r = paradedup::deduplicate("Hello there, world.\nSecond line.\n"
///                                                "Hello there, world!\n");
///   // r.text == "Hello there, world.\nSecond line.\n"
///   // r.removed.removed[0].kind == paradedup::duplicate_kind::exact
[[nodiscard]] inline result deduplicate(std::string_view text, const options& o = {}) {
  result r;
  std::vector<paragraph_features> features;
  shingle_index shingles;
  detail::analyze(text, o, r, features, shingles);
  if (r.passed_through) {
    r.text.assign(text);
  } else {
    r.text = render_text(text, r.segments, r.removed.dropped);
  }
  return r;
}

}  // namespace paradedup

#endif  // PARADEDUP_DEDUPLICATE_HPP

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

// The features of one paragraph (into *f, with `canonical` its canonical form), or only the
// canonical form and, with `content`, its content (for explain_removals()).
inline void paragraph_body(std::string_view text, const paragraph& p, const options& o,
                           std::string& clean, std::string& canonical, paragraph_features* f,
                           paragraph_content* content = nullptr) {
  std::string_view body = text.substr(p.begin, p.end - p.begin);
  if (o.on_invalid == invalid_policy::replace && !validate_utf8(body).valid) {
    clean = detail::replace_invalid_utf8(body);
    body = clean;
  }
  const std::size_t chars = canonicalize(body, o, canonical);
  if (o.exact_only && f != nullptr) {
    f->chars = chars;
    f->exact = exact_fingerprint(canonical);
    return;
  }
  // A leading source tag ("【本報訊】") is left out of the shingles and may be decoration
  // (verify()): count its tokens.
  std::uint32_t tag_tokens = 0;
  if (const std::size_t tag = leading_tag_bytes(body); tag > 0) {
    thread_local std::string tag_canonical;
    canonicalize(body.substr(0, tag), o, tag_canonical);
    for_each_token(tag_canonical, [&](std::string_view) { ++tag_tokens; });
  }
  thread_local std::vector<std::uint64_t> scratch;
  std::vector<std::uint64_t>& shingles = f != nullptr ? f->shingles : scratch;
  shingles.clear();
  if (f != nullptr) {
    f->chars = chars;
    f->exact = exact_fingerprint(canonical);
    // At most one token per 2 bytes (a word and its space) or per CJK character (3
    // bytes): reserving for one per 3 avoids most regrowth without doubling English lists.
    shingles.reserve(canonical.size() / 3 + static_cast<std::size_t>(o.shingle));
    f->content.tokens.reserve(canonical.size() / 3 + 1);
    content = &f->content;
  }
  append_shingles(canonical, o.shingle, shingles, content, tag_tokens);
}

// compute_features() with each paragraph's shingles in text order, repeats included:
// index_shingles() (detect.hpp) sorts them all at once.
inline std::vector<paragraph_features> unsorted_features(std::string_view text,
                                                         const segmentation& seg,
                                                         const options& o) {
  validate(o);
  std::vector<paragraph_features> out(seg.paragraphs.size());
  std::string canonical, clean;
  for (std::size_t i = 0; i < seg.paragraphs.size(); ++i) {
    paragraph_body(text, seg.paragraphs[i], o, clean, canonical, &out[i]);
  }
  return out;
}

// The canonical tokens of one or two paragraphs (two: one after the other) and their
// content, for explain_removals().
struct paragraph_text {
  std::string canonical;
  std::vector<std::string> tokens;
  paragraph_content content;
};

inline paragraph_text text_of(std::string_view text, const segmentation& seg, const options& o,
                              std::size_t i) {
  paragraph_text t;
  std::string clean;
  paragraph_body(text, seg.paragraphs[i], o, clean, t.canonical, nullptr, &t.content);
  for_each_token(t.canonical, [&](std::string_view k) { t.tokens.emplace_back(k); });
  return t;
}

inline paragraph_text text_of(std::string_view text, const segmentation& seg, const options& o,
                              std::size_t i, std::size_t j) {
  paragraph_text a = text_of(text, seg, o, std::min(i, j));
  paragraph_text b = text_of(text, seg, o, std::max(i, j));
  a.content = concatenate(a.content, b.content);
  a.tokens.insert(a.tokens.end(), b.tokens.begin(), b.tokens.end());
  return a;
}

// The spelling of a guard: its token, or the negation that starts there ("n't", "ない").
inline std::string guard_text(const std::vector<std::string>& tokens, const guard& g) {
  for (std::uint32_t back = 0; back <= 2; ++back) {
    const std::size_t at = g.at + back;
    if (at >= tokens.size()) break;
    const negation neg = negation_at(tokens[at], at >= 1 ? tokens[at - 1] : std::string_view(),
                                     at >= 2 ? tokens[at - 2] : std::string_view());
    if (!neg.spelling.empty() && neg.back == back) return std::string(neg.spelling);
  }
  return g.at < tokens.size() ? tokens[g.at] : std::string();
}

// Fills the added / missing tokens of a removal or a kept look-alike, in text order.
inline void explain(const paragraph_text& copy, const paragraph_text& source,
                    std::vector<std::string>& added, std::vector<std::string>& missing,
                    bool words_left_out) {
  const verdict v = check_content(copy.content, ref(source.content));
  for (std::uint32_t at : v.added) added.push_back(copy.tokens[at]);
  for (std::uint32_t g : v.added_guards) {
    const std::string t = guard_text(copy.tokens, copy.content.guards[g]);
    if (std::find(added.begin(), added.end(), t) == added.end()) added.push_back(t);
  }
  for (std::uint32_t g : v.missing) missing.push_back(guard_text(source.tokens, source.content.guards[g]));
  if (!words_left_out) return;
  // The source's tokens that the copy lacks (as multisets), in the source's order.
  std::vector<std::string_view> ours(copy.tokens.begin(), copy.tokens.end());
  std::sort(ours.begin(), ours.end());
  std::vector<bool> used(ours.size(), false);
  for (const std::string& t : source.tokens) {
    auto it = std::lower_bound(ours.begin(), ours.end(), std::string_view(t));
    while (it != ours.end() && *it == t && used[static_cast<std::size_t>(it - ours.begin())]) ++it;
    if (it != ours.end() && *it == t) {
      used[static_cast<std::size_t>(it - ours.begin())] = true;
    } else if (std::find(missing.begin(), missing.end(), t) == missing.end()) {
      missing.push_back(t);
    }
  }
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

/// Fills the tokens that differ (removal::added / missing, kept_look_alike::added / missing)
/// for each removal of r.removed that is not exact and each kept look-alike, from `text` (the
/// document r came from) and the options it was made with. deduplicate() calls it; corpus
/// mode (corpus::prepare()) does not, since only a report needs it: call it before
/// report_json(). Cost: each such paragraph and its source canonicalized again.
/// ICU-backed through canonicalize(): needs paradedup::paradedup.
inline void explain_removals(std::string_view text, const options& o, result& r) {
  using detail::explain;
  using detail::text_of;
  if (o.exact_only) return;
  for (removal& x : r.removed.removed) {
    if (x.kind == duplicate_kind::exact) continue;
    const detail::paragraph_text copy = text_of(text, r.segments, o, x.index);
    const detail::paragraph_text source = x.merged ? text_of(text, r.segments, o, x.duplicate_of, x.also_of)
                                           : text_of(text, r.segments, o, x.duplicate_of);
    explain(copy, source, x.added, x.missing, true);
  }
  for (kept_look_alike& k : r.removed.kept_near) {
    const detail::paragraph_text copy = text_of(text, r.segments, o, k.index);
    const detail::paragraph_text source = k.merged ? text_of(text, r.segments, o, k.of, k.also_of)
                                           : text_of(text, r.segments, o, k.of);
    explain(copy, source, k.added, k.missing, false);
  }
}

namespace detail {

// Everything deduplicate() does but the rendering: fills r (segments, removed, diagnostics,
// passed_through), the paragraphs' features and their shingle index (both empty when passed
// through). Without `detect`, nothing is compared (r.removed stays empty): first passes only
// count features. Corpus mode (corpus.hpp) runs this in parallel, then checks the features against
// its index.
inline void analyze(std::string_view text, const options& o, result& r,
                    std::vector<paragraph_features>& features, shingle_index& shingles,
                    bool detect = true, bool explain = false) {
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
  if (detect) {
    r.removed = decide(find_duplicates_unchecked(features, shingles, o), features, o);
    if (explain) explain_removals(text, o, r);
  }
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
  detail::analyze(text, o, r, features, shingles, true, true);
  if (r.passed_through) {
    r.text.assign(text);
  } else {
    r.text = render_text(text, r.segments, r.removed.dropped);
  }
  return r;
}

}  // namespace paradedup

#endif  // PARADEDUP_DEDUPLICATE_HPP

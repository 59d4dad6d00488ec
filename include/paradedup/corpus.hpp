#ifndef PARADEDUP_CORPUS_HPP
#define PARADEDUP_CORPUS_HPP

// Corpus mode, part 2: removes from each document what earlier documents already contained,
// on top of its own repeats. Documents go through three steps:
//   prepare (any thread):   the whole single-document pipeline (deduplicate.hpp) but the
//                           rendering, keeping each paragraph's features;
//   commit (in input order): check the kept paragraphs against the index, then add every
//                           paragraph of the document to it;
//   finish (any thread):    render the text.
// corpus_run.hpp runs them on threads, deterministically; corpus::deduplicate() runs them in
// turn for one document.

#include <algorithm>  // std::stable_sort
#include <cmath>      // std::sqrt
#include <cstddef>    // std::size_t
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>  // std::move
#include <vector>

#include "paradedup/corpus_index.hpp"
#include "paradedup/deduplicate.hpp"

namespace paradedup {

/// Which copy of a paragraph repeated across documents stays.
enum class keep_policy {
  first,    ///< The first document holding it keeps it; later ones lose it (the default).
  longest,  ///< The longest document holding it keeps it (ties: the earlier one). Needs all
            ///< documents first: documents are committed longest first (longest_first()).
  none,     ///< No document keeps it, as CCNet does: needs a first pass (repeat_counter).
};

/// "first", "longest", "none".
[[nodiscard]] constexpr std::string_view to_string(keep_policy k) noexcept {
  switch (k) {
    case keep_policy::first: return "first";
    case keep_policy::longest: return "longest";
    case keep_policy::none: return "none";
  }
  return "first";
}

/// One document between prepare() and finish().
struct prepared_document {
  std::string_view text;  ///< The document; the caller keeps it alive until finish().
  result doc;             ///< Its in-document result (text not yet rendered).
  std::vector<paragraph_features> features;  ///< Per paragraph; empty when passed through.
  /// Its distinct shingles and the paragraphs holding each (from the single-document
  /// pipeline, which needs them too); commit() looks each distinct shingle up once.
  shingle_index shingles;
};

/// A corpus run: an index (owned) and a keep policy.
///
/// A paragraph is removed as a corpus repeat when it was not already removed as a repeat
/// inside its own document and either
///   - its exact fingerprint is in the index (kind exact), or
///   - at least options::threshold of its distinct shingles are in the index (kind near;
///     not with exact_only), and, with an exact index, one earlier paragraph holds
///     options::threshold of it too (source_bar()), measured through its sketch: exactly
///     when it has at most corpus_index::sketch_size shingles (with its two neighbours when
///     these are few enough too), else on the sample of this paragraph's shingles that the
///     sketch decides (at least 16). That paragraph is named as the source, and the share is
///     the similarity. Without this, a paragraph gathered from pieces of several documents
///     would go ("Please note that the following address types are supported by the
///     current version of the tool." after one document held its first half and another its
///     second). The index keeps no link from every shingle to its paragraph (that keeps the
///     shingle store near 7 bytes per shingle): the sketches, up to 144 bytes per distinct
///     paragraph, stand for it. As inside a document, the no-loss rule (verify()) must hold
///     against that source, whose sketch carries its content (tokens and guards: about 110
///     bytes per distinct paragraph in the index file). With a Bloom index, or with
///     keep_policy::none, there is no source to verify against: near repeats across documents
///     are then removed only under near_rule::similar (the share held anywhere decides, so a
///     paragraph gathered from pieces of several earlier ones can go, and the match is
///     approximate); under near_rule::subset, the default, only exact repeats are.
/// A paragraph with fewer than options::min_chars characters is removed only inside a run of
/// consecutive removed paragraphs that holds a long corpus repeat (kind block), as inside a
/// document, and not at the end of that run when it ends in a colon and a kept paragraph
/// follows (it introduces that paragraph: "See also:"). A paragraph with no letter or digit
/// is never a corpus repeat.
/// Then every paragraph of the document, removed or not, is added to the index ("seen" means
/// "occurred in an earlier document"), so a corpus cut in shards and resumed from the saved
/// index gives the output of one run.
class corpus {
 public:
  /// Takes the index over (a new one, or corpus_index::load()). Options are the index's.
  explicit corpus(corpus_index index, keep_policy keep = keep_policy::first)
      : index_(std::move(index)), keep_(keep), first_ordinal_(index_.documents()) {}

  /// For keep_policy::none: the counts of a first pass over the same documents in the same
  /// order (not owned; must outlive the corpus). Also for the two-pass mode with first or
  /// longest: only shingles the counter saw in two documents are stored.
  void use_repeats(const repeat_counter* repeats) noexcept { repeats_ = repeats; }

  /// Step 1, thread-safe (const): the single-document pipeline on `text`, without the
  /// rendering. Throws what deduplicate() throws (invalid UTF-8 under invalid_policy::fail).
  [[nodiscard]] prepared_document prepare(std::string_view text) const {
    prepared_document p;
    prepare(text, p);
    return p;
  }
  /// The same into p, whose features and shingles keep their storage (an earlier document's,
  /// say): a caller that reuses a few prepared_documents allocates per paragraph only where a
  /// paragraph is longer than the one it replaces. p.doc is reset.
  void prepare(std::string_view text, prepared_document& p) const {
    p.text = text;
    p.doc = result{};
    detail::analyze(text, index_.settings(), p.doc, p.features, p.shingles);
  }

  /// Step 2, in input order (not thread-safe): fills p.doc.from_corpus and marks those
  /// paragraphs in p.doc.removed.dropped, then adds the document to the index under `id`.
  /// Returns the document's ordinal in the index.
  std::uint32_t commit(prepared_document& p, std::string_view id);

  /// Step 3, thread-safe: the rendered text (p.doc.text) and the finished result.
  [[nodiscard]] static result finish(prepared_document&& p) {
    if (p.doc.passed_through) {
      p.doc.text.assign(p.text);
    } else {
      p.doc.text = render_text(p.text, p.doc.segments, p.doc.removed.dropped);
    }
    return std::move(p.doc);
  }

  /// The three steps for one document, in the calling thread.
  [[nodiscard]] result deduplicate(std::string_view text, std::string_view id) {
    prepared_document p = prepare(text);
    commit(p, id);
    return finish(std::move(p));
  }

  /// Samples of one earlier paragraph that a near repeat must hold (exact index kind), out of
  /// corpus_index::samples_per_paragraph: they only find the candidate sources, whose
  /// sketches then measure the share of the paragraph each holds
  /// (corpus_index::find_near_source()). With 2, fewer true sources were found (copyright
  /// near removals 108 instead of 253, with an earlier form of the sketches).
  static constexpr std::uint32_t min_source_samples = 1;
  /// The share of a paragraph that its source must hold: options::threshold when measured
  /// exactly (a complete sketch), else that less one standard error of the sampled share,
  /// sqrt(t (1 - t) / measured) (0.063 at 0.85 on 32 shingles, 0.089 on the fewest, 16), so
  /// that a copy right at the threshold is not missed half the time.
  [[nodiscard]] static double source_bar(const corpus_source& s, const options& o) noexcept {
    const double t = o.threshold;
    if (!s.sampled || s.measured == 0) return t;
    return t - std::sqrt(t * (1.0 - t) / static_cast<double>(s.measured));
  }

  /// The index: what earlier documents held (and, after a commit, this one).
  [[nodiscard]] const corpus_index& index() const noexcept { return index_; }
  /// The index, to save or merge; not while documents are being committed.
  [[nodiscard]] corpus_index& index() noexcept { return index_; }
  /// Which copy of a repeated paragraph stays.
  [[nodiscard]] keep_policy keep() const noexcept { return keep_; }
  /// Paragraphs removed as corpus repeats so far.
  [[nodiscard]] std::uint64_t removed_paragraphs() const noexcept { return removed_; }

 private:
  corpus_index index_;
  keep_policy keep_;
  std::uint32_t first_ordinal_;
  const repeat_counter* repeats_ = nullptr;
  std::uint64_t removed_ = 0;
};

namespace detail {
// True when the paragraph's text ends in ':' or a full-width '：' (U+FF1A), spaces aside.
inline bool ends_with_colon(std::string_view text, const paragraph& para) noexcept {
  std::string_view t = text.substr(para.begin, para.end - para.begin);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (!t.empty() && t.back() == ':') return true;
  return t.size() >= 3 && t.substr(t.size() - 3) == "\xEF\xBC\x9A";
}
}  // namespace detail

/// The order in which keep_policy::longest commits documents: by decreasing length, ties in
/// input order (a stable sort). Output stays in input order; only the commits follow this.
[[nodiscard]] inline std::vector<std::size_t> longest_first(
    const std::vector<std::size_t>& lengths) {
  std::vector<std::size_t> order(lengths.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; });
  return order;
}

inline std::uint32_t corpus::commit(prepared_document& p, std::string_view id) {
  if (keep_ == keep_policy::none && repeats_ == nullptr) {
    throw error(errc::invalid_option, 0, "keep_policy::none needs use_repeats() (a first pass)");
  }
  result& r = p.doc;
  const options& o = index_.settings();
  const std::size_t n = p.features.size();
  // Look up and add in one go: the index answers "held before this document?" for each
  // paragraph fingerprint and each distinct shingle, then holds them.
  const std::uint32_t ordinal = index_.begin_document(id);
  const std::uint32_t counter_ordinal = ordinal - first_ordinal_;
  std::vector<corpus_source> exact;
  index_.add_paragraphs(p.features, ordinal, exact);
  std::vector<char> present;
  const shingle_index& sh = p.shingles;
  index_.add_shingles(sh, exact, repeats_, present);
  // Shingles of each paragraph that the index held before.
  std::vector<std::uint32_t> held(n, 0);
  for (std::size_t k = 0, h = 0; k < sh.distinct.size(); ++k) {
    for (; h < sh.holders_end[k]; ++h) held[sh.holders[h]] += present[k] != 0;
  }
  const bool none = keep_ == keep_policy::none;
  std::vector<corpus_match> hits(n);
  for (std::size_t i = 0; i < n; ++i) {
    const paragraph_features& f = p.features[i];
    if (r.removed.dropped[i] || f.chars == 0) continue;
    corpus_match& m = hits[i];
    m.index = i;
    corpus_source src = exact[i];
    if (none) {
      src = repeats_->other_copy(f.exact, counter_ordinal);
      if (src.found) src.document += first_ordinal_;
    }
    if (src.found) {
      m.kind = duplicate_kind::exact;
      m.similarity = 1.0;
    } else if (!o.exact_only && !f.shingles.empty() &&
               (o.near == near_rule::similar || (!none && index_.kind() == index_kind::exact))) {
      std::size_t seen = 0;
      if (none) {
        for (std::uint64_t s : f.shingles) seen += repeats_->repeated(s);
      } else {
        seen = held[i];
      }
      const double share = static_cast<double>(seen) / static_cast<double>(f.shingles.size());
      if (share >= o.threshold) {
        // With an exact index, a near repeat must also have a source: one earlier paragraph
        // that holds options::threshold of it, measured through its sketch (source_bar()),
        // found through its samples among these shingles. The share above counts shingles held
        // anywhere: they may have been gathered from several paragraphs ("Please note that
        // the following address types" from one line and "are supported by the current
        // version of the tool" from another).
        double similarity = share;
        if (!none && index_.kind() == index_kind::exact) {
          src = index_.find_near_source(f.shingles, ordinal);
          if (src.samples < min_source_samples || src.estimate < source_bar(src, o)) continue;
          // And, as inside a document, the no-loss rule must hold against it.
          if (o.near == near_rule::subset && !index_.verify(f.content, src).holds) continue;
          similarity = src.estimate;
        }
        m.kind = duplicate_kind::near;
        m.similarity = similarity;
        src.approximate |= index_.kind() == index_kind::bloom;
      }
    }
    if (m.kind == duplicate_kind::none) continue;
    m.approximate = src.approximate;
    m.source_known = src.known && src.document < ordinal;
    if (m.source_known) {
      m.document = src.document;
      m.document_id = index_.document_id(src.document);
      m.paragraph = src.paragraph;
    } else if (src.known) {  // keep none: a later document holds the other copy
      m.document = src.document;
      m.paragraph = src.paragraph;
    }
  }
  // Short paragraphs go only with a run of removed paragraphs holding a long corpus repeat.
  for (std::size_t i = 0; i < n;) {
    if (hits[i].kind == duplicate_kind::none && !r.removed.dropped[i]) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool qualifies = false;
    while (j < n && (hits[j].kind != duplicate_kind::none || r.removed.dropped[j])) {
      qualifies |= hits[j].kind != duplicate_kind::none &&
                   p.features[j].chars >= static_cast<std::size_t>(o.min_chars);
      ++j;
    }
    // A short corpus repeat ending in a colon at the run's end stays when a kept paragraph
    // follows: it introduces it ("See also:" before a new "sprocket(1)": removed with the
    // boilerplate above it, the heading would leave its list without it). Only with the
    // colon: the short last line of a wrapped repeated paragraph must still go with the
    // lines above it.
    std::size_t tail = j;
    if (j < n && hits[j - 1].kind != duplicate_kind::none && !r.removed.dropped[j - 1] &&
        p.features[j - 1].chars < static_cast<std::size_t>(o.min_chars) &&
        detail::ends_with_colon(p.text, r.segments.paragraphs[j - 1])) {
      tail = j - 1;
    }
    for (std::size_t k = i; k < j; ++k) {
      corpus_match& m = hits[k];
      if (m.kind == duplicate_kind::none) continue;
      const bool is_short = p.features[k].chars < static_cast<std::size_t>(o.min_chars);
      if (is_short && (!qualifies || k >= tail)) continue;
      if (is_short) m.kind = duplicate_kind::block;
      r.removed.dropped[k] = true;
      r.from_corpus.push_back(std::move(m));
    }
    i = j;
  }
  removed_ += r.from_corpus.size();
  return ordinal;
}

}  // namespace paradedup

#endif  // PARADEDUP_CORPUS_HPP

#ifndef PARADEDUP_DETECT_HPP
#define PARADEDUP_DETECT_HPP

// Stage 5 of the pipeline: which paragraphs repeat earlier ones, exactly, nearly, or as part
// of a repeated block. Detection only: decide.hpp turns this into what to drop.

#include <algorithm>  // std::sort, std::partial_sort, std::binary_search, std::min, std::includes
#include <iterator>   // std::back_inserter
#include <cstddef>    // std::size_t
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>  // std::pair
#include <vector>

#include "paradedup/detail/postings.hpp"
#include "paradedup/error.hpp"
#include "paradedup/fingerprint.hpp"
#include "paradedup/options.hpp"

namespace paradedup {

/// What detection needs to know of one paragraph (compute_features() in deduplicate.hpp).
struct paragraph_features {
  fingerprint exact;                    ///< exact_fingerprint() of the canonical form.
  std::vector<std::uint64_t> shingles;  ///< shingle_hashes(): distinct, sorted.
  std::size_t chars = 0;                ///< Letters, marks and digits of the canonical form.
  /// Its tokens and guards (negations, numbers), which the no-loss rule compares (verify()).
  /// Empty with options::exact_only (not computed: exact repeats need no verification).
  paragraph_content content;
};

/// The distinct shingles of a document and the paragraphs holding each: find_duplicates()
/// finds candidates through it, and corpus mode looks each distinct shingle up once in its
/// index. Paragraphs with no characters (chars == 0) are left out: they are never compared.
struct shingle_index {
  std::vector<std::uint64_t> distinct;  ///< Ascending.
  /// The paragraphs holding distinct[k], ascending, are holders[holders_end[k-1] ..
  /// holders_end[k]) (from 0 for k = 0).
  std::vector<std::uint32_t> holders;
  std::vector<std::uint32_t> holders_end;  ///< Where each list of holders ends (see holders).

  /// Number of paragraphs holding distinct[k].
  [[nodiscard]] std::size_t holder_count(std::size_t k) const noexcept {
    return holders_end[k] - (k == 0 ? 0 : holders_end[k - 1]);
  }
};

/// An earlier paragraph that a paragraph repeats, and how much of it.
struct candidate {
  std::size_t of = 0;       ///< Index of the earlier paragraph.
  double similarity = 0.0;  ///< 1 for an exact repeat, else the share of this paragraph's
                            ///< shingles that the earlier paragraph contains.
};

/// How a paragraph repeats earlier text.
enum class duplicate_kind {
  none,   ///< Not a repeat.
  exact,  ///< Same canonical text as an earlier paragraph.
  near,   ///< At least options::threshold of its shingles are in one earlier paragraph, or
          ///< in two neighbours that it merges (it holds at least 70% of each of them).
  block,  ///< Removed only as part of a repeated block: short (below options::min_chars), or
          ///< an edited paragraph bridging the block (detail::bridge_share).
};

/// Names used in reports: "none", "exact", "near", "block".
[[nodiscard]] constexpr std::string_view to_string(duplicate_kind k) noexcept {
  switch (k) {
    case duplicate_kind::none: return "none";
    case duplicate_kind::exact: return "exact";
    case duplicate_kind::near: return "near";
    case duplicate_kind::block: return "block";
  }
  return "none";
}

/// Detection result for one paragraph.
struct paragraph_match {
  duplicate_kind kind = duplicate_kind::none;  ///< exact or near when it repeats on its own.
  bool is_short = false;     ///< chars < options::min_chars: never removed alone.
  double similarity = 0.0;   ///< Share of its shingles in best (plus second, when merged).
  std::size_t best = 0;      ///< Best-matching earlier paragraph (valid when kind != none).
  bool merged = false;       ///< The match needed a second earlier paragraph, `second`.
  std::size_t second = 0;    ///< That second paragraph, when merged.
  /// True when it repeats nothing on its own but sits inside a repeated block, between two
  /// members, and holds at least detail::bridge_share of its shingles in the paragraph at the
  /// block's position (an edited paragraph of a copy). candidates then holds that paragraph.
  bool bridged = false;
  /// Under near detection, for a paragraph that repeats nothing: at least the largest share
  /// of its shingles that any two earlier paragraphs hold together (the sum of the two
  /// largest shares, measured for those it met best, bounded for the others; at most 2).
  /// Removing other paragraphs cannot make it a near repeat, of one source or of a merge of
  /// two, while reach is under options::threshold (detail::settle()). Float: a bound, rounded
  /// up on use.
  float reach = 0.0f;
  /// Earlier paragraphs it repeats, by ascending index: its earlier exact twins (the first
  /// detail::max_twins (64); only the first detail::min_twins (4) once the document has
  /// stored 4 per paragraph plus 65,536 in all), or, for a near repeat, the measured
  /// candidates (detail::max_verified) holding at least half as much of it as the best one,
  /// plus the merged second.
  std::vector<candidate> candidates;
  /// The best look-alike that the no-loss rule refused as its source (verify()): a paragraph
  /// over options::threshold (or two merged), or one at its block's position holding
  /// detail::bridge_share of it, that it adds to or whose negations or numbers it drops.
  /// Reported as kept_near when the paragraph stays, so that what the rule cost is visible.
  struct look_alike {
    bool found = false;        ///< A source was refused.
    std::size_t of = 0;        ///< The refused source.
    bool merged = false;       ///< With `second`, merged.
    std::size_t second = 0;    ///< The second paragraph, when merged.
    double similarity = 0.0;   ///< Share of this paragraph's shingles it holds.
  };
  look_alike refused;  ///< See look_alike; found == false when none was refused.
};

/// A repeated block: paragraphs repeat_begin..repeat_last repeat first_begin..first_last, in
/// order (inclusive paragraph indices). Its members may be short paragraphs.
struct block {
  std::size_t first_begin = 0;   ///< First paragraph of the earlier copy.
  std::size_t first_last = 0;    ///< Last paragraph of the earlier copy.
  std::size_t repeat_begin = 0;  ///< First paragraph of the repeat.
  std::size_t repeat_last = 0;   ///< Last paragraph of the repeat.
};

/// Detection result for a document.
struct detection {
  std::vector<paragraph_match> matches;  ///< One per paragraph.
  /// Runs of consecutive repeats whose matches are in order too: each element is one run, as
  /// (paragraph, matched earlier paragraph) pairs. Runs of one paragraph are included.
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> runs;
};

namespace detail {

/// Largest step between the matches of two consecutive block members: 1 for a faithful copy,
/// 2 when the copy merged two paragraphs or left one out, 3 for both.
inline constexpr std::size_t max_block_step = 3;
/// Earlier holders of a shingle that a paragraph meets through it (the first ones): they find
/// candidates, which are then measured exactly (max_verified of them), so the cap can only
/// hide a source that shares nothing but very common shingles with the paragraph. It bounds
/// the work per shingle: with 64, a 12 MB document made of 32 copies of one text took 18 s,
/// nearly all of it walking posting lists in random memory order.
inline constexpr std::size_t max_postings = 4;
/// Candidates measured exactly per paragraph (sorted-set intersection of shingles). With 4,
/// four near-identical paragraphs could crowd out the best source of a 12-paragraph document
/// (fuzz/regressions/idempotence-verify-cap-default-threshold).
inline constexpr std::size_t max_verified = 8;
/// Earlier exact twins remembered per fingerprint (for block alignment); the first is kept.
inline constexpr std::size_t max_twins = 64;
/// Twin candidates a document stores in all before later paragraphs keep only their first
/// min_twins: twin_budget_per_paragraph per paragraph, plus twin_budget_slack. Without it, a
/// text of a million copies of a few short lines (a log, a table column) held 64 candidates
/// per line: 1.4 GB for 3.7 MB of text. Ordinary documents stay far below it.
inline constexpr std::size_t twin_budget_per_paragraph = 4;
inline constexpr std::size_t twin_budget_slack = 65536;
inline constexpr std::size_t min_twins = 4;
/// Share of its shingles that an edited paragraph inside a repeated block must still hold in
/// the paragraph at its position in the earlier copy to go with the block: the block is
/// context that lowers the bar from options::threshold, but not by much. At 0.5 a copy with a
/// sentence of new facts appended (0.51-0.71) went with its block and the new text was lost,
/// and so did the LGPL 2.1 notice of gettext's copyright file standing where a GPL 3 notice
/// stood before (0.77); two or three small edits in a 75-character paragraph score 0.79-0.85.
inline constexpr double bridge_share = 0.8;
/// The share a bridge needs when it also passes the no-loss rule (near_rule::subset): it adds
/// nothing to the paragraph at its position and drops none of its negations and numbers, so
/// what the bar guards against (new text going with its block) cannot happen; half still
/// asks that it be mostly that paragraph (a copy's paragraph cut in two, or truncated).
inline constexpr double subset_bridge_share = 0.5;
/// A merged copy (two neighbours in one paragraph) must also hold this share of each
/// neighbour's own shingles: list items that start like one neighbour and end like the other
/// ("- provide the argument target on the command line") are not merges of the two.
inline constexpr double merge_part_share = 0.7;

// Whether paragraph i may be removed as a repeat of paragraph q (or of q and r merged, in
// document order): an exact twin always, else verify() under o.near.
inline bool may_repeat(const std::vector<paragraph_features>& paras, std::size_t i,
                       std::size_t q, const options& o) {
  return paras[i].exact == paras[q].exact || o.near == near_rule::similar ||
         content_holds(paras[i].content, ref(paras[q].content));
}
inline bool may_repeat(const std::vector<paragraph_features>& paras, std::size_t i,
                       std::size_t q, std::size_t r, const options& o) {
  if (o.near == near_rule::similar) return true;
  const std::size_t lo = std::min(q, r), hi = std::max(q, r);
  thread_local paragraph_content joined;  // scratch: no allocation once grown
  concatenate(paras[lo].content, paras[hi].content, joined);
  return content_holds(paras[i].content, ref(joined));
}

// Share of a's shingles that b contains; both sorted and distinct. The merge is written
// without branches (the comparisons of random hashes are unpredictable: this loop was most
// of find_duplicates() with if/else); when b is much longer than a, each of a's shingles is
// found by a galloping search instead, so a short paragraph measured against a long one costs
// |a| log |b|, not |b|.
inline double containment(const std::vector<std::uint64_t>& a,
                          const std::vector<std::uint64_t>& b) noexcept {
  if (a.empty()) return 0.0;
  const std::uint64_t* x = a.data();
  const std::uint64_t* const x_end = x + a.size();
  const std::uint64_t* y = b.data();
  const std::uint64_t* const y_end = y + b.size();
  std::size_t common = 0;
  if (b.size() > 16 * a.size()) {
    for (; x < x_end && y < y_end; ++x) {
      std::size_t step = 1;
      const std::uint64_t* hi = y;
      while (hi < y_end && *hi < *x) {  // gallop to a bound, then binary search behind it
        y = hi + 1;
        hi = y_end - hi > static_cast<std::ptrdiff_t>(step) ? hi + step : y_end;
        step *= 2;
      }
      y = std::lower_bound(y, hi, *x);
      if (y < y_end && *y == *x) ++common;
    }
  } else {
    while (x < x_end && y < y_end) {
      const std::uint64_t u = *x, v = *y;
      common += u == v;
      x += u <= v;
      y += v <= u;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size());
}

// Share of a's shingles found in b or c (all sorted and distinct).
inline double containment2(const std::vector<std::uint64_t>& a,
                           const std::vector<std::uint64_t>& b,
                           const std::vector<std::uint64_t>& c) noexcept {
  if (a.empty()) return 0.0;
  std::size_t common = 0;
  for (std::uint64_t x : a) {
    common += std::binary_search(b.begin(), b.end(), x) || std::binary_search(c.begin(), c.end(), x);
  }
  return static_cast<double>(common) / static_cast<double>(a.size());
}

// Picks a match for paragraph `i` that continues a run whose last match is `last` and whose
// repeat starts at `copy_start`; returns false when none does.
inline bool continue_run(const paragraph_match& m, std::size_t last, std::size_t copy_start,
                         std::size_t& out) {
  for (const candidate& c : m.candidates) {
    if (c.of >= last && c.of <= last + max_block_step && c.of < copy_start) {
      out = c.of;
      return true;
    }
  }
  return false;
}

// Refuses a document that the 32-bit paragraph and posting numbers cannot count.
inline void check_document_size(const std::vector<paragraph_features>& paras) {
  std::size_t total_shingles = 0;
  for (const paragraph_features& p : paras) total_shingles += p.shingles.size();
  if (paras.size() >= postings::npos || total_shingles >= postings::npos) {
    throw error(errc::too_large, 0,
                "document too large: " + std::to_string(paras.size()) + " paragraphs, " +
                    std::to_string(total_shingles) + " shingles (limit 2^32-1 each)");
  }
}

struct shingle_pair {
  std::uint64_t hash;
  std::uint32_t paragraph;
};

// The (shingle, paragraph) pairs of the paragraphs with characters, sorted, repeats included.
// Written here rather than with one std::sort over all pairs, which took 10% of corpus mode:
// the hashes are uniform, so one counting pass on their top bits puts them in buckets of
// about four, and each bucket is sorted alone (insertion sort; std::sort past 32 pairs, as
// when a text is copied many times). The scatter keeps paragraph order, so equal hashes
// arrive in order and cost the insertion sort nothing.
inline void sorted_shingle_pairs(const std::vector<paragraph_features>& paras,
                                 std::vector<shingle_pair>& out) {
  std::size_t total = 0;
  for (const paragraph_features& p : paras) total += p.chars == 0 ? 0 : p.shingles.size();
  out.resize(total);
  if (total == 0) return;
  int bits = 1;
  while (bits < 20 && (std::size_t{1} << bits) * 4 < total) ++bits;
  const int shift = 64 - bits;
  std::vector<std::size_t> end((std::size_t{1} << bits) + 1, 0);
  for (const paragraph_features& p : paras) {
    if (p.chars == 0) continue;
    for (std::uint64_t h : p.shingles) ++end[(h >> shift) + 1];
  }
  for (std::size_t b = 1; b < end.size(); ++b) end[b] += end[b - 1];
  for (std::size_t i = 0; i < paras.size(); ++i) {
    if (paras[i].chars == 0) continue;
    for (std::uint64_t h : paras[i].shingles) {
      out[end[h >> shift]++] = {h, static_cast<std::uint32_t>(i)};
    }
  }
  // end[b] is now where bucket b ends.
  const auto less = [](const shingle_pair& x, const shingle_pair& y) {
    return x.hash != y.hash ? x.hash < y.hash : x.paragraph < y.paragraph;
  };
  std::size_t begin = 0;
  for (std::size_t b = 0; b + 1 < end.size(); ++b) {
    shingle_pair* first = out.data() + begin;
    shingle_pair* last = out.data() + end[b];
    begin = end[b];
    if (last - first > 32) {
      std::sort(first, last, less);
      continue;
    }
    for (shingle_pair* k = first + 1; k < last; ++k) {
      const shingle_pair v = *k;
      shingle_pair* j = k;
      for (; j > first && less(v, j[-1]); --j) *j = j[-1];
      *j = v;
    }
  }
}

// index_shingles(); with `rewrite` (the same paragraphs), each paragraph's shingle list, in
// any order and with repeats, is also replaced by its distinct shingles in ascending order.
inline void index_shingles(std::vector<paragraph_features>* rewrite,
                           const std::vector<paragraph_features>& paras, shingle_index& idx) {
  // The pairs (16 bytes a shingle) and the per-paragraph counts below (4 bytes a paragraph)
  // are scratch, kept per thread for the next document unless they pass 64 MiB; the index's
  // vectors keep whatever storage the caller's idx had.
  thread_local std::vector<shingle_pair> pairs;
  thread_local std::vector<std::uint32_t> distinct_of;
  struct release_large {
    ~release_large() {
      constexpr std::size_t most = std::size_t{64} << 20;
      if (pairs.capacity() * sizeof(shingle_pair) > most) pairs = {};
      if (distinct_of.capacity() * sizeof(std::uint32_t) > most) distinct_of = {};
    }
  } release;
  sorted_shingle_pairs(paras, pairs);
  // Sized first (a pass over the pairs), then written by index: no push_back per pair, and
  // a reused idx is only cleared where it grows.
  // With `rewrite`, each paragraph's distinct shingles are counted too (no more than it had),
  // so that its list is cut to that size and written by index as well.
  if (rewrite != nullptr) distinct_of.assign(paras.size(), 0);
  std::size_t lists = 0, held = 0;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const bool new_hash = k == 0 || pairs[k].hash != pairs[k - 1].hash;
    const bool new_holder = new_hash || pairs[k].paragraph != pairs[k - 1].paragraph;
    lists += new_hash;
    held += new_holder;
    if (rewrite != nullptr) distinct_of[pairs[k].paragraph] += new_holder;
  }
  idx.distinct.resize(lists);
  idx.holders.resize(held);
  idx.holders_end.resize(lists);
  if (rewrite != nullptr) {
    for (std::size_t i = 0; i < rewrite->size(); ++i) {
      paragraph_features& p = (*rewrite)[i];
      if (p.chars != 0) {
        p.shingles.resize(distinct_of[i]);  // refilled below from 0, in order
        distinct_of[i] = 0;
      } else {  // never compared, but documented as sorted and distinct all the same
        std::sort(p.shingles.begin(), p.shingles.end());
        p.shingles.erase(std::unique(p.shingles.begin(), p.shingles.end()), p.shingles.end());
      }
    }
  }
  std::size_t list = 0, holder = 0;
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    const shingle_pair& x = pairs[k];
    const bool new_hash = k == 0 || x.hash != pairs[k - 1].hash;
    if (!new_hash && x.paragraph == pairs[k - 1].paragraph) continue;  // twice in it
    if (new_hash) {
      if (k > 0) idx.holders_end[list++] = static_cast<std::uint32_t>(holder);
      idx.distinct[list] = x.hash;
    }
    idx.holders[holder++] = x.paragraph;
    if (rewrite != nullptr) (*rewrite)[x.paragraph].shingles[distinct_of[x.paragraph]++] = x.hash;
  }
  if (!pairs.empty()) idx.holders_end[list] = static_cast<std::uint32_t>(holder);
}

}  // namespace detail

/// The shingle index of a document's paragraphs, whose shingles are sorted and distinct (as
/// compute_features() gives them). Throws errc::too_large for 2^32-1 or more paragraphs or
/// shingles. Cost: O(S) for S shingles in all (a radix pass and small sorts); memory 16 bytes
/// per shingle for the sort (scratch kept per thread up to 64 MiB, for the next document) and
/// 16 for the index (less where shingles repeat).
[[nodiscard]] inline shingle_index index_shingles(const std::vector<paragraph_features>& paras) {
  detail::check_document_size(paras);
  shingle_index idx;
  detail::index_shingles(nullptr, paras, idx);
  return idx;
}

namespace detail {

// find_duplicates() once its inputs are known good: valid options, a document that the
// 32-bit numbers can count, idx == index_shingles(paras) (or that index without shingles held
// once, which meet no one). The document pipeline (analyze()) builds them so and calls this
// directly; the public forms check first. With `search`, near sources are looked for only for
// the paragraphs it marks (the others still are sources, exact twins and block members).
[[nodiscard]] inline detection find_duplicates_unchecked(
    const std::vector<paragraph_features>& paras, const shingle_index& idx, const options& o,
    const std::vector<bool>* search = nullptr) {
  const std::size_t n = paras.size();
  detection out;
  out.matches.resize(n);
  detail::postings exact(n);  // keyed by the low 64 bits; twins re-checked on all 128
  std::vector<std::uint64_t> overlap(n, 0);  // weighted shingles shared with each earlier one
  std::vector<std::uint32_t> touched;

  // Exact twins first: the earlier paragraphs with the same fingerprint, ascending (the
  // first detail::max_twins of them, or detail::min_twins past the document's budget).
  const std::size_t twin_budget =
      detail::twin_budget_per_paragraph * n + detail::twin_budget_slack;
  std::size_t twins_stored = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const paragraph_features& p = paras[i];
    paragraph_match& m = out.matches[i];
    m.is_short = p.chars < static_cast<std::size_t>(o.min_chars);
    if (p.chars == 0) continue;  // nothing to compare (symbols only): never a repeat
    const std::size_t cap = twins_stored < twin_budget ? detail::max_twins : detail::min_twins;
    for (auto e = exact.first(p.exact.low); e != detail::postings::npos; e = exact.next(e)) {
      const std::uint32_t t = exact.value(e);
      if (paras[t].exact != p.exact) continue;
      if (m.candidates.size() == cap) break;
      m.candidates.push_back({t, 1.0});
      ++twins_stored;
      if (m.kind != duplicate_kind::exact) {
        m.kind = duplicate_kind::exact;
        m.best = t;
        m.similarity = 1.0;
      }
    }
    exact.add(p.exact.low, static_cast<std::uint32_t>(i), detail::max_twins);
  }

  // Who meets whom: a shingle held by paragraphs h0 < h1 < ... makes hj (unless an exact
  // twin) meet the first min(j, max_postings) of them, each counting as rare when fewer than
  // max_postings came before (such a list cannot have forgotten the true source). The
  // meetings of paragraph i are meet[meet_begin[i] .. meet_begin[i + 1]). Shingles held once,
  // most of any document, cost nothing here, and neither does a text copied whole.
  struct meeting {
    std::uint32_t of;
    std::uint32_t rare;
  };
  std::vector<std::size_t> meet_begin(n + 1, 0);
  std::vector<meeting> meet;
  // Shingles of each paragraph held by max_postings or more earlier ones: only for these can
  // the meetings miss an earlier holder.
  std::vector<std::uint32_t> crowded;
  std::vector<std::size_t> rest_begin;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> rest;
  if (!o.exact_only) {
    crowded.resize(n);
    for (std::size_t k = 0, b = 0; k < idx.distinct.size(); b = idx.holders_end[k], ++k) {
      const std::size_t count = idx.holders_end[k] - b;
      for (std::size_t j = 1; j < count; ++j) {
        const std::uint32_t at = idx.holders[b + j];
        if (out.matches[at].kind == duplicate_kind::exact) continue;  // never ranks
        if (search != nullptr && !(*search)[at]) continue;
        meet_begin[at + 1] += std::min(j, detail::max_postings);
        crowded[at] += j >= detail::max_postings;
      }
    }
    for (std::size_t i = 0; i < n; ++i) meet_begin[i + 1] += meet_begin[i];
    meet.resize(meet_begin[n]);
    std::vector<std::size_t> fill(meet_begin.begin(), meet_begin.end() - 1);
    // And for each crowded shingle, the earlier holders that the meetings left out:
    // idx.holders[rest[r].first .. rest[r].second), for r in rest_begin[i] .. rest_begin[i + 1].
    rest_begin.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) rest_begin[i + 1] = rest_begin[i] + crowded[i];
    rest.resize(rest_begin[n]);
    std::vector<std::size_t> rest_fill(rest_begin.begin(), rest_begin.end() - 1);
    for (std::size_t k = 0, b = 0; k < idx.distinct.size(); b = idx.holders_end[k], ++k) {
      const std::size_t count = idx.holders_end[k] - b;
      for (std::size_t j = 1; j < count; ++j) {
        const std::size_t earlier = std::min(j, detail::max_postings);
        const std::uint32_t rare = earlier < detail::max_postings;
        const std::uint32_t at = idx.holders[b + j];
        if (out.matches[at].kind == duplicate_kind::exact) continue;
        if (search != nullptr && !(*search)[at]) continue;
        std::size_t& f = fill[at];
        for (std::size_t e = 0; e < earlier; ++e) meet[f++] = {idx.holders[b + e], rare};
        if (!rare) {
          rest[rest_fill[at]++] = {static_cast<std::uint32_t>(b + earlier),
                                   static_cast<std::uint32_t>(b + j)};
        }
      }
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    const paragraph_features& p = paras[i];
    paragraph_match& m = out.matches[i];
    // Exact twins (found above) need no candidates from shingles: those only rank near
    // repeats.
    if (p.chars == 0 || o.exact_only || p.shingles.empty() || m.kind == duplicate_kind::exact ||
        (search != nullptr && !(*search)[i])) {
      continue;
    }
    touched.clear();
    // overlap[q]: shingles shared with q, as (rare << 32) + common: sources sharing rare
    // shingles rank first.
    for (std::size_t e = meet_begin[i]; e < meet_begin[i + 1]; ++e) {
      const std::uint32_t q = meet[e].of;
      if (overlap[q] == 0) touched.push_back(q);
      overlap[q] += meet[e].rare ? (std::uint64_t{1} << 32) : 1u;
    }
    if (m.kind == duplicate_kind::none && !touched.empty()) {
      // The capped meetings undercount; they only rank. The best few are then measured
      // exactly (below), so decisions and reported similarities are exact.
      const std::size_t verify = std::min(touched.size(), detail::max_verified);
      std::partial_sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(verify),
                        touched.end(), [&](std::uint32_t x, std::uint32_t y) {
                          return overlap[x] != overlap[y] ? overlap[x] > overlap[y] : x < y;
                        });
      candidate top[detail::max_verified];
      std::size_t a = touched[0];
      double best_share = -1.0;
      double reach1 = 0.0, reach2 = 0.0;  // the two largest shares (or bounds) of one paragraph
      auto offer = [&](double v) {
        if (v > reach1) {
          reach2 = reach1;
          reach1 = v;
        } else if (v > reach2) {
          reach2 = v;
        }
      };
      for (std::size_t k = 0; k < verify; ++k) {
        const std::uint32_t q = touched[k];
        // The meetings count q's shingles exactly unless a crowded shingle missed it; then
        // the sorted sets are intersected, unless even the most that q can hold (every
        // crowded shingle) could neither be the best nor be kept as a candidate below (half
        // the best, and under the threshold): it is then left out as if never measured.
        const std::uint64_t met_rare = overlap[q] >> 32, met_crowded = overlap[q] & 0xFFFFFFFFu;
        const auto size = static_cast<double>(p.shingles.size());
        if (met_crowded == crowded[i]) {
          top[k] = {q, static_cast<double>(met_rare + met_crowded) / size};
        } else {
          const double most = static_cast<double>(met_rare + crowded[i]) / size;
          if (most * 2 < best_share && most < o.threshold) {
            top[k] = {q, -1.0};
          } else if (std::size_t{crowded[i]} * 4 <= p.shingles.size() + paras[q].shingles.size()) {
            // Few crowded shingles: look q up among the holders each one's meetings left out.
            std::uint64_t held = met_rare + met_crowded;
            for (std::size_t r = rest_begin[i]; r < rest_begin[i + 1]; ++r) {
              held += std::binary_search(idx.holders.begin() + rest[r].first,
                                         idx.holders.begin() + rest[r].second, q);
            }
            top[k] = {q, static_cast<double>(held) / size};
          } else {
            top[k] = {q, detail::containment(p.shingles, paras[q].shingles)};
          }
        }
        if (top[k].similarity > best_share || (top[k].similarity == best_share && q < a)) {
          a = q;
          best_share = top[k].similarity;
        }
        offer(top[k].similarity >= 0.0 ? top[k].similarity
                                       : static_cast<double>(met_rare + crowded[i]) / size);
      }
      // Any other earlier paragraph shares at most the rare shingles it met and the crowded
      // ones (a paragraph that met none: the crowded ones only); two of them may.
      std::uint64_t most_rare = 0;
      for (std::size_t k = verify; k < touched.size(); ++k) {
        most_rare = std::max<std::uint64_t>(most_rare, overlap[touched[k]] >> 32);
      }
      const auto size = static_cast<double>(p.shingles.size());
      for (std::size_t k = verify; k < touched.size() && k < verify + 2; ++k) {
        offer(static_cast<double>(most_rare + crowded[i]) / size);
      }
      if (crowded[i] > 0) {
        offer(static_cast<double>(crowded[i]) / size);
        offer(static_cast<double>(crowded[i]) / size);
      }
      m.reach = static_cast<float>(reach1 + reach2);
      // At least the share of p that q holds: its rare shingles are all met, and it may hold
      // every crowded one. A merge with q holds at most best_share plus this; one that
      // cannot reach the threshold, or a neighbour that cannot hold a quarter, is not
      // measured. (Paragraphs without characters are not indexed: they are measured.)
      auto most_of = [&](std::size_t q) {
        if (paras[q].chars == 0) return 1.0;
        return static_cast<double>((overlap[q] >> 32) + crowded[i]) /
               static_cast<double>(p.shingles.size());
      };
      // The near source: the best measured one that the no-loss rule lets it repeat; when
      // the best does not, the next best over the threshold that does. (Taking none would
      // break idempotence: with the best removed as a repeat, a second pass would find the
      // other.)
      std::size_t near_of = a;
      double near_share = best_share;
      if (best_share >= o.threshold && !detail::may_repeat(paras, i, a, o)) {
        m.refused = {true, a, false, 0, best_share};
        near_share = -1.0;
        for (std::size_t k = 0; k < verify; ++k) {
          const candidate& c = top[k];
          if (c.similarity < o.threshold || c.of == a || !detail::may_repeat(paras, i, c.of, o)) {
            continue;
          }
          if (c.similarity > near_share || (c.similarity == near_share && c.of < near_of)) {
            near_of = c.of;
            near_share = c.similarity;
          }
        }
      }
      if (near_share >= o.threshold) {
        m.kind = duplicate_kind::near;
        m.best = near_of;
        m.similarity = near_share;
      } else if (best_share < o.threshold && best_share * 4 >= 1.0) {
        // A copy may merge two neighbouring paragraphs into one: measure the union of the
        // best one and its better neighbour, each of which must hold a quarter of it. Without
        // these two conditions, rows of a table that differ in one word would each be
        // "covered" by two other rows.
        std::size_t b = a;
        double b_share = 0.0;
        for (const std::size_t q : {a - 1, a + 1}) {
          if (a == 0 && q == a - 1) continue;
          if (q >= i || most_of(q) * 4 < 1.0) continue;
          const double share = detail::containment(p.shingles, paras[q].shingles);
          if (share * 4 >= 1.0 && share > b_share) {
            b = q;
            b_share = share;
          }
        }
        if (b != a &&
            detail::containment(paras[a].shingles, p.shingles) >= detail::merge_part_share &&
            detail::containment(paras[b].shingles, p.shingles) >= detail::merge_part_share) {
          const double share =
              detail::containment2(p.shingles, paras[a].shingles, paras[b].shingles);
          if (share >= o.threshold && !detail::may_repeat(paras, i, a, b, o)) {
            m.refused = {true, a, true, b, share};
          } else if (share >= o.threshold) {
            m.kind = duplicate_kind::near;
            m.best = a;
            m.merged = true;
            m.second = b;
            m.similarity = share;
          }
        }
      }
      if (m.kind == duplicate_kind::none && o.near == near_rule::subset &&
          best_share * 2 >= o.threshold) {
        // A copy may also have joined a short paragraph (a sub-heading) to its neighbour, or
        // the best one may hold enough of it but lack some of its tokens that a neighbour
        // has: the union holding the threshold is then enough without the shares of each
        // above, because verify() against both proves that it adds nothing.
        for (const std::size_t q : {a - 1, a + 1}) {
          if ((a == 0 && q == a - 1) || q >= i || paras[q].chars == 0) continue;
          if (!m.refused.found && paras[q].chars >= static_cast<std::size_t>(o.min_chars)) {
            continue;
          }
          if (best_share + most_of(q) + 1e-9 < o.threshold) continue;
          const double share =
              detail::containment2(p.shingles, paras[a].shingles, paras[q].shingles);
          if (share >= o.threshold && detail::may_repeat(paras, i, a, q, o)) {
            m.kind = duplicate_kind::near;
            m.best = a;
            m.merged = true;
            m.second = q;
            m.similarity = share;
            m.refused = {};
            break;
          }
        }
      }
      if (m.kind == duplicate_kind::near) {
        // Candidates for block alignment: the measured ones at least half as good as the best.
        for (std::size_t k = 0; k < verify; ++k) {
          if (top[k].similarity * 2 >= best_share || top[k].similarity >= o.threshold) {
            m.candidates.push_back(top[k]);  // (the second: fuzz/regressions/*retarget-pool*)
          }
        }
        if (m.merged) {
          bool has_second = false;
          for (const candidate& c : m.candidates) has_second |= c.of == m.second;
          if (!has_second) {
            m.candidates.push_back(
                {m.second, detail::containment(p.shingles, paras[m.second].shingles)});
          }
        }
      }
    }
    for (std::uint32_t q : touched) overlap[q] = 0;
    std::sort(m.candidates.begin(), m.candidates.end(),
              [](const candidate& x, const candidate& y) { return x.of < y.of; });
  }

  // Runs: greedy, left to right. A run of one paragraph may re-anchor on another of its
  // candidates so that the next paragraph continues it (a short label repeated often). A
  // paragraph that repeats nothing may bridge a run (an edited paragraph of a copy) if the
  // run goes on after it.
  std::vector<std::pair<std::size_t, std::size_t>> run;
  bool last_bridged = false;
  std::size_t weak_tail = 0;  // bridges and symbol-only members at the run's end
  auto close = [&] {
    // A bridge must have members on both sides. At an edge it would be the guess "this is
    // the edited or cut end of the copy"; on the ground-truth evaluation that guess removed 6
    // more paragraphs of copyright files that were not repeats, and caught 3 more repeats.
    // So must symbol-only members: a "=====" after a repeated paragraph, opposite one after
    // its original, is the document's own section rule (2 more wrong removals there).
    for (; weak_tail > 0; --weak_tail) run.pop_back();
    last_bridged = false;
    if (!run.empty()) out.runs.push_back(run);
    run.clear();
  };
  for (std::size_t i = 0; i < n; ++i) {
    paragraph_match& m = out.matches[i];
    const bool follows = !run.empty() && run.back().first + 1 == i;
    if (m.candidates.empty()) {
      // A symbol-only paragraph ("+-----+") opposite one at the block's next position goes
      // with the block as a member, not a bridge: a table's border lines come two in a row
      // ("+---+" closing a row, "+---+" opening the next), and a run could bridge only one.
      if (follows && !last_bridged && paras[i].chars == 0) {
        const std::size_t e = run.back().second + 1;
        if (e < run.front().first && paras[e].chars == 0) {
          run.emplace_back(i, e);
          ++weak_tail;
          continue;
        }
      }
      std::size_t best = n;
      double best_share = 0.0;
      // A symbol-only paragraph ("***", "|") bridges only to one at the block's position
      // (equal fingerprints of the empty canonical form give 1; containment of nothing is 0).
      // Under the no-loss rule a bridge must also pass verify(), so it may hold less
      // (detail::subset_bridge_share), or nothing when it is a piece of that paragraph
      // (detail::is_piece), come right after another bridge, and repeat the paragraph that
      // the member before it repeats (the second half of a paragraph that the copy split).
      const bool subset = o.near == near_rule::subset;
      const double bar = subset ? detail::subset_bridge_share : detail::bridge_share;
      if (follows && (!last_bridged || subset)) {
        const std::size_t last = run.back().second, copy_start = run.front().first;
        const std::size_t from = subset && paras[i].chars != 0 ? last : last + 1;
        double refused_share = 0.0;
        for (std::size_t e = from; e <= last + detail::max_block_step && e < copy_start; ++e) {
          const double share = paras[i].exact == paras[e].exact
                                   ? 1.0
                                   : detail::containment(paras[i].shingles, paras[e].shingles);
          if (share <= best_share) continue;
          if (share < bar && !(subset && detail::is_piece(paras[i].content, paras[e].content))) {
            continue;  // a piece of it (a half, a cut end) needs no share: short ones have few
          }
          if (!detail::may_repeat(paras, i, e, o)) {
            if (share >= detail::bridge_share && share > refused_share) {
              refused_share = share;
              if (!m.refused.found || m.refused.similarity < share) {
                m.refused = {true, e, false, 0, share};
              }
            }
            continue;  // an edit that adds or drops what counts is no bridge
          }
          best = e;
          best_share = share;
        }
      }
      if (best < n) {
        run.emplace_back(i, best);
        last_bridged = true;
        ++weak_tail;
        continue;
      }
      close();
      continue;
    }
    if (follows) {
      std::size_t next;
      if (detail::continue_run(m, run.back().second, run.front().first, next)) {
        run.emplace_back(i, next);
        last_bridged = false;
        weak_tail = 0;
        continue;
      }
      if (run.size() == 1) {
        const std::size_t prev = run.front().first;
        bool anchored = false;
        for (const candidate& c : out.matches[prev].candidates) {
          if (detail::continue_run(m, c.of, prev, next)) {
            run.front().second = c.of;
            run.emplace_back(i, next);
            weak_tail = 0;
            anchored = true;
            break;
          }
        }
        if (anchored) continue;
      }
    }
    close();
    run.emplace_back(i, m.kind != duplicate_kind::none ? m.best : m.candidates.front().of);
  }
  close();
  for (const auto& r : out.runs) {
    for (const auto& [i, of] : r) {
      paragraph_match& m = out.matches[i];
      if (!m.candidates.empty()) continue;
      m.bridged = true;
      m.candidates.push_back(
          {of, paras[i].exact == paras[of].exact
                   ? 1.0
                   : detail::containment(paras[i].shingles, paras[of].shingles)});
    }
  }
  return out;
}

}  // namespace detail

/// Finds, for each paragraph, the earlier paragraphs it repeats, and the repeated runs.
///
/// Throws paradedup::error: errc::invalid_option for bad options or a shingle index that
/// cannot be these paragraphs', errc::too_large for a document of 2^32-1 or more paragraphs
/// or shingles.
/// exact: an earlier paragraph has the same fingerprint. near (unless o.exact_only): the
/// share of its distinct shingles found in the best-matching earlier paragraph is at least
/// o.threshold, or, for a copy that merged two neighbouring paragraphs, the share found in
/// the best one and a neighbour of it, when each holds a quarter of it and it holds at least
/// detail::merge_part_share (0.7) of each. Candidates are the first detail::max_postings (4)
/// earlier paragraphs holding each of its shingles (from idx, which must be
/// index_shingles(paras)), ranked by shared rare
/// shingles, and the best detail::max_verified (8) are measured exactly; so "best" is the
/// best of those, and a source sharing only very common shingles can be missed (never the
/// other way: no similarity is overstated). A paragraph with fewer than o.min_chars
/// characters is marked is_short (decide() drops it only inside a run).
/// Runs: consecutive paragraphs each repeating something, whose matches go forward by at
/// most 3 paragraphs each step and all lie before the run's first paragraph; a paragraph that
/// repeats nothing on its own joins a run as a bridge when the run goes on after it and it
/// holds detail::bridge_share (0.8) of the paragraph at its position (an edited copy).
/// Cost: O(total shingles) (at most 4 candidates per shingle, 8 exact measurements per
/// paragraph); memory 8 bytes per (shingle, earlier holder) meeting, so nothing for the
/// shingles held once.
[[nodiscard]] inline detection find_duplicates(const std::vector<paragraph_features>& paras,
                                               const shingle_index& idx, const options& o) {
  validate(o);
  detail::check_document_size(paras);
  // A shingle index of other paragraphs would send the walk out of bounds: check its shape.
  const std::size_t n = paras.size();
  bool fits = idx.holders_end.size() == idx.distinct.size() &&
              (idx.holders_end.empty() ? idx.holders.empty()
                                       : idx.holders_end.back() == idx.holders.size());
  for (std::size_t k = 0, b = 0; fits && k < idx.holders_end.size(); b = idx.holders_end[k++]) {
    fits = idx.holders_end[k] > b;
  }
  for (std::uint32_t h : idx.holders) fits &= h < n;
  if (!fits) {
    throw error(errc::invalid_option, 0,
                "find_duplicates: the shingle index is not index_shingles() of these paragraphs");
  }
  return detail::find_duplicates_unchecked(paras, idx, o);
}

/// find_duplicates() for paragraphs whose shingle index is not at hand: builds it first.
[[nodiscard]] inline detection find_duplicates(const std::vector<paragraph_features>& paras,
                                               const options& o) {
  validate(o);
  return detail::find_duplicates_unchecked(paras, index_shingles(paras), o);
}

}  // namespace paradedup

#endif  // PARADEDUP_DETECT_HPP

#ifndef PARADEDUP_DECIDE_HPP
#define PARADEDUP_DECIDE_HPP

// Stage 6 of the pipeline: from what repeats (detect.hpp) to what is removed. The first
// occurrence is kept; later ones are removed; short paragraphs go only with a block.

#include <algorithm>  // std::binary_search, std::min, std::max
#include <cstddef>    // std::size_t
#include <cstdint>
#include <string>
#include <utility>  // std::move
#include <vector>

#include "paradedup/detect.hpp"
#include "paradedup/options.hpp"

namespace paradedup {

/// One removed paragraph and why.
struct removal {
  std::size_t index = 0;  ///< The removed paragraph.
  duplicate_kind kind = duplicate_kind::none;  ///< exact, near, or block: removed only with
                                               ///< a block (short, or an edited bridge).
  std::size_t duplicate_of = 0;  ///< A kept earlier paragraph that it repeats.
  double similarity = 0.0;       ///< 1 for exact; else the share of the removed paragraph's
                                 ///< shingles found in duplicate_of (plus also_of if merged).
  bool merged = false;           ///< It repeats duplicate_of and also_of merged into one.
  std::size_t also_of = 0;       ///< The second earlier paragraph, when merged.
  bool in_block = false;         ///< Part of a repeated block.
  std::size_t block = 0;         ///< Index into decision::blocks, when in_block.
  /// Not exact: the tokens (canonical form) that differ from the kept source(s): `added`,
  /// those it has beyond them (empty under near_rule::subset), and `missing`, those of the
  /// source it lacks (words a shorter copy left out). Filled by deduplicate(); decide()
  /// leaves them empty.
  std::vector<std::string> added;
  std::vector<std::string> missing;  ///< See `added`.
};

/// A kept paragraph that looks like an earlier one but was not removed, because the no-loss
/// rule (verify()) refused it: the report's "kept_near", so that what the rule costs in recall
/// can be seen.
struct kept_look_alike {
  std::size_t index = 0;     ///< The kept paragraph.
  std::size_t of = 0;        ///< The earlier paragraph it looks like.
  bool merged = false;       ///< It looks like `of` and `also_of` merged.
  std::size_t also_of = 0;   ///< The second paragraph, when merged.
  double similarity = 0.0;   ///< Share of its shingles in `of` (plus also_of).
  /// Filled by deduplicate(): the tokens it adds (`added`: words, numbers, characters,
  /// negations) and the negations and numbers of the source it drops (`missing`).
  std::vector<std::string> added;
  std::vector<std::string> missing;  ///< See `added`.
};

/// A paragraph removed because an earlier document of a corpus contained it (corpus.hpp).
struct corpus_match {
  std::size_t index = 0;  ///< The removed paragraph.
  duplicate_kind kind = duplicate_kind::none;  ///< exact; near (at least options::threshold
                                               ///< of its shingles are in the index); block
                                               ///< (short, inside a run of corpus repeats).
  double similarity = 0.0;    ///< 1 for exact; else the share of its shingles in the index.
  bool approximate = false;   ///< Bloom index: the earlier copy is not recorded, and the
                              ///< match may be a false positive (at the filter's rate).
  bool source_known = false;  ///< document, document_id and paragraph name the source.
  std::uint32_t document = 0;  ///< Ordinal of the earlier document (0 = first of the corpus).
  std::string document_id;     ///< Its id.
  std::uint32_t paragraph = 0;  ///< Paragraph index within it.
};

/// What to remove from a document.
struct decision {
  std::vector<bool> dropped;     ///< One per paragraph: true when removed.
  std::vector<removal> removed;  ///< Removed paragraphs, in document order.
  std::vector<block> blocks;     ///< Repeated blocks (two or more paragraphs), in order.
  std::vector<kept_look_alike> kept_near;  ///< Look-alikes kept by the no-loss rule, in order.
};

/// Decides which paragraphs to remove.
///
/// A run from find_duplicates() is removed whole when at least one of its paragraphs repeats
/// on its own (exact or near) and is not short; then its short and bridged members go with
/// it. A run of two or more removed paragraphs is reported as a block. Everything else is
/// kept: in particular a short paragraph that repeats outside a block (a "Share:" label, a
/// "1" comment counter).
/// Nothing is removed unless its text stays in the output: each removal names a KEPT earlier
/// paragraph. When the matched paragraph was itself removed, the kept paragraphs it (or this
/// one) matched are tried instead, and the removal stands only when one of them, or two for a
/// merged copy, still hold at least o.threshold of its shingles (an exact twin always does;
/// a short or bridged member of a block needs detail::bridge_share). Requires: d and paras
/// describe the same paragraphs, and o is the options find_duplicates() was given.
/// Cost: linear in the paragraphs and their shingles.
[[nodiscard]] inline decision decide(const detection& d,
                                     const std::vector<paragraph_features>& paras,
                                     const options& o) {
  const std::size_t n = d.matches.size();
  decision out;
  out.dropped.assign(n, false);
  std::vector<removal> tentative(n);
  std::vector<std::size_t> run_id(n, n);
  std::vector<paragraph_match::look_alike> refused_in_run(n);
  auto may_repeat = [&](const std::vector<paragraph_features>& p, const removal& r) {
    return r.merged ? detail::may_repeat(p, r.index, r.duplicate_of, r.also_of, o)
                    : detail::may_repeat(p, r.index, r.duplicate_of, o);
  };
  for (std::size_t k = 0; k < d.runs.size(); ++k) {
    const auto& run = d.runs[k];
    bool qualifies = false;
    for (const auto& member : run) {
      const paragraph_match& m = d.matches[member.first];
      qualifies |= m.kind != duplicate_kind::none && !m.is_short;
    }
    if (!qualifies) continue;
    for (const auto& [i, of] : run) {
      const paragraph_match& m = d.matches[i];
      removal& r = tentative[i];
      r.index = i;
      r.kind = m.is_short || m.bridged ? duplicate_kind::block : m.kind;
      r.duplicate_of = of;
      for (const candidate& c : m.candidates) {
        if (c.of == of) r.similarity = c.similarity;
      }
      // The run's in-order match shapes the block; a paragraph that repeats on its own is
      // reported against its best match when the in-order one is weaker than the threshold.
      if (r.kind == duplicate_kind::near && !m.bridged && r.similarity < o.threshold) {
        r.duplicate_of = m.best;
        r.similarity = m.merged ? m.similarity : 0.0;
        for (const candidate& c : m.candidates) {
          if (!m.merged && c.of == m.best) r.similarity = c.similarity;
        }
      }
      if (m.merged && r.duplicate_of == m.best) {
        r.merged = true;
        r.also_of = m.second;
        r.similarity = m.similarity;
      }
      // The no-loss rule holds against the paragraph named, or the member is not removed:
      // its in-order match may be another candidate than the verified best one.
      if (!may_repeat(paras, r)) {
        if (m.kind == duplicate_kind::none || m.bridged) {
          refused_in_run[i] = {true, r.duplicate_of, r.merged, r.also_of, r.similarity};
          continue;
        }
        r.duplicate_of = m.best;
        r.merged = m.merged;
        r.also_of = m.second;
        r.similarity = m.similarity;
        if (!may_repeat(paras, r)) {
          refused_in_run[i] = {true, r.duplicate_of, r.merged, r.also_of, r.similarity};
          continue;
        }
      }
      out.dropped[i] = true;
      run_id[i] = k;
    }
  }

  // A bridged paragraph whose exact text comes again later stays: the first occurrence is
  // kept, and the later exact copy is the one removed (rather than the other way round).
  for (std::size_t i = 0; i < n; ++i) {
    if (d.matches[i].kind != duplicate_kind::exact) continue;
    for (const candidate& c : d.matches[i].candidates) {
      if (out.dropped[c.of] && d.matches[c.of].bridged) out.dropped[c.of] = false;
    }
  }

  // Retarget removals whose match was removed too; keep what kept text does not cover.
  // Matches point backwards and i grows, so every target's fate is final when it is read.
  for (std::size_t i = 0; i < n; ++i) {
    if (!out.dropped[i]) continue;
    removal& r = tentative[i];
    const bool target_dropped =
        out.dropped[r.duplicate_of] || (r.merged && out.dropped[r.also_of]);
    if (!target_dropped) continue;
    // Kept paragraphs that may hold i's text: i's own candidates, and what its removed
    // targets were matched to.
    std::vector<std::size_t> pool;
    for (const candidate& c : d.matches[i].candidates) pool.push_back(c.of);
    for (std::size_t t : {r.duplicate_of, r.merged ? r.also_of : r.duplicate_of}) {
      if (out.dropped[t]) {
        pool.push_back(tentative[t].duplicate_of);
        if (tentative[t].merged) pool.push_back(tentative[t].also_of);
      } else {
        pool.push_back(t);
      }
    }
    std::size_t best = n, second = n;
    double best_share = -1.0, second_share = -1.0;
    for (std::size_t t : pool) {
      if (out.dropped[t] || t == best || t == second) continue;
      if (!detail::may_repeat(paras, i, t, o)) continue;  // never named as its source
      const double share = paras[i].exact == paras[t].exact
                               ? 1.0
                               : detail::containment(paras[i].shingles, paras[t].shingles);
      if (share > best_share || (share == best_share && t < best)) {
        second = best;
        second_share = best_share;
        best = t;
        best_share = share;
      } else if (share > second_share || (share == second_share && t < second)) {
        second = t;
        second_share = share;
      }
    }
    const bool exact_twin = best < n && paras[i].exact == paras[best].exact;
    r.merged = false;
    if (r.kind == duplicate_kind::exact && !exact_twin) r.kind = duplicate_kind::near;
    if (best < n && (exact_twin || best_share >= o.threshold)) {
      r.duplicate_of = best;
      r.similarity = best_share;
    } else if (best < n && second < n &&
               detail::containment2(paras[i].shingles, paras[best].shingles,
                                    paras[second].shingles) >= o.threshold &&
               detail::may_repeat(paras, i, best, second, o)) {
      r.duplicate_of = best;
      r.merged = true;
      r.also_of = second;
      r.similarity = detail::containment2(paras[i].shingles, paras[best].shingles,
                                          paras[second].shingles);
    } else if (r.kind == duplicate_kind::block && best < n &&
               best_share >= (o.near == near_rule::subset ? detail::subset_bridge_share
                                                          : detail::bridge_share)) {
      r.duplicate_of = best;  // it goes with its block if the block stays
      r.similarity = best_share;
    } else {
      out.dropped[i] = false;  // its text would be lost: keep it
    }
  }

  // A run may now have holes: each maximal stretch of removed members must still hold a
  // paragraph that repeats on its own, or its short members are kept after all.
  for (std::size_t i = 0; i < n;) {
    if (!out.dropped[i]) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool qualifies = false;
    while (j < n && out.dropped[j] && run_id[j] == run_id[i]) {
      qualifies |= tentative[j].kind != duplicate_kind::block;
      ++j;
    }
    if (!qualifies) {
      for (std::size_t k = i; k < j; ++k) out.dropped[k] = false;
    } else if (j - i >= 2) {
      block b{tentative[i].duplicate_of, tentative[i].duplicate_of, i, j - 1};
      for (std::size_t k = i; k < j; ++k) {
        b.first_begin = std::min(b.first_begin, tentative[k].duplicate_of);
        b.first_last = std::max(b.first_last, tentative[k].duplicate_of);
      }
      out.blocks.push_back(b);
    }
    for (std::size_t k = i; k < j && qualifies; ++k) {
      removal r = tentative[k];
      r.in_block = j - i >= 2;
      r.block = r.in_block ? out.blocks.size() - 1 : 0;
      out.removed.push_back(r);
    }
    i = j;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (out.dropped[i]) continue;
    const paragraph_match::look_alike& l =
        d.matches[i].refused.found ? d.matches[i].refused : refused_in_run[i];
    if (!l.found) continue;
    kept_look_alike k;
    k.index = i;
    k.of = l.of;
    k.merged = l.merged;
    k.also_of = l.second;
    k.similarity = l.similarity;
    out.kept_near.push_back(std::move(k));
  }
  return out;
}

}  // namespace paradedup

#endif  // PARADEDUP_DECIDE_HPP

#ifndef PARADEDUP_DECIDE_HPP
#define PARADEDUP_DECIDE_HPP

// Stage 6 of the pipeline: from what repeats (detect.hpp) to what is removed. The first
// occurrence is kept; later ones are removed; short paragraphs go only with a block.

#include <algorithm>  // std::set_intersection
#include <cstddef>    // std::size_t
#include <vector>

#include "paradedup/detect.hpp"

namespace paradedup {

/// One removed paragraph and why.
struct removal {
  std::size_t index = 0;  ///< The removed paragraph.
  duplicate_kind kind = duplicate_kind::none;  ///< exact, near, or block (short, with a block).
  std::size_t duplicate_of = 0;  ///< A kept earlier paragraph that it repeats.
  double similarity = 0.0;       ///< 1 for exact; else the share of the removed paragraph's
                                 ///< shingles found in duplicate_of (plus also_of if merged).
  bool merged = false;           ///< It repeats duplicate_of and also_of merged into one.
  std::size_t also_of = 0;       ///< The second earlier paragraph, when merged.
  bool in_block = false;         ///< Part of a repeated block.
  std::size_t block = 0;         ///< Index into decision::blocks, when in_block.
};

/// What to remove from a document.
struct decision {
  std::vector<bool> dropped;     ///< One per paragraph: true when removed.
  std::vector<removal> removed;  ///< Removed paragraphs, in document order.
  std::vector<block> blocks;     ///< Repeated blocks (two or more paragraphs), in order.
};

namespace detail {

// Share of a's shingles that b contains; both sorted and distinct.
inline double containment(const std::vector<std::uint64_t>& a,
                          const std::vector<std::uint64_t>& b) noexcept {
  if (a.empty()) return 0.0;
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size());
}

}  // namespace detail

/// Decides which paragraphs to remove.
///
/// A run from find_duplicates() is removed whole when at least one of its paragraphs repeats
/// on its own (exact or near) and is not short; then its short members go with it. A run of
/// two or more paragraphs is reported as a block. Everything else is kept: in particular a
/// short paragraph that repeats outside a block (a "Share:" label, a "1" comment counter).
/// Each removal names a kept earlier paragraph: when the matched paragraph was itself
/// removed, the chain is followed back to the kept one and the similarity recomputed.
/// Cost: linear in the paragraphs and their shingles.
[[nodiscard]] inline decision decide(const detection& d,
                                     const std::vector<paragraph_features>& paras) {
  const std::size_t n = d.matches.size();
  decision out;
  out.dropped.assign(n, false);
  std::vector<std::size_t> removal_of(n, n);  // index into out.removed
  for (const auto& run : d.runs) {
    bool qualifies = false;
    for (const auto& member : run) {
      const paragraph_match& m = d.matches[member.first];
      qualifies |= m.kind != duplicate_kind::none && !m.is_short;
    }
    if (!qualifies) continue;
    const bool is_block = run.size() >= 2;
    if (is_block) {
      out.blocks.push_back(
          {run.front().second, run.back().second, run.front().first, run.back().first});
    }
    for (const auto& [i, of] : run) {
      const paragraph_match& m = d.matches[i];
      removal r;
      r.index = i;
      r.kind = m.is_short || m.kind == duplicate_kind::none ? duplicate_kind::block : m.kind;
      r.duplicate_of = of;
      r.similarity = 0.0;
      for (const candidate& c : m.candidates) {
        if (c.of == of) r.similarity = c.similarity;
      }
      if (m.merged && of == m.best) {
        r.merged = true;
        r.also_of = m.second;
        r.similarity = m.similarity;
      }
      r.in_block = is_block;
      r.block = is_block ? out.blocks.size() - 1 : 0;
      out.dropped[i] = true;
      removal_of[i] = out.removed.size();
      out.removed.push_back(r);
    }
  }
  // Runs come in document order, so removed is already sorted by index. Point every removal
  // at a kept paragraph: matches point backwards, so following them ends.
  for (removal& r : out.removed) {
    std::size_t of = r.duplicate_of;
    if (!out.dropped[of]) continue;
    while (out.dropped[of]) of = out.removed[removal_of[of]].duplicate_of;
    r.duplicate_of = of;
    r.merged = false;
    r.similarity = paras[r.index].exact == paras[of].exact
                       ? 1.0
                       : detail::containment(paras[r.index].shingles, paras[of].shingles);
  }
  return out;
}

}  // namespace paradedup

#endif  // PARADEDUP_DECIDE_HPP

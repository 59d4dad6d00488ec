#ifndef PARADEDUP_DEDUPLICATE_HPP
#define PARADEDUP_DEDUPLICATE_HPP

// The entry point: one document in, the cleaned text and the report out. It runs the stages
// in order: segment -> normalize -> tokenize + fingerprint -> detect -> decide -> output.

#include <algorithm>  // std::sort, std::stable_sort, std::unique, std::find, std::min
#include <cstddef>    // std::size_t
#include <string>
#include <string_view>
#include <utility>  // std::move
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
/// diagnostic), so that its line does not read as "checked, no repeats" (a document skipped
/// for invalid UTF-8 would otherwise show "removed": [] and nothing else).
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
    f->shingles.clear();  // *f may hold an earlier document's paragraph (reused storage)
    f->content.tokens.clear();
    f->content.guards.clear();
    f->content.tag_tokens = 0;
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

// "12 MiB", or "1000 bytes" below 1 MiB.
inline std::string size_text(std::size_t bytes) {
  return bytes >= (std::size_t{1} << 20) ? std::to_string(bytes >> 20) + " MiB"
                                         : std::to_string(bytes) + " bytes";
}

// The estimate of one document's tables in bytes, which options::max_memory bounds: the
// features, the shingle index, candidates and decisions of `paragraphs` paragraphs holding
// `tokens` tokens and `shingles` shingles, and the output copy. Fitted to peak RSS (options.hpp
// gives the measured range) so as to lie above it. Per paragraph (massif, exact_only, English
// lines): its match and decision records about 110 bytes each, features 104, candidates about
// 100, removal 65, segment 62 with vector growth; exact_only saves the per-token terms only.
inline std::size_t table_estimate(std::size_t shingles, std::size_t tokens,
                                  std::size_t paragraphs, std::size_t output_bytes) noexcept {
  const double bytes = 48.0 * static_cast<double>(shingles) +
                       16.0 * static_cast<double>(tokens) +
                       800.0 * static_cast<double>(paragraphs) +
                       static_cast<double>(output_bytes);
  return bytes >= 1.8e19 ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(bytes);
}

// Heap bytes that a document's per-paragraph tables hold, capacity counted: what a caller
// that keeps them for the next document (deduplicate(), run_corpus's pool) keeps. Storage
// reused across documents holds, per paragraph, the largest that any of them needed, so this
// is measured rather than bounded by the last document. Cost: one pass over the paragraphs.
inline std::size_t table_bytes(const std::vector<paragraph_features>& features,
                               const shingle_index& shingles) noexcept {
  std::size_t b = features.capacity() * sizeof(paragraph_features) +
                  shingles.distinct.capacity() * sizeof(std::uint64_t) +
                  (shingles.holders.capacity() + shingles.holders_end.capacity()) *
                      sizeof(std::uint32_t);
  for (const paragraph_features& f : features) {
    b += f.shingles.capacity() * sizeof(std::uint64_t) +
         f.content.tokens.capacity() * sizeof(std::uint64_t) +
         f.content.guards.capacity() * sizeof(guard);
  }
  return b;
}

// compute_features() with each paragraph's shingles in text order, repeats included:
// index_shingles() (detect.hpp) sorts them all at once. Under a budget (o.max_memory > 0), it
// returns false, with `out` emptied, as soon as table_estimate() of the whole document (the
// paragraphs not read yet counted at the cost per paragraph alone) passes it; *estimate is the
// estimate then, or at the end.
inline bool unsorted_features(std::string_view text, const segmentation& seg, const options& o,
                              std::vector<paragraph_features>& out,
                              std::size_t* estimate = nullptr) {
  validate(o);
  const std::size_t n = seg.paragraphs.size();
  auto over = [&](std::size_t shingles, std::size_t tokens) {
    const std::size_t e = table_estimate(shingles, tokens, n, text.size());
    if (estimate != nullptr) *estimate = e;
    return o.max_memory > 0 && e > o.max_memory;
  };
  if (over(0, 0)) {
    out = {};
    return false;
  }
  // The paragraphs already in `out` (an earlier document's) are overwritten, not destroyed:
  // their vectors' storage is reused, so a caller that passes the same vector document after
  // document allocates per paragraph only where a paragraph is longer than before.
  out.resize(n);
  std::string canonical, clean;
  std::size_t shingles = 0, tokens = 0;
  for (std::size_t i = 0; i < n; ++i) {
    paragraph_body(text, seg.paragraphs[i], o, clean, canonical, &out[i]);
    shingles += out[i].shingles.size();
    tokens += out[i].content.tokens.size();
    if ((i & 255) == 255 && over(shingles, tokens)) {
      out = {};
      return false;
    }
  }
  if (over(shingles, tokens)) {
    out = {};
    return false;
  }
  return true;
}
inline std::vector<paragraph_features> unsorted_features(std::string_view text,
                                                         const segmentation& seg,
                                                         const options& o) {
  options unbounded = o;
  unbounded.max_memory = 0;
  std::vector<paragraph_features> out;
  unsorted_features(text, seg, unbounded, out);
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

// Rounds of settle() after the first decision, at most: each removes at least one more
// paragraph, and on real text and in fuzzing the first settling round finds nothing (or
// settles at once); the bound only caps the cost of a pathological document.
inline constexpr int max_settle_rounds = 4;

// Names removal r, one of whose sources is removed as now_of[source] says, against the kept
// paragraphs that hold that source: one of them alone, or two merged, holding o.threshold of
// r's shingles (detail::bridge_share, or subset_bridge_share under the no-loss rule, for a
// block member) and passing the no-loss rule, as decide() asks. False when none does.
inline bool resource(const std::vector<paragraph_features>& features, const options& o,
                     const std::vector<const removal*>& now_of, removal& r) {
  std::size_t pool[4];
  std::size_t size = 0;
  for (std::size_t t : {r.duplicate_of, r.merged ? r.also_of : r.duplicate_of}) {
    const removal* by = now_of[t];
    const std::size_t from[2] = {by ? by->duplicate_of : t,
                                 by && by->merged ? by->also_of : (by ? by->duplicate_of : t)};
    for (std::size_t q : from) {
      if (std::find(pool, pool + size, q) == pool + size) pool[size++] = q;
    }
  }
  const paragraph_features& p = features[r.index];
  std::size_t best = size;
  double best_share = -1.0;
  for (std::size_t k = 0; k < size; ++k) {
    const std::size_t t = pool[k];
    if (!may_repeat(features, r.index, t, o)) continue;
    const double share =
        p.exact == features[t].exact ? 1.0 : containment(p.shingles, features[t].shingles);
    if (share > best_share) {
      best = k;
      best_share = share;
    }
  }
  const double bar = r.kind != duplicate_kind::block ? o.threshold
                     : o.near == near_rule::subset   ? subset_bridge_share
                                                     : bridge_share;
  if (best < size && best_share >= bar) {
    const bool twin = p.exact == features[pool[best]].exact;
    if (r.kind == duplicate_kind::exact && !twin) r.kind = duplicate_kind::near;
    r.duplicate_of = pool[best];
    r.merged = false;
    r.similarity = best_share;
    return true;
  }
  for (std::size_t x = 0; x < size; ++x) {
    for (std::size_t y = x + 1; y < size; ++y) {
      const double share =
          containment2(p.shingles, features[pool[x]].shingles, features[pool[y]].shingles);
      if (share >= bar && may_repeat(features, r.index, pool[x], pool[y], o)) {
        if (r.kind == duplicate_kind::exact) r.kind = duplicate_kind::near;
        r.duplicate_of = std::min(pool[x], pool[y]);
        r.also_of = std::max(pool[x], pool[y]);
        r.merged = true;
        r.similarity = share;
        return true;
      }
    }
  }
  return false;
}

// Rebuilds d.blocks from the removals after settle() changed them: each stretch of
// consecutive removals of one former block (r.block, numbered across d.blocks) is a block
// again when it has two or more members, and stays only when one of them repeats on its own
// (not kind block), as decide() asks; a lone member is a removal outside a block.
inline void regroup_blocks(decision& d) {
  std::vector<block> blocks;
  std::vector<removal> removed;
  removed.reserve(d.removed.size());
  for (std::size_t i = 0; i < d.removed.size();) {
    std::size_t j = i + 1;
    if (d.removed[i].in_block) {
      while (j < d.removed.size() && d.removed[j].in_block &&
             d.removed[j].block == d.removed[i].block &&
             d.removed[j].index == d.removed[j - 1].index + 1) {
        ++j;
      }
    }
    bool qualifies = !d.removed[i].in_block;
    for (std::size_t k = i; k < j; ++k) qualifies |= d.removed[k].kind != duplicate_kind::block;
    if (!qualifies) {
      for (std::size_t k = i; k < j; ++k) d.dropped[d.removed[k].index] = false;
    } else if (j - i >= 2) {
      block g{d.removed[i].duplicate_of, d.removed[i].duplicate_of, d.removed[i].index,
              d.removed[j - 1].index};
      for (std::size_t k = i; k < j; ++k) {
        g.first_begin = std::min(g.first_begin, d.removed[k].duplicate_of);
        g.first_last = std::max(g.first_last, d.removed[k].duplicate_of);
        d.removed[k].block = blocks.size();
      }
      blocks.push_back(g);
    } else {
      d.removed[i].in_block = false;
      d.removed[i].block = 0;
    }
    for (std::size_t k = i; k < j && qualifies; ++k) removed.push_back(std::move(d.removed[k]));
    i = j;
  }
  d.removed = std::move(removed);
  d.blocks = std::move(blocks);
}

// Makes the decision d on these paragraphs final: what a second pass over the kept paragraphs
// alone would remove is removed now, until a pass removes nothing (or max_settle_rounds).
// A first decision can keep a paragraph that a kept one repeats: its look-alike was matched
// to a paragraph that decide() then kept (a merge whose second source was removed), or
// removed repeats between them hid it (the capped posting lists, the neighbours a merge is
// tried with). Settling is what makes deduplicate() idempotent. Each round's removals name
// kept sources and obey the no-loss rule, as the first's do; a removal whose source goes is
// named against that source's own source, or kept.
// The first round looks for near sources only where the second pass could see something
// that the first did not: for a kept paragraph that `first` (the detection d was made from)
// matched, and for one that shares a shingle with an earlier paragraph that was removed or
// stands next to a removed one (its posting lists or a merge's neighbours differ without
// them). Every other kept paragraph meets the same paragraphs as before and matched none.
// When there is none, nothing is done. Cost: two passes over the shingle index `all`; then,
// per round, find_duplicates() and decide() over the kept paragraphs (moved, not copied).
inline void settle(std::vector<paragraph_features>& features, const shingle_index& all,
                   const detection& first, const options& o, decision& d) {
  const std::size_t n = features.size();
  if (d.removed.empty() || o.exact_only) return;  // exact repeats need no second look
  std::vector<bool> search(n, false);
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) {
    const paragraph_match& m = first.matches[i];
    if (d.dropped[i] || m.kind == duplicate_kind::none) continue;
    bool twin_removed = false;  // a short exact twin stays one unless its twins went
    for (const candidate& c : m.candidates) twin_removed |= d.dropped[c.of];
    if (m.kind != duplicate_kind::exact || !m.is_short || twin_removed) search[i] = any = true;
  }
  // A paragraph meets the first detail::max_postings earlier holders of each shingle (with
  // the same rare/crowded counts while none of those goes), so only a change among them can
  // change what it meets: a list whose first max_postings holders include one that was
  // removed or stands next to a removed one (its posting lists or a merge's neighbours differ
  // without it) marks its later kept holders. One pass over the index, no lookups; lists of
  // one holder (most of them) mark nothing and meet no one in a round.
  // A paragraph that repeated nothing stays so unless two earlier ones could hold the
  // threshold of it together (paragraph_match::reach: a bound, so the test errs towards
  // looking).
  std::vector<std::uint8_t> disturbed(n, 0), may_become_near(n, 0);
  for (std::size_t h = 0; h < n; ++h) {
    disturbed[h] = d.dropped[h] || (h > 0 && d.dropped[h - 1]) || (h + 1 < n && d.dropped[h + 1]);
    const paragraph_match& m = first.matches[h];
    may_become_near[h] = m.kind != duplicate_kind::none ||
                         static_cast<double>(m.reach) + 1e-6 >= o.threshold;
  }
  // The lists of two or more holders, the only ones a round reads, are collected on the way.
  std::vector<std::uint32_t> shared;
  for (std::size_t k = 0, b = 0; k < all.distinct.size(); b = all.holders_end[k], ++k) {
    const std::size_t e = all.holders_end[k];
    if (e - b < 2) continue;
    shared.push_back(static_cast<std::uint32_t>(k));
    const std::size_t head = std::min(e, b + max_postings);
    std::size_t from = e;
    for (std::size_t p = b; p < head; ++p) {
      if (disturbed[all.holders[p]]) {
        from = p + 1;
        break;
      }
    }
    for (std::size_t p = from; p < e; ++p) {
      const std::uint32_t i = all.holders[p];
      if (!d.dropped[i] && may_become_near[i]) search[i] = any = true;
    }
  }
  if (!any) return;
  // The lists the first round reads: those that hold a searched paragraph (ascending).
  std::vector<std::uint32_t> lists;
  for (const std::uint32_t k : shared) {
    const std::size_t b = k == 0 ? 0 : all.holders_end[k - 1];
    for (std::size_t p = b; p < all.holders_end[k]; ++p) {
      if (search[all.holders[p]]) {
        lists.push_back(k);
        break;
      }
    }
  }

  std::vector<std::size_t> kept;
  std::vector<std::uint32_t> at(n);
  std::vector<paragraph_features> subset;
  std::vector<bool> subset_search;
  shingle_index idx;
  for (int round = 0; round < max_settle_rounds && !d.removed.empty(); ++round) {
    kept.clear();
    for (std::size_t i = 0; i < n; ++i) {
      at[i] = static_cast<std::uint32_t>(kept.size());
      if (!d.dropped[i]) kept.push_back(i);
    }
    if (kept.size() < 2) return;
    subset_search.clear();
    for (std::size_t i : kept) subset_search.push_back(search[i]);
    subset.clear();
    for (std::size_t i : kept) subset.push_back(std::move(features[i]));
    // The kept paragraphs' index, from the document's: only shingles that two or more of
    // them hold, which are all that find_duplicates() reads (one holder meets no one), so
    // the round costs what the kept text still repeats, not the whole document again.
    idx.distinct.clear();
    idx.holders.clear();
    idx.holders_end.clear();
    const std::vector<std::uint32_t>& read = round == 0 ? lists : shared;
    for (const std::uint32_t k : read) {
      const std::size_t b = k == 0 ? 0 : all.holders_end[k - 1];
      const std::size_t before = idx.holders.size();
      for (std::size_t h = b; h < all.holders_end[k]; ++h) {
        if (!d.dropped[all.holders[h]]) idx.holders.push_back(at[all.holders[h]]);
      }
      if (idx.holders.size() - before < 2) {
        idx.holders.resize(before);
        continue;
      }
      idx.distinct.push_back(all.distinct[k]);
      idx.holders_end.push_back(static_cast<std::uint32_t>(idx.holders.size()));
    }
    // Later rounds follow changes of this one's (removals, and removals kept after all), so
    // they look everywhere.
    decision more = decide(
        find_duplicates_unchecked(subset, idx, o, round == 0 ? &subset_search : nullptr),
        subset, o);
    for (std::size_t j = 0; j < kept.size(); ++j) features[kept[j]] = std::move(subset[j]);
    if (more.removed.empty()) return;
    for (removal& r : more.removed) {
      r.index = kept[r.index];
      r.duplicate_of = kept[r.duplicate_of];
      if (r.merged) r.also_of = kept[r.also_of];
    }
    // A removal whose source goes now is named against that source's kept source(s), which
    // must hold it as decide() asks of any removal; if they do not, it is kept after all (its
    // text then stays, and the next round sees it).
    std::vector<const removal*> now_of(n, nullptr);
    for (const removal& r : more.removed) now_of[r.index] = &r;
    std::vector<removal> removed;
    removed.reserve(d.removed.size() + more.removed.size());
    const std::size_t blocks_before = d.blocks.size();
    auto b = more.removed.begin();
    for (removal& r : d.removed) {
      for (; b != more.removed.end() && b->index < r.index; ++b) removed.push_back(std::move(*b));
      if ((now_of[r.duplicate_of] || (r.merged && now_of[r.also_of])) &&
          !resource(features, o, now_of, r)) {
        d.dropped[r.index] = false;
        continue;
      }
      removed.push_back(std::move(r));
    }
    for (; b != more.removed.end(); ++b) removed.push_back(std::move(*b));
    for (removal& r : removed) {
      if (now_of[r.index] == nullptr) continue;
      d.dropped[r.index] = true;
      if (r.in_block) r.block += blocks_before;
    }
    d.removed = std::move(removed);
    regroup_blocks(d);
    // Look-alikes: those still kept, and the new round's for paragraphs not listed yet.
    std::vector<kept_look_alike> near;
    std::vector<bool> listed(n, false);
    for (kept_look_alike& k : d.kept_near) {
      if (d.dropped[k.index]) continue;
      listed[k.index] = true;
      near.push_back(std::move(k));
    }
    for (kept_look_alike& k : more.kept_near) {
      k.index = kept[k.index];
      k.of = kept[k.of];
      if (k.merged) k.also_of = kept[k.also_of];
      if (!listed[k.index]) near.push_back(std::move(k));
    }
    std::stable_sort(near.begin(), near.end(),
                     [](const kept_look_alike& x, const kept_look_alike& y) {
                       return x.index < y.index;
                     });
    d.kept_near = std::move(near);
  }
}

// Everything deduplicate() does but the rendering: fills r (segments, removed, diagnostics,
// passed_through), the paragraphs' features and their shingle index (both empty when passed
// through). Without `detect`, nothing is compared (r.removed stays empty): first passes only
// count features. Corpus mode (corpus.hpp) runs this in parallel, then checks the features against
// its index.
inline void analyze(std::string_view text, const options& o, result& r,
                    std::vector<paragraph_features>& features, shingle_index& shingles,
                    bool detect = true, bool explain = false) {
  validate(o);
  // features and shingles keep their storage for this document (unsorted_features(),
  // index_shingles()); they are emptied where it is passed through.
  auto pass_through = [&] {
    r.passed_through = true;
    features.clear();
    shingles.distinct.clear();
    shingles.holders.clear();
    shingles.holders_end.clear();
  };
  if (text.size() > o.max_document_bytes) {
    r.diagnostics.push_back({errc::too_large, 0,
                             "document of " + std::to_string(text.size()) +
                                 " bytes is longer than max_document_bytes (" +
                                 std::to_string(o.max_document_bytes) +
                                 "); passed through unchanged"});
    pass_through();
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
    pass_through();
    return;
  }
  std::size_t estimate = 0;
  if (!unsorted_features(text, r.segments, o, features, &estimate)) {
    r.diagnostics.push_back(
        {errc::too_large, 0,
         "document of " + std::to_string(r.segments.paragraphs.size()) +
             " paragraphs needs at least " + size_text(estimate) +
             " for its tables, more than max_memory (" + size_text(o.max_memory) +
             "); passed through unchanged: raise max_memory (--max-memory) to compare it"});
    pass_through();
    return;
  }
  check_document_size(features);
  index_shingles(&features, features, shingles);
  if (detect) {
    const detection found = find_duplicates_unchecked(features, shingles, o);
    r.removed = decide(found, features, o);
    settle(features, shingles, found, o, r.removed);
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
/// diagnostic, without being read further: nothing is segmented or compared. So is one whose
/// tables are estimated past o.max_memory (options.hpp), found after segmenting, before the
/// larger tables are built.
/// Idempotent: deduplicate(r.text, o) removes nothing, when o.mode is lines or blank (under
/// auto, the shorter text may choose the other mode; pass r.segments.mode for a second pass).
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
  // The per-paragraph tables are kept per thread for the next call (one call per page, many
  // pages: no allocation per paragraph once they are large enough), up to 16 MiB of them
  // (detail::table_bytes()); larger ones are given back.
  thread_local std::vector<paragraph_features> features;
  thread_local shingle_index shingles;
  struct release_large {
    ~release_large() {
      if (detail::table_bytes(features, shingles) > (std::size_t{16} << 20)) {
        features = {};
        shingles = {};
      }
    }
  } release;
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

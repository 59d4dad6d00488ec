// Unit tests for include/paradedup/detect.hpp and decide.hpp: what repeats, and what goes.
//
// Paragraphs here are ASCII word lists ("p3w0 p3w1 ..."), so that shingle counts, and hence
// similarities, can be worked out by hand: with shingle size n = 5 and T tokens a paragraph
// has T + 4 shingles (padded at both edges), and replacing one word inside it changes 5.

#include <catch2/catch.hpp>
#include <algorithm>  // std::binary_search, std::set_intersection
#include <cstddef>
#include <cstdint>
#include <iterator>  // std::back_inserter
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "paradedup/decide.hpp"
#include "paradedup/deduplicate.hpp"
#include "paradedup/detect.hpp"
#include "paradedup/fingerprint.hpp"
#include "paradedup/normalize.hpp"

namespace {

using paradedup::duplicate_kind;
using paradedup::paragraph_features;
using run_pairs = std::vector<std::pair<std::size_t, std::size_t>>;

// A long paragraph of `words` distinct words, different for each id.
std::string para(int id, int words = 30) {
  std::string s;
  for (int k = 0; k < words; ++k) {
    if (k) s += ' ';
    s += "p" + std::to_string(id) + "w" + std::to_string(k);
  }
  return s + ".";
}

// para(id, words) with the words at `positions` replaced.
std::string edited(int id, std::vector<int> positions, int words = 30) {
  std::string s;
  for (int k = 0; k < words; ++k) {
    if (k) s += ' ';
    bool edit = false;
    for (int p : positions) edit |= p == k;
    s += edit ? "edited" + std::to_string(k) : "p" + std::to_string(id) + "w" + std::to_string(k);
  }
  return s + ".";
}

// What compute_features() in deduplicate.hpp computes, stage by stage.
std::vector<paragraph_features> features(const std::vector<std::string>& paras,
                                         const paradedup::options& o = {}) {
  std::vector<paragraph_features> out(paras.size());
  std::string canonical;
  for (std::size_t i = 0; i < paras.size(); ++i) {
    out[i].chars = paradedup::canonicalize(paras[i], o, canonical);
    out[i].exact = paradedup::exact_fingerprint(canonical);
    if (!o.exact_only) {
      paradedup::detail::append_shingles(canonical, o.shingle, out[i].shingles,
                                         &out[i].content);
      std::sort(out[i].shingles.begin(), out[i].shingles.end());
      out[i].shingles.erase(std::unique(out[i].shingles.begin(), out[i].shingles.end()),
                            out[i].shingles.end());
    }
  }
  return out;
}

// Shingle similarity alone (near_rule::similar): for the tests of the similarity measures,
// whose copies change words; the no-loss rule keeps those (tests/test_verify.cpp).
paradedup::options similar() {
  paradedup::options o;
  o.near = paradedup::near_rule::similar;
  return o;
}

struct outcome {
  std::vector<paragraph_features> feats;
  paradedup::detection det;
  paradedup::decision dec;
};

outcome run(const std::vector<std::string>& paras, const paradedup::options& o = {}) {
  outcome r;
  r.feats = features(paras, o);
  r.det = paradedup::find_duplicates(r.feats, o);
  r.dec = paradedup::decide(r.det, r.feats, o);
  return r;
}

std::vector<std::size_t> removed_indices(const paradedup::decision& d) {
  std::vector<std::size_t> out;
  for (const auto& r : d.removed) out.push_back(r.index);
  return out;
}

using indices = std::vector<std::size_t>;

// Invariants every decision must satisfy; "" when it does, else the first one broken.
std::string violation(const outcome& r, const paradedup::options& o) {
  const auto& dec = r.dec;
  auto at = [](std::size_t i, const char* what) {
    return "removal of paragraph " + std::to_string(i) + ": " + what;
  };
  if (dec.dropped.size() != r.feats.size()) return "dropped has the wrong size";
  std::size_t dropped = 0;
  for (bool b : dec.dropped) dropped += b;
  if (dropped != dec.removed.size()) return "dropped and removed disagree";
  for (std::size_t k = 0; k < dec.removed.size(); ++k) {
    const auto& rm = dec.removed[k];
    const std::size_t i = rm.index;
    if (k && i <= dec.removed[k - 1].index) return at(i, "removals out of order");
    if (!dec.dropped[i]) return at(i, "not marked dropped");
    if (rm.kind == duplicate_kind::none) return at(i, "kind none");
    // Nothing is removed unless its text stays: it names a kept, earlier paragraph.
    if (rm.duplicate_of >= i) return at(i, "duplicate_of is not earlier");
    if (dec.dropped[rm.duplicate_of]) return at(i, "duplicate_of was removed too");
    if (rm.merged && rm.also_of >= i) return at(i, "also_of is not earlier");
    if (rm.merged && dec.dropped[rm.also_of]) return at(i, "also_of was removed too");
    if (rm.kind == duplicate_kind::exact && !rm.merged) {
      if (r.feats[i].exact != r.feats[rm.duplicate_of].exact) {
        return at(i, "kind exact, but duplicate_of is not an exact twin");
      }
      if (rm.similarity != 1.0) return at(i, "kind exact, but similarity is not 1");
    }
    // Below the threshold only as an edited paragraph bridging a block (detect.hpp).
    if (rm.kind == duplicate_kind::near && rm.similarity < o.threshold &&
        !(rm.in_block && rm.similarity >= paradedup::detail::bridge_share)) {
      return at(i, "kind near, but similarity below the threshold outside a block");
    }
    if (rm.kind != duplicate_kind::block && r.feats[i].chars < std::size_t(o.min_chars)) {
      return at(i, "a short paragraph removed on its own");
    }
    if (rm.in_block && (rm.block >= dec.blocks.size() || dec.blocks[rm.block].repeat_begin > i ||
                        i > dec.blocks[rm.block].repeat_last)) {
      return at(i, "in_block, but outside its block");
    }
  }
  for (const auto& b : dec.blocks) {
    if (b.first_begin > b.first_last) return "block with first_begin > first_last";
    if (b.repeat_begin >= b.repeat_last) return "block of fewer than two paragraphs";
    if (b.first_begin >= b.repeat_begin) return "block repeat does not come after its first";
    for (std::size_t i = b.repeat_begin; i <= b.repeat_last; ++i) {
      if (!dec.dropped[i]) return "block member " + std::to_string(i) + " kept";
    }
  }
  return "";
}

}  // namespace

TEST_CASE("exact duplicates are removed, the first occurrence kept", "[detect]") {
  const std::vector<std::string> doc = {para(0), para(1), "P0W0 " + para(0).substr(5) + "!!",
                                        para(2), para(1)};
  const auto r = run(doc);
  const auto& m = r.det.matches;
  REQUIRE(m.size() == 5);
  CHECK(m[0].kind == duplicate_kind::none);
  CHECK(m[1].kind == duplicate_kind::none);
  CHECK(m[2].kind == duplicate_kind::exact);  // same canonical text: case and "!!" fold away
  CHECK(m[2].best == 0);
  CHECK(m[2].similarity == 1.0);
  CHECK(m[3].kind == duplicate_kind::none);
  CHECK(m[4].kind == duplicate_kind::exact);
  CHECK(m[4].best == 1);
  REQUIRE(m[4].candidates.size() == 1);
  CHECK(m[4].candidates[0].of == 1);
  CHECK(m[4].candidates[0].similarity == 1.0);

  CHECK(r.dec.dropped == std::vector<bool>{false, false, true, false, true});
  REQUIRE(r.dec.removed.size() == 2);
  CHECK(r.dec.removed[0].index == 2);
  CHECK(r.dec.removed[0].kind == duplicate_kind::exact);
  CHECK(r.dec.removed[0].duplicate_of == 0);
  CHECK(r.dec.removed[0].similarity == 1.0);
  CHECK_FALSE(r.dec.removed[0].in_block);
  CHECK(r.dec.removed[1].index == 4);
  CHECK(r.dec.removed[1].duplicate_of == 1);
  CHECK(r.dec.blocks.empty());
  CHECK(violation(r, {}) == "");
}

TEST_CASE("every exact twin is a candidate", "[detect]") {
  const auto r = run({para(0), para(0), para(0)});
  const auto& m = r.det.matches[2];
  CHECK(m.kind == duplicate_kind::exact);
  CHECK(m.best == 0);
  REQUIRE(m.candidates.size() == 2);
  CHECK(m.candidates[0].of == 0);
  CHECK(m.candidates[1].of == 1);
  CHECK(removed_indices(r.dec) == indices{1, 2});
  for (const auto& rm : r.dec.removed) CHECK(rm.duplicate_of == 0);
  CHECK(violation(r, {}) == "");
}

TEST_CASE("near duplicates above and below the threshold", "[detect]") {
  // 30 words: 34 shingles. One edited word changes 5 of them: 29/34 = 0.853 >= 0.8.
  SECTION("one word edited: near, and kept by the no-loss rule") {
    const auto safe = run({para(0), para(1), edited(0, {15})});
    CHECK(safe.det.matches[2].kind == duplicate_kind::none);
    CHECK(safe.det.matches[2].refused.found);
    CHECK(safe.det.matches[2].refused.of == 0);
    CHECK(safe.dec.removed.empty());
    REQUIRE(safe.dec.kept_near.size() == 1);
    CHECK(safe.dec.kept_near[0].index == 2);
    CHECK(safe.dec.kept_near[0].similarity == Approx(29.0 / 34.0));
    const auto r = run({para(0), para(1), edited(0, {15})}, similar());
    const auto& m = r.det.matches[2];
    CHECK(m.kind == duplicate_kind::near);
    CHECK(m.best == 0);
    CHECK(m.similarity == Approx(29.0 / 34.0));
    CHECK_FALSE(m.merged);
    REQUIRE(m.candidates.size() == 1);
    CHECK(m.candidates[0].of == 0);
    CHECK(m.candidates[0].similarity == Approx(29.0 / 34.0));
    REQUIRE(r.dec.removed.size() == 1);
    CHECK(r.dec.removed[0].index == 2);
    CHECK(r.dec.removed[0].kind == duplicate_kind::near);
    CHECK(r.dec.removed[0].duplicate_of == 0);
    CHECK(r.dec.removed[0].similarity == Approx(29.0 / 34.0));
    CHECK(violation(r, {}) == "");
  }
  SECTION("first and last word edited: the edges count as much as the middle") {
    // Two edits at the edges change 5 shingles each: 24/34 = 0.706 < 0.8.
    const auto r = run({para(0), edited(0, {0, 29})});
    CHECK(r.det.matches[1].kind == duplicate_kind::none);
    CHECK(r.dec.removed.empty());
  }
  SECTION("three words edited far apart: below the threshold, kept") {
    // 34 - 15 = 19 shingles in common: 0.559.
    const std::vector<std::string> doc = {para(0), edited(0, {5, 15, 25})};
    const auto r = run(doc);
    CHECK(r.det.matches[1].kind == duplicate_kind::none);
    CHECK(r.det.matches[1].candidates.empty());
    CHECK(r.dec.removed.empty());
    CHECK(r.dec.dropped == std::vector<bool>{false, false});
    SECTION("but above a lower threshold") {
      paradedup::options o = similar();
      o.threshold = 0.55;
      const auto low = run(doc, o);
      CHECK(low.det.matches[1].kind == duplicate_kind::near);
      CHECK(low.det.matches[1].similarity == Approx(19.0 / 34.0));
      CHECK(removed_indices(low.dec) == indices{1});
    }
  }
  SECTION("the threshold is inclusive") {
    // 24 shingles in common of 34 with two edits; threshold exactly 24/34.
    paradedup::options o = similar();
    o.threshold = 24.0 / 34.0;
    const auto r = run({para(0), edited(0, {5, 15})}, o);
    CHECK(r.det.matches[1].kind == duplicate_kind::near);
  }
  SECTION("exact_only finds no near duplicate") {
    paradedup::options o;
    o.exact_only = true;
    const auto r = run({para(0), edited(0, {15}), para(0)}, o);
    CHECK(r.det.matches[1].kind == duplicate_kind::none);
    CHECK(r.det.matches[2].kind == duplicate_kind::exact);
    CHECK(removed_indices(r.dec) == indices{2});
  }
}

TEST_CASE("a copy merging two paragraphs is a near duplicate of both", "[detect]") {
  // A (20 words) and B (20 words), then A and B merged into one paragraph of 40 words:
  // 44 shingles, 20 shared with A (its start), 20 with B (its end), 4 across the join.
  const std::string a = para(0, 20), b = para(1, 20);
  const std::string merged = a.substr(0, a.size() - 1) + " " + b;  // drop A's "."
  const auto r = run({a, b, para(2), merged});
  const auto& m = r.det.matches[3];
  CHECK(m.kind == duplicate_kind::near);
  CHECK(m.merged);
  CHECK(m.best == 0);
  CHECK(m.second == 1);
  CHECK(m.similarity == Approx(40.0 / 44.0));
  REQUIRE(m.candidates.size() == 2);
  CHECK(m.candidates[0].of == 0);
  CHECK(m.candidates[0].similarity == Approx(20.0 / 44.0));
  CHECK(m.candidates[1].of == 1);

  REQUIRE(r.dec.removed.size() == 1);
  const auto& rm = r.dec.removed[0];
  CHECK(rm.index == 3);
  CHECK(rm.kind == duplicate_kind::near);
  CHECK(rm.merged);
  CHECK(rm.duplicate_of == 0);
  CHECK(rm.also_of == 1);
  CHECK(rm.similarity == Approx(40.0 / 44.0));
  CHECK(violation(r, {}) == "");

  SECTION("neither half alone is enough") {
    // Only A came before: 20/44 is far below the threshold.
    const auto only_a = run({a, para(2), merged});
    CHECK(only_a.det.matches[2].kind == duplicate_kind::none);
    CHECK(only_a.dec.removed.empty());
  }
}

TEST_CASE("short paragraphs: kept alone, removed inside a block", "[detect][decide]") {
  const std::string share = "Share this";  // 9 characters, below min_chars = 20
  SECTION("a short paragraph repeated alone is kept") {
    const auto r = run({para(0), share, para(1), share});
    const auto& m = r.det.matches[3];
    CHECK(m.kind == duplicate_kind::exact);
    CHECK(m.is_short);
    CHECK(m.best == 1);
    CHECK_FALSE(r.det.matches[0].is_short);
    CHECK(r.dec.removed.empty());
    CHECK(r.dec.dropped == std::vector<bool>(4, false));
  }
  SECTION("two short paragraphs repeated together are still kept") {
    const auto r = run({"Share:", "Comments (1)", para(0), "Share:", "Comments (1)"});
    REQUIRE(r.det.runs.size() == 1);
    CHECK(r.det.runs[0] == run_pairs{{3, 0}, {4, 1}});
    CHECK(r.dec.removed.empty());
  }
  SECTION("a short paragraph inside a repeated block goes with it") {
    const auto r = run({para(0), share, para(1), para(9), para(0), share, para(1)});
    CHECK(r.det.matches[5].is_short);
    REQUIRE(r.det.runs.size() == 1);
    CHECK(r.det.runs[0] == run_pairs{{4, 0}, {5, 1}, {6, 2}});
    CHECK(removed_indices(r.dec) == indices{4, 5, 6});
    REQUIRE(r.dec.removed.size() == 3);
    CHECK(r.dec.removed[0].kind == duplicate_kind::exact);
    CHECK(r.dec.removed[1].kind == duplicate_kind::block);
    CHECK(r.dec.removed[1].duplicate_of == 1);
    CHECK(r.dec.removed[2].kind == duplicate_kind::exact);
    for (const auto& rm : r.dec.removed) {
      CHECK(rm.in_block);
      CHECK(rm.block == 0);
    }
    REQUIRE(r.dec.blocks.size() == 1);
    CHECK(r.dec.blocks[0].first_begin == 0);
    CHECK(r.dec.blocks[0].first_last == 2);
    CHECK(r.dec.blocks[0].repeat_begin == 4);
    CHECK(r.dec.blocks[0].repeat_last == 6);
    CHECK(violation(r, {}) == "");
  }
  SECTION("a short paragraph at the edge of a block goes with it") {
    const auto r = run({para(0), para(1), share, para(9), para(0), para(1), share});
    CHECK(removed_indices(r.dec) == indices{4, 5, 6});
    REQUIRE(r.dec.blocks.size() == 1);
    CHECK(r.dec.blocks[0].first_last == 2);
    CHECK(r.dec.blocks[0].repeat_last == 6);
    CHECK(r.dec.removed[2].kind == duplicate_kind::block);
    CHECK(violation(r, {}) == "");
  }
  SECTION("min_chars = 0 makes no paragraph short") {
    paradedup::options o;
    o.min_chars = 0;
    const auto r = run({para(0), share, para(1), share}, o);
    CHECK_FALSE(r.det.matches[3].is_short);
    CHECK(removed_indices(r.dec) == indices{3});
  }
}

TEST_CASE("paragraphs without letters or digits never repeat", "[detect]") {
  const auto r = run({"* * *", para(0), "* * *", "---"});
  CHECK(r.det.matches[2].kind == duplicate_kind::none);
  CHECK(r.det.matches[2].candidates.empty());
  CHECK(r.det.matches[3].kind == duplicate_kind::none);
  CHECK(r.dec.removed.empty());
}

TEST_CASE("runs and blocks: the article of DESIGN.md at the detect level", "[detect][decide]") {
  // 0 title, 1 first body paragraph, 2-9 eight body paragraphs (5 a short sub-heading),
  // 10 caption, 11 comment counter, 12 boilerplate, 13-20 = 2-9 again, 21 = 10 again,
  // 22-23 more boilerplate.
  std::vector<std::string> doc;
  doc.push_back("Title of the article in a few words");
  doc.push_back(para(1));
  for (int k = 2; k <= 9; ++k) doc.push_back(k == 5 ? "Markets react" : para(k));
  doc.push_back("Caption: " + para(10, 22));
  doc.push_back("1");
  doc.push_back("No comments yet, be the first to comment on this article!");
  for (int k = 2; k <= 10; ++k) doc.push_back(doc[static_cast<std::size_t>(k)]);
  doc.push_back("Share: |");
  doc.push_back("Note: | Read the full text on this page |");
  REQUIRE(doc.size() == 24);

  const auto r = run(doc);
  run_pairs expected_run;
  for (std::size_t k = 13; k <= 21; ++k) expected_run.emplace_back(k, k - 11);
  REQUIRE(r.det.runs.size() == 1);
  CHECK(r.det.runs[0] == expected_run);

  indices expected_removed;
  for (std::size_t k = 13; k <= 21; ++k) expected_removed.push_back(k);
  CHECK(removed_indices(r.dec) == expected_removed);
  REQUIRE(r.dec.blocks.size() == 1);
  CHECK(r.dec.blocks[0].first_begin == 2);
  CHECK(r.dec.blocks[0].first_last == 10);
  CHECK(r.dec.blocks[0].repeat_begin == 13);
  CHECK(r.dec.blocks[0].repeat_last == 21);
  REQUIRE(r.dec.removed.size() == 9);
  CHECK(r.dec.removed[3].index == 16);
  CHECK(r.dec.removed[3].kind == duplicate_kind::block);  // the short sub-heading
  CHECK(r.dec.removed[3].duplicate_of == 5);
  CHECK(violation(r, {}) == "");
}

TEST_CASE("runs: consecutive repeats whose matches go forward", "[detect]") {
  SECTION("a run of one paragraph is a run") {
    const auto r = run({para(0), para(1), para(0)});
    REQUIRE(r.det.runs.size() == 1);
    CHECK(r.det.runs[0] == run_pairs{{2, 0}});
    CHECK(r.dec.blocks.empty());  // a block needs two paragraphs
  }
  SECTION("matches going backwards break the run") {
    const auto r = run({para(0), para(1), para(9), para(1), para(0)});
    REQUIRE(r.det.runs.size() == 2);
    CHECK(r.det.runs[0] == run_pairs{{3, 1}});
    CHECK(r.det.runs[1] == run_pairs{{4, 0}});
    CHECK(r.dec.blocks.empty());
    CHECK(removed_indices(r.dec) == indices{3, 4});
  }
  SECTION("a copy that leaves out up to two paragraphs is still one block") {
    const auto r = run({para(0), para(1), para(2), para(3), para(9), para(0), para(3)});
    REQUIRE(r.det.runs.size() == 1);
    CHECK(r.det.runs[0] == run_pairs{{5, 0}, {6, 3}});
    REQUIRE(r.dec.blocks.size() == 1);
    CHECK(r.dec.blocks[0].first_begin == 0);
    CHECK(r.dec.blocks[0].first_last == 3);
  }
  SECTION("a step of four paragraphs ends the run") {
    const auto r = run({para(0), para(1), para(2), para(3), para(4), para(9), para(0), para(4)});
    CHECK(r.det.runs.size() == 2);
    CHECK(r.dec.blocks.empty());
  }
  SECTION("a paragraph between two copies ends the run") {
    const auto r = run({para(0), para(1), para(9), para(0), para(8), para(1)});
    CHECK(r.det.runs.size() == 2);
    CHECK(r.dec.blocks.empty());
  }
  SECTION("matches must lie before the run") {
    // 2 repeats 0, 3 repeats 2 (itself a repeat): 3's match is not before the run's start.
    const auto r = run({para(0), para(9), para(0), para(0)});
    for (const auto& run_ : r.det.runs) {
      for (const auto& [i, of] : run_) CHECK(of < run_.front().first);
    }
  }
}

TEST_CASE("an edited paragraph inside a repeated block goes with the block", "[detect][decide]") {
  // Two adjacent edits leave 28/34 = 0.82 of the middle paragraph: below the threshold
  // (0.85), so not a near duplicate alone, but it sits between two members of a repeated
  // block, at the matching position, and holds at least detail::bridge_share (0.8).
  const std::string middle = edited(1, {5, 6});
  SECTION("under the no-loss rule the edit stays: it adds two words") {
    const auto r = run({para(0), para(1), para(2), para(9), para(0), middle, para(2)});
    CHECK_FALSE(r.det.matches[5].bridged);
    CHECK(removed_indices(r.dec) == indices{4, 6});
    REQUIRE(r.dec.kept_near.size() == 1);
    CHECK(r.dec.kept_near[0].index == 5);
    CHECK(r.dec.kept_near[0].of == 1);
  }
  SECTION("between two members: bridged (near_rule::similar)") {
    const auto r =
        run({para(0), para(1), para(2), para(9), para(0), middle, para(2)}, similar());
    CHECK(r.det.matches[5].bridged);
    REQUIRE(r.det.runs.size() == 1);
    CHECK(r.det.runs[0] == run_pairs{{4, 0}, {5, 1}, {6, 2}});
    CHECK(removed_indices(r.dec) == indices{4, 5, 6});
    REQUIRE(r.dec.blocks.size() == 1);
    CHECK(r.dec.blocks[0].first_begin == 0);
    CHECK(r.dec.blocks[0].first_last == 2);
    REQUIRE(r.dec.removed.size() == 3);
    CHECK(r.dec.removed[1].duplicate_of == 1);
    CHECK(r.dec.removed[1].similarity == Approx(28.0 / 34.0));
    CHECK(r.dec.removed[1].kind == duplicate_kind::block);
    CHECK(violation(r, {}) == "");
  }
  SECTION("at the end of a run: kept (only members on both sides make a bridge)") {
    const auto r = run({para(0), para(1), para(9), para(0), middle});
    CHECK_FALSE(r.det.matches[4].bridged);
    CHECK(removed_indices(r.dec) == indices{3});
  }
  SECTION("at the start of a run: kept") {
    const auto r = run({para(0), para(1), para(9), edited(0, {5, 6}), para(1)});
    CHECK_FALSE(r.det.matches[3].bridged);
    CHECK(removed_indices(r.dec) == indices{4});
  }
  SECTION("a bridged paragraph whose exact text comes again stays; the later copy goes") {
    const auto r = run(
        {para(0), para(1), para(2), para(9), para(0), middle, para(2), para(8), middle},
        similar());
    CHECK(r.det.matches[5].bridged);
    CHECK_FALSE(r.dec.dropped[5]);
    CHECK(r.dec.dropped[8]);
    CHECK(violation(r, {}) == "");
  }
  SECTION("three spread edits (0.56) do not bridge: the paragraph says something new") {
    const auto r =
        run({para(0), para(1), para(2), para(9), para(0), edited(1, {5, 15, 25}), para(2)});
    CHECK_FALSE(r.det.matches[5].bridged);
    CHECK(removed_indices(r.dec) == indices{4, 6});
    CHECK(r.dec.blocks.empty());
  }
  SECTION("a rewritten paragraph does not bridge") {
    const auto r = run({para(0), para(1), para(2), para(9), para(0), para(7), para(2)});
    CHECK_FALSE(r.det.matches[5].bridged);
    CHECK(removed_indices(r.dec) == indices{4, 6});
    CHECK(r.dec.blocks.empty());
  }
}

TEST_CASE("duplicate_of always names a kept earlier paragraph", "[decide]") {
  SECTION("a chain A, A' (near A), A'' (= A') points back to A") {
    const std::string a = para(0), a1 = edited(0, {15}), a2 = edited(0, {15});
    const auto r = run({a, para(1), a1, a2}, similar());
    // Detection matches A'' with its exact twin A', which is removed...
    CHECK(r.det.matches[3].kind == duplicate_kind::exact);
    CHECK(r.det.matches[3].best == 2);
    // ...so the removal names A instead, with A's similarity: against A it is a near
    // duplicate, not an exact one (removal::similarity is 1 for exact).
    REQUIRE(r.dec.removed.size() == 2);
    CHECK(r.dec.removed[0].index == 2);
    CHECK(r.dec.removed[0].duplicate_of == 0);
    CHECK(r.dec.removed[1].index == 3);
    CHECK(r.dec.removed[1].duplicate_of == 0);
    CHECK(r.dec.removed[1].similarity == Approx(29.0 / 34.0));
    CHECK(r.dec.removed[1].kind == duplicate_kind::near);
    CHECK(violation(r, {}) == "");
  }
  SECTION("a removal that no kept paragraph covers is kept instead") {
    // A' is a near copy of A; A'' is a near copy of A' but not of A (two edits from A).
    const auto r = run({para(0), edited(0, {10}), edited(0, {10, 20})}, similar());
    CHECK(r.det.matches[2].kind == duplicate_kind::near);
    CHECK(r.det.matches[2].best == 1);
    CHECK(removed_indices(r.dec) == indices{1});
    CHECK_FALSE(r.dec.dropped[2]);
    CHECK(violation(r, {}) == "");
  }
  SECTION("a block repeated three times points at the first copy") {
    const auto r = run({para(0), para(1), para(9), para(0), para(1), para(8), para(0), para(1)});
    CHECK(removed_indices(r.dec) == indices{3, 4, 6, 7});
    for (const auto& rm : r.dec.removed) CHECK((rm.duplicate_of == 0 || rm.duplicate_of == 1));
    CHECK(violation(r, {}) == "");
  }
}

TEST_CASE("random documents keep every invariant", "[detect][decide]") {
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int> coin(0, 9), word(0, 29), len(3, 40);
  std::size_t bad_documents = 0;
  for (int doc_no = 0; doc_no < 150; ++doc_no) {
    std::vector<std::string> doc;
    const int paragraphs = len(rng);
    for (int k = 0; k < paragraphs; ++k) {
      const int c = coin(rng);
      if (c < 3 || doc.empty()) {
        doc.push_back(para(100 * doc_no + k));
      } else if (c < 5) {
        doc.push_back(c == 3 ? "Share this" : "1");
      } else if (c < 8) {
        std::uniform_int_distribution<std::size_t> pick(0, doc.size() - 1);
        doc.push_back(doc[pick(rng)]);
      } else {
        // An edited copy of an earlier long paragraph (1 or 2 edits).
        std::uniform_int_distribution<std::size_t> pick(0, doc.size() - 1);
        const std::string& src = doc[pick(rng)];
        if (src.size() < 40 || src[0] != 'p') {  // short, or an edited copy: copy it whole
          doc.push_back(src);
          continue;
        }
        const int id = std::stoi(src.substr(1));  // "p<id>w0 ..."
        doc.push_back(edited(
            id, c == 8 ? std::vector<int>{word(rng)} : std::vector<int>{word(rng), word(rng)}));
      }
    }
    paradedup::options o;
    const auto r = run(doc, o);
    std::string v = violation(r, o);
    // Every paragraph that is not a repeat of anything is kept.
    for (std::size_t i = 0; i < doc.size() && v.empty(); ++i) {
      if (r.det.matches[i].candidates.empty() && r.dec.dropped[i]) {
        v = "paragraph " + std::to_string(i) + " repeats nothing but was removed";
      }
    }
    if (!v.empty() && ++bad_documents <= 3) FAIL_CHECK("document " << doc_no << ": " << v);
  }
  CHECK(bad_documents == 0);
}

TEST_CASE("near similarity is exact even when shingles are common", "[detect][regression]") {
  // Every paragraph shares a long common phrase, so its shingles are in more earlier
  // paragraphs than a posting list remembers. The copy of the last paragraph must still be
  // found, with its similarity measured exactly (once under-counted from capped lists).
  const std::string common =
      "this common sentence appears in every paragraph of the document to crowd the lists ";
  std::string text;
  for (int k = 0; k < 8; ++k) {
    text += common + "and then paragraph number " + std::to_string(k) +
            " says something of its own about topic " + std::to_string(k * 7) +
            " in a few more words of its own.\n";
  }
  // (A word left out: a near copy may not add a word or change a number, verify().)
  text += common + "and then paragraph number 7 says something of its own about topic 49" +
          " in a few words of its own.\n";
  const paradedup::result r = paradedup::deduplicate(text);
  REQUIRE(r.removed.removed.size() == 1);
  const paradedup::removal& rm = r.removed.removed[0];
  CHECK(rm.index == 8);
  CHECK(rm.duplicate_of == 7);
  CHECK(rm.kind == paradedup::duplicate_kind::near);
  const auto& p = r.segments.paragraphs;
  auto shingles = [&](std::size_t i) {
    return paradedup::shingle_hashes(
        paradedup::canonicalize(std::string_view(text).substr(p[i].begin, p[i].end - p[i].begin)),
        5);
  };
  const auto a = shingles(8), b = shingles(7);
  std::size_t common_count = 0;
  for (auto h : a) common_count += std::binary_search(b.begin(), b.end(), h);
  CHECK(rm.similarity == Approx(static_cast<double>(common_count) / static_cast<double>(a.size())));
}

TEST_CASE("containment counts the shared shingles, for any pair of sizes", "[detect]") {
  std::mt19937_64 rng(7);
  for (const auto& [na, nb] : std::vector<std::pair<std::size_t, std::size_t>>{
           {1, 1}, {5, 5}, {40, 37}, {3, 1000}, {10, 400}, {1, 5000}, {300, 2}, {0, 10}}) {
    for (int round = 0; round < 20; ++round) {
      // Values from a small range so that the sets overlap, and sometimes end or begin
      // beyond each other.
      std::uniform_int_distribution<std::uint64_t> value(0, 3 * (na + nb) + 3);
      auto make = [&](std::size_t n) {
        std::vector<std::uint64_t> v;
        for (std::size_t k = 0; k < n; ++k) v.push_back(value(rng) * 0x9E3779B97F4A7C15ULL);
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
      };
      const auto a = make(na), b = make(nb);
      std::vector<std::uint64_t> both;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
      const double expected =
          a.empty() ? 0.0 : static_cast<double>(both.size()) / static_cast<double>(a.size());
      INFO("|a| = " << a.size() << ", |b| = " << b.size());
      CHECK(paradedup::detail::containment(a, b) == expected);
    }
  }
}

TEST_CASE("the shingle index lists every shingle's paragraphs, in order", "[detect]") {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> paragraphs(0, 60), length(0, 50);
  std::uniform_int_distribution<std::uint64_t> value(0, 400);
  for (int round = 0; round < 40; ++round) {
    std::vector<paradedup::paragraph_features> unsorted(static_cast<std::size_t>(paragraphs(rng)));
    std::map<std::uint64_t, std::vector<std::uint32_t>> expected;
    for (std::size_t i = 0; i < unsorted.size(); ++i) {
      unsorted[i].chars = i % 7 == 3 ? 0 : 10;  // some without characters: left out
      const int n = length(rng);
      for (int k = 0; k < n; ++k) {  // any order, repeats allowed
        unsorted[i].shingles.push_back(value(rng) * 0xC2B2AE3D27D4EB4FULL);
      }
      if (unsorted[i].chars == 0) continue;
      for (std::uint64_t h : unsorted[i].shingles) {
        auto& list = expected[h];
        if (list.empty() || list.back() != i) list.push_back(static_cast<std::uint32_t>(i));
      }
    }
    auto check = [&](const paradedup::shingle_index& idx) {
      REQUIRE(idx.distinct.size() == expected.size());
      REQUIRE(idx.holders_end.size() == expected.size());
      std::size_t k = 0, begin = 0;
      for (const auto& [h, list] : expected) {
        CHECK(idx.distinct[k] == h);
        CHECK(idx.holder_count(k) == list.size());
        CHECK(std::vector<std::uint32_t>(idx.holders.begin() + static_cast<std::ptrdiff_t>(begin),
                                         idx.holders.begin() + idx.holders_end[k]) == list);
        begin = idx.holders_end[k];
        ++k;
      }
    };
    // Rewriting: unsorted lists with repeats come out sorted and distinct.
    auto rewritten = unsorted;
    paradedup::shingle_index idx;
    paradedup::detail::index_shingles(&rewritten, rewritten, idx);
    check(idx);
    for (std::size_t i = 0; i < unsorted.size(); ++i) {
      auto want = unsorted[i].shingles;
      std::sort(want.begin(), want.end());
      want.erase(std::unique(want.begin(), want.end()), want.end());
      CHECK(rewritten[i].shingles == want);
    }
    // The public form, on sorted lists, gives the same index.
    check(paradedup::index_shingles(rewritten));
  }
}

TEST_CASE("many copies of a few short lines: the twin candidates stay within budget",
          "[detect][regression]") {
  // A million copies of ten short lines held 64 twin candidates each: 1.4 GB for 3.7 MB.
  const char* const values[] = {"yes", "no", "maybe", "ok", "n/a"};
  std::string text;
  const std::size_t lines = 30000;
  for (std::size_t k = 0; k < lines; ++k) {
    text += values[(k * 7 + k / 3) % 5];
    text += '\n';
  }
  paradedup::options o;
  o.mode = paradedup::segment_mode::lines;
  const auto seg = paradedup::split_paragraphs(text, o.mode);
  const auto feats = paradedup::compute_features(text, seg, o);
  const auto det = paradedup::find_duplicates(feats, o);
  REQUIRE(det.matches.size() == lines);
  const std::size_t budget = paradedup::detail::twin_budget_per_paragraph * lines +
                             paradedup::detail::twin_budget_slack;
  std::size_t stored = 0;
  for (const auto& m : det.matches) stored += m.candidates.size();
  // Past the budget, each paragraph stores at most min_twins more.
  CHECK(stored <= budget + paradedup::detail::max_twins + paradedup::detail::min_twins * lines);
  CHECK(stored < lines * paradedup::detail::max_twins / 4);
  // The first paragraphs still get every twin up to max_twins; the last ones get the first
  // min_twins, which are the earliest copies.
  CHECK(det.matches[1000].candidates.size() == paradedup::detail::max_twins);
  const auto& last = det.matches.back();
  REQUIRE(last.candidates.size() == paradedup::detail::min_twins);
  CHECK(last.kind == paradedup::duplicate_kind::exact);
  CHECK(last.candidates.front().of == last.best);
  CHECK(last.best < 5);
}

TEST_CASE("find_duplicates refuses a shingle index of other paragraphs", "[detect]") {
  paradedup::options o;
  const std::string text = "the first paragraph of a few words here\nanother one\n"
                           "the first paragraph of a few words here\n";
  const auto seg = paradedup::split_paragraphs(text, paradedup::segment_mode::lines);
  const auto feats = paradedup::compute_features(text, seg, o);
  const auto good = paradedup::index_shingles(feats);
  CHECK(paradedup::find_duplicates(feats, good, o).matches[2].kind ==
        paradedup::duplicate_kind::exact);
  const std::vector<paradedup::paragraph_features> fewer(feats.begin(), feats.begin() + 1);
  CHECK_THROWS_AS(paradedup::find_duplicates(fewer, good, o), paradedup::error);
  auto broken = good;
  broken.holders_end.pop_back();
  CHECK_THROWS_AS(paradedup::find_duplicates(feats, broken, o), paradedup::error);
}

// End-to-end tests of paradedup::deduplicate() with default options: the example article of
// DESIGN.md and its harder forms, documents without repeats, property tests over generated
// documents, and bad input (invalid UTF-8, NUL bytes).
//
// Fixtures are in tests/data (made by tests/data/make_fixtures.py, see tests/data/README.md)
// and examples/data. Line numbers below are 1-based, paragraph indices 0-based.

#include <algorithm>  // std::find, std::count
#include <catch2/catch.hpp>
#include <cstddef>  // std::size_t
#include <filesystem>  // std::filesystem::directory_iterator
#include <fstream>
#include <map>
#include <random>  // std::mt19937
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>  // std::pair
#include <vector>

#include "paradedup/deduplicate.hpp"
#include "paradedup/output.hpp"

namespace {

std::string read_path(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  INFO("fixture: " << path);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string test_data(const std::string& name) {
  return read_path(std::string(PARADEDUP_TEST_DATA) + "/" + name);
}

std::string example_data(const std::string& name) {
  return read_path(std::string(PARADEDUP_EXAMPLES_DATA) + "/" + name);
}

std::string report(const paradedup::result& r) {
  return paradedup::report_json("doc", r.segments, r.removed);
}

// Physical lines of text, each with its terminator ("\n" or "\r\n"; none for a last line
// without one). Only LF ends a line here: the fixtures use nothing else.
std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.emplace_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

// The text made of the given 1-based inclusive line ranges of `text`, byte for byte.
std::string keep_lines(std::string_view text, std::vector<std::pair<int, int>> ranges) {
  const auto lines = lines_of(text);
  std::string out;
  for (const auto& [a, b] : ranges) {
    for (int l = a; l <= b; ++l) {
      REQUIRE(l >= 1);
      REQUIRE(static_cast<std::size_t>(l) <= lines.size());
      out += lines[static_cast<std::size_t>(l) - 1];
    }
  }
  return out;
}

// First line of the paragraph at index i.
std::size_t line_of(const paradedup::result& r, std::size_t i) {
  return r.segments.paragraphs.at(i).line;
}

// Last line of the paragraph at index i.
std::size_t last_line_of(const paradedup::result& r, std::size_t i) {
  const auto& p = r.segments.paragraphs.at(i);
  return p.line + p.lines - 1;
}

// Index of the paragraph starting on `line`; fails when there is none.
std::size_t paragraph_at_line(const paradedup::result& r, std::size_t line) {
  for (std::size_t i = 0; i < r.segments.paragraphs.size(); ++i) {
    if (r.segments.paragraphs[i].line == line) return i;
  }
  INFO("no paragraph starts on line " << line);
  FAIL();
  return 0;
}

// First lines of the removed paragraphs, in order.
std::vector<std::size_t> removed_lines(const paradedup::result& r) {
  std::vector<std::size_t> out;
  for (const auto& rm : r.removed.removed) out.push_back(line_of(r, rm.index));
  return out;
}

std::vector<std::size_t> range(std::size_t a, std::size_t b) {
  std::vector<std::size_t> out;
  for (std::size_t i = a; i <= b; ++i) out.push_back(i);
  return out;
}

// The removal of the paragraph starting on `line`; fails when it was not removed.
const paradedup::removal& removal_at_line(const paradedup::result& r, std::size_t line) {
  for (const auto& rm : r.removed.removed) {
    if (line_of(r, rm.index) == line) return rm;
  }
  INFO("paragraph on line " << line << " was not removed");
  FAIL();
  return r.removed.removed.front();
}

// Block as line numbers: {first_lines.first, first_lines.last, repeat.first, repeat.last}.
std::vector<std::size_t> block_lines(const paradedup::result& r, const paradedup::block& b) {
  return {line_of(r, b.first_begin), last_line_of(r, b.first_last), line_of(r, b.repeat_begin),
          last_line_of(r, b.repeat_last)};
}

// Checks shared by the harder forms of the example article: text, removed lines, blocks, and
// that every removal names the right kept paragraph. `of_line(line)` maps a removed line to
// the line of the paragraph it repeats (0: do not check).
template <typename OfLine>
void check_article_form(const paradedup::result& r, const std::string& input,
                        const std::vector<std::pair<int, int>>& kept,
                        const std::vector<std::size_t>& removed,
                        const std::vector<std::vector<std::size_t>>& blocks, OfLine of_line) {
  INFO(report(r));
  CHECK(r.segments.mode == paradedup::segment_mode::lines);
  CHECK(r.text == keep_lines(input, kept));
  CHECK(removed_lines(r) == removed);
  REQUIRE(r.removed.blocks.size() == blocks.size());
  for (std::size_t k = 0; k < blocks.size(); ++k) {
    CHECK(block_lines(r, r.removed.blocks[k]) == blocks[k]);
  }
  for (const auto& rm : r.removed.removed) {
    CHECK(rm.duplicate_of < rm.index);
    CHECK_FALSE(r.removed.dropped[rm.duplicate_of]);
    CHECK(rm.in_block);
    const std::size_t expected_of = of_line(line_of(r, rm.index));
    if (expected_of != 0) {
      INFO("removed line " << line_of(r, rm.index));
      CHECK(line_of(r, rm.duplicate_of) == expected_of);
    }
  }
  CHECK(r.diagnostics.empty());
  CHECK_FALSE(r.passed_through);
}

// The lines of the copy in article.txt (15..23) repeat lines 3..10 and 12.
std::size_t article_of_line(std::size_t line) {
  if (line >= 15 && line <= 22) return line - 12;
  if (line == 23) return 12;
  return 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// 1. The example that defines the job.

TEST_CASE("example article: the doubled body goes as one block", "[e2e][deduplicate]") {
  const std::string input = example_data("article.txt");
  REQUIRE(lines_of(input).size() == 27);
  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));

  check_article_form(r, input, {{1, 14}, {24, 27}}, range(15, 23), {{3, 12, 15, 23}},
                     article_of_line);

  SECTION("every long copy is exact; the short sub-heading goes with the block") {
    for (const auto& rm : r.removed.removed) {
      INFO("removed line " << line_of(r, rm.index));
      if (line_of(r, rm.index) == 18) {
        CHECK(rm.kind == paradedup::duplicate_kind::block);
        CHECK(line_of(r, rm.duplicate_of) == 6);
      } else {
        CHECK(rm.kind == paradedup::duplicate_kind::exact);
        CHECK(rm.similarity == 1.0);
      }
      CHECK(rm.block == 0);
    }
  }
  SECTION("the counter and the site boilerplate stay") {
    for (std::size_t line : {13, 14, 26, 27}) {
      INFO("line " << line);
      CHECK_FALSE(r.removed.dropped[paragraph_at_line(r, line)]);
    }
    CHECK(r.kept() == 15);
  }
  SECTION("the JSON report names the block by lines") {
    const std::string json = report(r);
    CHECK(json.find("\"first_lines\":[3,12],\"repeat_lines\":[15,23]") != std::string::npos);
    CHECK(json.find("\"kind\":\"block\"") != std::string::npos);
  }
  SECTION("a second run removes nothing") {
    const paradedup::result again = paradedup::deduplicate(r.text);
    INFO(report(again));
    CHECK(again.removed.removed.empty());
    CHECK(again.text == r.text);
  }
}

// ---------------------------------------------------------------------------------------
// 2-7. Harder forms of the same article.

TEST_CASE("a doubled body with a text table goes whole, border lines and all",
          "[e2e][deduplicate]") {
  // Found by a review: border lines come two in a row ("+---+" closing one row, "+---+"
  // opening the next); a run could bridge only one symbol-only line, so the second copy's
  // table stayed.
  std::string body = "Grandmother's apple cake is a simple recipe kept in our family for years.\n";
  for (const char* row : {"| 3 apples |", "| 200 g flour |", "| 150 g sugar |", "| 2 eggs |"}) {
    body += "+---------------+\n";
    body += std::string(row) + "\n";
    body += "+---------------+\n";
  }
  body += "Preheat the oven to 180 degrees and grease a round cake tin with butter.\n";
  paradedup::options o;
  o.mode = paradedup::segment_mode::lines;
  const auto r = paradedup::deduplicate(body + body, o);
  CHECK(r.text == body);
  // Border lines after a repeated line whose original is followed by text, not by a border,
  // stay: only a border opposite a border goes with a block.
  const std::string lone = "A line long enough to be removed when it is repeated here.\n";
  const auto t = paradedup::deduplicate(
      lone + "Then a line of its own words.\n" + lone + "+-----+\n+-----+\n", o);
  CHECK(t.text == lone + "Then a line of its own words.\n+-----+\n+-----+\n");
}

TEST_CASE("article whose copy is in Simplified characters", "[e2e][deduplicate]") {
  const std::string input = test_data("article_simplified_copy.txt");
  const std::string original = example_data("article.txt");
  REQUIRE(input != original);
  REQUIRE(keep_lines(input, {{1, 14}}) == keep_lines(original, {{1, 14}}));
  const paradedup::result r = paradedup::deduplicate(input);
  check_article_form(r, input, {{1, 14}, {24, 27}}, range(15, 23), {{3, 12, 15, 23}},
                     article_of_line);
  for (const auto& rm : r.removed.removed) {
    INFO("removed line " << line_of(r, rm.index));
    if (line_of(r, rm.index) == 18) continue;
    CHECK(rm.similarity >= 0.8);
  }
}

TEST_CASE("article whose copy has half-width punctuation", "[e2e][deduplicate]") {
  const std::string input = test_data("article_halfwidth_copy.txt");
  REQUIRE(input.find("\xEF\xBC\x8C") < input.find(","));  // full-width comma first, then ','
  const paradedup::result r = paradedup::deduplicate(input);
  check_article_form(r, input, {{1, 14}, {24, 27}}, range(15, 23), {{3, 12, 15, 23}},
                     article_of_line);
  for (const auto& rm : r.removed.removed) {
    INFO("removed line " << line_of(r, rm.index));
    if (line_of(r, rm.index) == 18) continue;
    // Punctuation is dropped by canonicalization: the copies are exact.
    CHECK(rm.kind == paradedup::duplicate_kind::exact);
  }
}

TEST_CASE("article with CRLF line ends keeps them byte for byte", "[e2e][deduplicate]") {
  const std::string input = test_data("article_crlf.txt");
  REQUIRE(std::count(input.begin(), input.end(), '\n') == 27);
  REQUIRE(std::count(input.begin(), input.end(), '\r') == 27);
  const paradedup::result r = paradedup::deduplicate(input);
  check_article_form(r, input, {{1, 14}, {24, 27}}, range(15, 23), {{3, 12, 15, 23}},
                     article_of_line);
  // Same bytes as the LF result with every LF turned into CR LF; no bare LF, no bare CR.
  const paradedup::result lf = paradedup::deduplicate(example_data("article.txt"));
  std::string crlf;
  for (char c : lf.text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  CHECK(r.text == crlf);
  CHECK(std::count(r.text.begin(), r.text.end(), '\n') ==
        std::count(r.text.begin(), r.text.end(), '\r'));
  CHECK(r.text.find("\r\r") == std::string::npos);
  // Spans match the LF document's paragraph for paragraph.
  REQUIRE(r.segments.paragraphs.size() == lf.segments.paragraphs.size());
  CHECK(r.removed.dropped == lf.removed.dropped);
}

TEST_CASE("a copy paragraph with new facts appended stays", "[e2e][deduplicate]") {
  // Line 17 (copy of line 5) has a sentence of new facts appended: its text is not all in
  // the earlier copy, so it is kept, and the repeated block is reported in two parts.
  const std::string input = test_data("article_extended_copy.txt");
  REQUIRE(lines_of(input).size() == 27);
  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));
  CHECK(r.text == keep_lines(input, {{1, 14}, {17, 17}, {24, 27}}));
  CHECK(removed_lines(r) == std::vector<std::size_t>{15, 16, 18, 19, 20, 21, 22, 23});
  REQUIRE(r.removed.blocks.size() == 2);
  CHECK(block_lines(r, r.removed.blocks[0]) == std::vector<std::size_t>{3, 4, 15, 16});
  CHECK(block_lines(r, r.removed.blocks[1]) == std::vector<std::size_t>{6, 12, 18, 23});
}

TEST_CASE("article whose copy edits one paragraph and merges two", "[e2e][deduplicate]") {
  // Line 17 (copy of line 5) has characters changed in 3 places (樂見 -> 樂意, 提前 ->
  // 提早, 部分 -> 部份; similarity about 0.81): it adds characters that line 5 lacks, so the
  // no-loss rule keeps it, and the copy goes as two blocks around it; line 19 is lines 7 and 8
  // merged into one line. The copy is lines 15-22, the caption again on 22.
  const std::string input = test_data("article_edited_merged_copy.txt");
  REQUIRE(lines_of(input).size() == 26);
  const paradedup::result r = paradedup::deduplicate(input);
  auto of_line = [](std::size_t line) -> std::size_t {
    if (line >= 15 && line <= 18) return line - 12;
    if (line == 19) return 0;  // merged: checked below
    if (line >= 20 && line <= 21) return line - 11;
    if (line == 22) return 12;
    return 0;
  };
  check_article_form(r, input, {{1, 14}, {17, 17}, {23, 26}}, {15, 16, 18, 19, 20, 21, 22},
                     {{3, 4, 15, 16}, {6, 12, 18, 22}}, of_line);
  INFO(report(r));

  SECTION("the edited paragraph stays, reported as a look-alike of line 5") {
    REQUIRE(r.removed.kept_near.size() == 1);
    const auto& k = r.removed.kept_near[0];
    CHECK(line_of(r, k.index) == 17);
    CHECK(line_of(r, k.of) == 5);
    CHECK(k.similarity >= 0.8);
    CHECK(k.similarity < 0.85);
    // The characters it adds (after Traditional -> Simplified folding): 意 早 份 (its 歡迎
    // stands where line 5 has 樂見, but line 5 has 歡迎 elsewhere).
    CHECK(k.added == std::vector<std::string>{"\xE6\x84\x8F", "\xE6\x97\xA9", "\xE4\xBB\xBD"});
    CHECK(report(r).find("\"kept_near\":[{") != std::string::npos);
  }
  SECTION("under near_rule::similar it bridges the block, as a copy of line 5") {
    paradedup::options o;
    o.near = paradedup::near_rule::similar;
    const paradedup::result s = paradedup::deduplicate(input, o);
    check_article_form(s, input, {{1, 14}, {23, 26}}, range(15, 22), {{3, 12, 15, 22}}, of_line);
    const auto& rm = removal_at_line(s, 17);
    CHECK(rm.kind == paradedup::duplicate_kind::block);
    CHECK(line_of(s, rm.duplicate_of) == 5);
    CHECK(rm.similarity >= 0.8);
    CHECK(rm.similarity < 0.85);
    CHECK(s.removed.kept_near.empty());
  }
  SECTION("the merged paragraph names both halves") {
    const auto& rm = removal_at_line(r, 19);
    CHECK(rm.kind == paradedup::duplicate_kind::near);
    CHECK(rm.merged);
    const std::set<std::size_t> halves{line_of(r, rm.duplicate_of), line_of(r, rm.also_of)};
    CHECK(halves == std::set<std::size_t>{7, 8});
    CHECK(rm.similarity >= 0.8);
    const std::string json = report(r);
    CHECK(json.find("\"also_of\":") != std::string::npos);
  }
}

TEST_CASE("article whose copy stops in the middle of a paragraph", "[e2e][deduplicate]") {
  // Copy: lines 15-19 whole (lines 3-7), line 20 the first half of line 8; then the blank
  // lines and the boilerplate of the article's end.
  const std::string input = test_data("article_truncated_copy.txt");
  REQUIRE(lines_of(input).size() == 24);
  const paradedup::result r = paradedup::deduplicate(input);
  check_article_form(r, input, {{1, 14}, {21, 24}}, range(15, 20), {{3, 8, 15, 20}},
                     [](std::size_t line) { return line - 12; });
  INFO(report(r));
  const auto& cut = removal_at_line(r, 20);
  CHECK(cut.kind == paradedup::duplicate_kind::near);
  CHECK(cut.similarity >= 0.8);  // all of the half is in line 8
}

TEST_CASE("interleaved copy p1 p2 p1 p2 p3 p4 p3 p4", "[e2e][deduplicate]") {
  // Line 1 title, 2-9 the paragraphs, 10 "1", 11 boilerplate.
  const std::string input = test_data("article_interleaved.txt");
  REQUIRE(lines_of(input).size() == 11);
  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));
  CHECK(r.text == keep_lines(input, {{1, 3}, {6, 7}, {10, 11}}));
  CHECK(removed_lines(r) == std::vector<std::size_t>{4, 5, 8, 9});
  REQUIRE(r.removed.blocks.size() == 2);
  CHECK(block_lines(r, r.removed.blocks[0]) == std::vector<std::size_t>{2, 3, 4, 5});
  CHECK(block_lines(r, r.removed.blocks[1]) == std::vector<std::size_t>{6, 7, 8, 9});
  for (const auto& rm : r.removed.removed) {
    INFO("removed line " << line_of(r, rm.index));
    CHECK(rm.kind == paradedup::duplicate_kind::exact);
    CHECK(line_of(r, rm.duplicate_of) == line_of(r, rm.index) - 2);
  }
}

// ---------------------------------------------------------------------------------------
// 8. English, hard-wrapped, blank-line separated; the repeat re-wrapped.

TEST_CASE("English wrapped at 72 columns, repeat re-wrapped at 60", "[e2e][deduplicate]") {
  // Paragraphs 0-5 wrapped at 72, 6-9 = 1-4 wrapped at 60, 10 wrapped at 72.
  const std::string input = test_data("english_rewrapped.txt");
  std::vector<std::string> chunks;  // paragraphs as written, split on the blank lines
  for (std::size_t at = 0;;) {
    const std::size_t sep = input.find("\n\n", at);
    if (sep == std::string::npos) {
      chunks.push_back(input.substr(at));
      break;
    }
    chunks.push_back(input.substr(at, sep - at));
    at = sep + 2;
  }
  REQUIRE(chunks.size() == 11);
  for (std::size_t k = 6; k <= 9; ++k) REQUIRE(chunks[k] != chunks[k - 5]);  // other wrapping

  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));
  CHECK(r.segments.mode == paradedup::segment_mode::blank);
  REQUIRE(r.segments.paragraphs.size() == 11);
  std::string expected;
  for (std::size_t k : {0, 1, 2, 3, 4, 5, 10}) {
    if (!expected.empty()) expected += "\n\n";
    expected += chunks[k];
  }
  CHECK(r.text == expected);
  REQUIRE(r.removed.removed.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) {
    const auto& rm = r.removed.removed[k];
    CHECK(rm.index == 6 + k);
    CHECK(rm.duplicate_of == 1 + k);
    CHECK(rm.kind == paradedup::duplicate_kind::exact);  // wrapping is whitespace only
  }
  REQUIRE(r.removed.blocks.size() == 1);
  CHECK(r.removed.blocks[0].first_begin == 1);
  CHECK(r.removed.blocks[0].first_last == 4);
  CHECK(r.removed.blocks[0].repeat_begin == 6);
  CHECK(r.removed.blocks[0].repeat_last == 9);
}

// ---------------------------------------------------------------------------------------
// 9. Japanese.

TEST_CASE("Japanese news-like article with a doubled body", "[e2e][deduplicate]") {
  // 1 title, 2 lead, 3-8 body (5: a short heading), 9 empty, 10 caption, 11 "1",
  // 12 boilerplate, 13-18 the body again, 19 the caption again, 20-21 empty, 22-23 boilerplate.
  const std::string input = test_data("japanese_article.txt");
  REQUIRE(lines_of(input).size() == 23);
  const paradedup::result r = paradedup::deduplicate(input);
  check_article_form(r, input, {{1, 12}, {20, 23}}, range(13, 19), {{3, 10, 13, 19}},
                     [](std::size_t line) -> std::size_t { return line == 19 ? 10 : line - 10; });
  INFO(report(r));
  CHECK(removal_at_line(r, 15).kind == paradedup::duplicate_kind::block);
  for (std::size_t line : {11, 12, 22, 23}) {
    CHECK_FALSE(r.removed.dropped[paragraph_at_line(r, line)]);
  }
}

// ---------------------------------------------------------------------------------------
// 10-11. Nothing to remove.

TEST_CASE("documents without repeats come back byte for byte", "[e2e][deduplicate]") {
  const std::vector<std::string> names = {
      "norepeat_gpl3.txt",       "norepeat_apache2.txt", "norepeat_zh_tw.txt",
      "norepeat_ja_wrapped.txt", "pool_en.txt",          "pool_ja.txt",
      "pool_zh_tw.txt",          "pool_zh_cn.txt",       "labels.txt"};
  for (const auto& name : names) {
    const std::string input = test_data(name);
    const paradedup::result r = paradedup::deduplicate(input);
    INFO(name << ": " << report(r));
    CHECK(r.removed.removed.empty());
    CHECK(r.removed.blocks.empty());
    CHECK(r.text == input);
  }
  SECTION("the first half of the example article, and the article already cleaned") {
    const std::string article = example_data("article.txt");
    for (const std::string& input :
         {keep_lines(article, {{1, 14}}), keep_lines(article, {{1, 14}, {24, 27}})}) {
      const paradedup::result r = paradedup::deduplicate(input);
      INFO(report(r));
      CHECK(r.text == input);
    }
  }
  SECTION("empty and blank documents") {
    for (const std::string input : {"", "\n", "\n\n\n", "  \r\n\t\n", "x", "\xEF\xBB\xBF"}) {
      const paradedup::result r = paradedup::deduplicate(input);
      CHECK(r.text == input);
      CHECK(r.removed.removed.empty());
    }
  }
}

TEST_CASE("short labels that repeat between distinct paragraphs are kept", "[e2e][deduplicate]") {
  // "Note:", U+4F8B U+FF1A ("example:") and "Share" before each paragraph in turn, and "1"
  // after every second one; the paragraphs are distinct English, Chinese and Japanese ones.
  const std::string input = test_data("labels.txt");
  const auto lines = lines_of(input);
  REQUIRE(std::count(lines.begin(), lines.end(), "Note:\n") == 3);
  REQUIRE(std::count(lines.begin(), lines.end(), "1\n") == 4);
  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));
  CHECK(r.segments.mode == paradedup::segment_mode::lines);
  CHECK(r.removed.removed.empty());
  CHECK(r.text == input);

  SECTION("also when a real repeat follows a label") {
    // The repeat goes (the label before it may go with it, at the edge of a block); everything
    // before stays.
    std::string doc = input + "Note:\n" + lines[1];  // lines[1] is the first paragraph
    const paradedup::result again = paradedup::deduplicate(doc);
    INFO(report(again));
    REQUIRE(again.removed.removed.size() <= 2);
    CHECK(again.removed.dropped[paragraph_at_line(again, lines.size() + 2)]);
    CHECK(again.text.substr(0, input.size()) == input);
  }
}

// ---------------------------------------------------------------------------------------
// Property tests over generated documents.

namespace {

std::vector<std::string> read_pool(const std::string& name) {
  std::vector<std::string> out;
  for (std::string line : lines_of(test_data(name))) {
    if (!line.empty() && line.back() == '\n') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) {
    s.replace(at, from.size(), to);
  }
}

// Display columns of the UTF-8 sequence starting with byte c (wide for 3- and 4-byte ones,
// close enough for CJK text).
std::size_t char_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

// Wraps at `width` columns without breaking ASCII words, the way text is hard-wrapped:
// English at spaces, CJK between any two characters.
std::string wrap(const std::string& text, std::size_t width) {
  // Units: an ASCII word, one space, or one non-ASCII character.
  std::vector<std::string> units;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t j = i;
    if (c == ' ') {
      j = i + 1;
    } else if (c < 0x80) {
      while (j < text.size() && text[j] != ' ' && static_cast<unsigned char>(text[j]) < 0x80) {
        ++j;
      }
    } else {
      j = i + char_len(c);
    }
    units.push_back(text.substr(i, j - i));
    i = j;
  }
  std::string out, line;
  std::size_t cols = 0;
  for (const auto& u : units) {
    const std::size_t w = static_cast<unsigned char>(u[0]) < 0x80 ? u.size() : 2;
    if (cols + w > width && cols > 0) {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
      line.clear();
      cols = 0;
      if (u == " ") continue;
    }
    line += u;
    cols += w;
  }
  return out + line;
}

// One paragraph of a generated document.
struct gen_item {
  std::string text;
  int source = 0;           // same source = same paragraph (possibly damaged); labels by their text
  bool exact_copy = false;  // byte-identical to an earlier item
  bool label = false;
};

struct gen_doc {
  std::string text;
  bool blank_style = false;
  std::vector<gen_item> items;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // byte span of each item
};

class doc_generator {
 public:
  explicit doc_generator(unsigned seed) : rng_(seed) {
    en_ = read_pool("pool_en.txt");
    ja_ = read_pool("pool_ja.txt");
    zh_tw_ = read_pool("pool_zh_tw.txt");
    zh_cn_ = read_pool("pool_zh_cn.txt");
    REQUIRE(en_.size() >= 20);
    REQUIRE(ja_.size() >= 20);
    REQUIRE(zh_tw_.size() >= 20);
    REQUIRE(zh_cn_.size() == zh_tw_.size());
  }

  gen_doc next() {
    gen_doc d;
    d.blank_style = chance(0.3);
    // Distinct paragraphs, each at most once, from one or several languages.
    const int unique = pick(3, 12);
    std::set<int> used;
    std::vector<gen_item> items;
    while (static_cast<int>(used.size()) < unique) {
      const int src = pick(0, total() - 1);
      if (!used.insert(src).second) continue;
      items.push_back({original(src), src, false, false});
    }
    // Labels between them.
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (chance(0.25)) {
        const int l = pick(0, static_cast<int>(labels().size()) - 1);
        items.insert(items.begin() + static_cast<std::ptrdiff_t>(k),
                     gen_item{labels()[l], -1 - l, false, true});
        ++k;
      }
    }
    // Repeats: single paragraphs and whole runs, possibly damaged.
    const int repeats = pick(0, 4);
    for (int k = 0; k < repeats; ++k) {
      const std::size_t from =
          static_cast<std::size_t>(pick(0, static_cast<int>(items.size()) - 1));
      const std::size_t len = chance(0.4) ? static_cast<std::size_t>(pick(2, 4)) : 1;
      const int damage = pick(0, 4);
      std::vector<gen_item> copy;
      for (std::size_t j = from; j < std::min(items.size(), from + len); ++j) {
        copy.push_back(damaged(items[j], damage));
      }
      const std::size_t at = static_cast<std::size_t>(pick(
          static_cast<int>(std::min(items.size(), from + len)), static_cast<int>(items.size())));
      items.insert(items.begin() + static_cast<std::ptrdiff_t>(at), copy.begin(), copy.end());
    }
    // exact_copy: byte-identical to an earlier item.
    std::set<std::string> seen;
    for (auto& it : items) {
      it.exact_copy = !seen.insert(it.text).second;
    }
    // Layout.
    const std::string nl = chance(0.1) ? "\r\n" : "\n";
    const std::size_t width = static_cast<std::size_t>(pick(50, 80));
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (k > 0) {
        if (d.blank_style) {
          d.text += nl + (chance(0.1) ? "  " + nl : "") + (chance(0.1) ? nl : "");
        } else if (chance(0.15)) {
          d.text += nl;
        }
      }
      std::string body = d.blank_style ? wrap(items[k].text, width) : items[k].text;
      if (nl != "\n") replace_all(body, "\n", nl);
      d.spans.emplace_back(d.text.size(), d.text.size() + body.size());
      d.text += body;
      if (k + 1 < items.size() || chance(0.8)) d.text += nl;
    }
    d.items = std::move(items);
    return d;
  }

 private:
  int total() const { return static_cast<int>(en_.size() + ja_.size() + zh_tw_.size()); }
  const std::string& original(int src) const {
    const auto s = static_cast<std::size_t>(src);
    if (s < en_.size()) return en_[s];
    if (s < en_.size() + ja_.size()) return ja_[s - en_.size()];
    return zh_tw_[s - en_.size() - ja_.size()];
  }
  bool is_zh(int src) const {
    return src >= 0 && static_cast<std::size_t>(src) >= en_.size() + ja_.size();
  }
  static const std::vector<std::string>& labels() {
    static const std::vector<std::string> l = {
        "Note:",
        "\xE4\xBE\x8B\xEF\xBC\x9A" /* U+4F8B U+FF1A */,
        "Share",
        "1",
        "\xE6\xB3\xA8\xE6\x84\x8F\xEF\xBC\x9A" /* U+6CE8 U+610F U+FF1A */,
        "\xE3\x82\xB7\xE3\x82\xA7\xE3\x82\xA2" /* U+30B7 U+30A7 U+30A2 */,
        "Tip"};
    return l;
  }

  // 0: exact bytes; 1: other punctuation; 2: other whitespace and case; 3: Simplified
  // characters (Chinese only, else exact); 4: punctuation dropped.
  gen_item damaged(const gen_item& it, int damage) {
    gen_item out = it;
    if (it.label) return out;
    std::string& s = out.text;
    switch (damage) {
      case 1:
        if (is_ascii(s)) {
          replace_all(s, ",", "\xEF\xBC\x8C");  // full-width comma
          replace_all(s, ". ", "! ");
        } else {
          replace_all(s, "\xEF\xBC\x8C", ",");   // U+FF0C
          replace_all(s, "\xE3\x80\x82", ".");   // U+3002
          replace_all(s, "\xE3\x80\x81", ",");   // U+3001
          replace_all(s, "\xE3\x80\x8C", "\"");  // U+300C
          replace_all(s, "\xE3\x80\x8D", "\"");  // U+300D
          replace_all(s, "\xEF\xBC\x88", "(");   // U+FF08
          replace_all(s, "\xEF\xBC\x89", ")");   // U+FF09
        }
        break;
      case 2:
        replace_all(s, " ", "  ");
        s = " " + s + "\t";
        for (char& c : s) {
          if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        break;
      case 3:
        if (is_zh(it.source)) {
          s = zh_cn_[static_cast<std::size_t>(it.source) - en_.size() - ja_.size()];
        }
        break;
      case 4: {
        std::string t;
        for (char c : s) {
          if (c != ',' && c != '.' && c != '"' && c != '(' && c != ')') t += c;
        }
        s = t;
        break;
      }
      default:
        break;
    }
    return out;
  }

  bool chance(double p) { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p; }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::mt19937 rng_;
  std::vector<std::string> en_, ja_, zh_tw_, zh_cn_;
};

std::string paragraph_text(std::string_view text, const paradedup::paragraph& p) {
  return std::string(text.substr(p.begin, p.end - p.begin));
}

// Collects the first few failures of a property so that a failing run prints one readable
// example instead of thousands of assertions.
struct failures {
  std::size_t count = 0;
  std::string first;
  void add(const std::string& what, const gen_doc& d, const paradedup::result& r) {
    if (count == 0) {
      first += "--- " + what + "\nreport: " + report(r) + "\ndocument:\n" + d.text + "\n";
    } else if (count < 20) {
      first += "--- also: " + what + "\n";
    }
    ++count;
  }
};

std::string describe(const paradedup::removal& rm, const paradedup::result& r) {
  std::ostringstream s;
  s << "paragraph " << rm.index << " kind " << paradedup::to_string(rm.kind) << " of "
    << rm.duplicate_of << (r.removed.dropped[rm.duplicate_of] ? " (removed)" : "") << " similarity "
    << rm.similarity;
  if (rm.merged) s << " also_of " << rm.also_of;
  return s.str();
}

// Property (a): the kept paragraphs, byte-identical and in order, are the output's.
// Checked twice: by the library's own segmentation of the output, and line by line (every
// output line is an input line, in order; every input line left out is blank or part of a
// removed paragraph).
bool output_is_subsequence(std::string_view input, const paradedup::result& r) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < r.segments.paragraphs.size(); ++i) {
    if (!r.removed.dropped[i]) kept.push_back(paragraph_text(input, r.segments.paragraphs[i]));
  }
  const auto out_seg = paradedup::split_paragraphs(r.text, r.segments.mode);
  std::vector<std::string> got;
  for (const auto& p : out_seg.paragraphs) got.push_back(paragraph_text(r.text, p));
  if (got != kept) return false;

  std::vector<bool> in_removed(lines_of(input).size() + 1, false);  // by 0-based line
  for (const auto& rm : r.removed.removed) {
    const auto& p = r.segments.paragraphs[rm.index];
    for (std::size_t l = p.line - 1; l < p.line - 1 + p.lines; ++l) in_removed[l] = true;
  }
  const auto in_lines = lines_of(input);
  const auto out_lines = lines_of(r.text);
  std::size_t j = 0;
  for (std::size_t i = 0; i < in_lines.size(); ++i) {
    // A removed paragraph's last line may have taken the line end of the kept line before it
    // (the last paragraph in blank mode): compare without terminators then.
    auto strip = [](std::string s) {
      while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
      return s;
    };
    if (j < out_lines.size() &&
        (out_lines[j] == in_lines[i] ||
         (j + 1 == out_lines.size() && strip(out_lines[j]) == strip(in_lines[i])))) {
      if (!in_removed[i]) {
        ++j;
        continue;
      }
    }
    const bool blank = strip(in_lines[i]).find_first_not_of(" \t") == std::string::npos;
    if (!blank && !in_removed[i]) return false;
  }
  return j == out_lines.size();
}

}  // namespace

TEST_CASE("properties over generated documents", "[property][deduplicate]") {
  doc_generator gen(20240601u);
  failures subsequence, targets, idempotent, unique_removed, exact_missed, bytes;
  std::size_t docs = 0, removed_total = 0, blank_docs = 0;
  for (int n = 0; n < 300; ++n) {
    const gen_doc d = gen.next();
    const paradedup::result r = paradedup::deduplicate(d.text);
    ++docs;
    blank_docs += r.segments.mode == paradedup::segment_mode::blank;
    removed_total += r.removed.removed.size();
    const auto& paras = r.segments.paragraphs;

    // (a) the output is a subsequence of the input's paragraphs.
    if (!output_is_subsequence(d.text, r)) subsequence.add("(a) doc " + std::to_string(n), d, r);

    // (b) every removal names an earlier kept paragraph with similarity >= 0.5 (1 if exact).
    for (const auto& rm : r.removed.removed) {
      bool ok = rm.duplicate_of < rm.index && !r.removed.dropped[rm.duplicate_of] &&
                rm.similarity >= 0.5 && rm.similarity <= 1.0;
      if (rm.kind == paradedup::duplicate_kind::exact) ok = ok && rm.similarity == 1.0;
      if (rm.merged) ok = ok && rm.also_of < rm.index && !r.removed.dropped[rm.also_of];
      if (!ok) {
        targets.add("(b) doc " + std::to_string(n) + " " + describe(rm, r), d, r);
      }
    }

    // (c) a second run removes nothing.
    const paradedup::result again = paradedup::deduplicate(r.text);
    if (!again.removed.removed.empty() || again.text != r.text) {
      idempotent.add("(c) doc " + std::to_string(n) + ", second run: " + report(again), d, r);
    }

    // Which generated items each paragraph covers (by byte overlap).
    std::map<int, int> occurrences;
    for (const auto& it : d.items) ++occurrences[it.source];
    for (std::size_t i = 0; i < paras.size(); ++i) {
      std::vector<std::size_t> covered;
      for (std::size_t k = 0; k < d.spans.size(); ++k) {
        if (d.spans[k].first < paras[i].end && paras[i].begin < d.spans[k].second) {
          covered.push_back(k);
        }
      }
      // (d) a paragraph made only of text that occurs once is never removed.
      bool all_once = !covered.empty();
      for (std::size_t k : covered) all_once = all_once && occurrences[d.items[k].source] == 1;
      if (all_once && r.removed.dropped[i]) {
        unique_removed.add("(d) doc " + std::to_string(n) + " paragraph " + std::to_string(i), d,
                           r);
      }
      // (e) an exact copy of a long paragraph, alone in its paragraph, is removed.
      if (covered.size() == 1 && d.items[covered[0]].exact_copy && !d.items[covered[0]].label &&
          paras[i].begin == d.spans[covered[0]].first &&
          paras[i].end == d.spans[covered[0]].second && !r.removed.dropped[i]) {
        exact_missed.add("(e) doc " + std::to_string(n) + " paragraph " + std::to_string(i), d, r);
      }
    }

    // No byte is lost but those of removed paragraphs and the blank lines around them.
    std::size_t removed_bytes = 0;
    for (const auto& [b, e] : paradedup::removed_ranges(r.segments, r.removed.dropped)) {
      removed_bytes += e - b;
    }
    if (r.text.size() + removed_bytes != d.text.size() ||
        (r.removed.removed.empty() && r.text != d.text)) {
      bytes.add("bytes doc " + std::to_string(n), d, r);
    }
  }
  INFO("documents: " << docs << " (" << blank_docs
                     << " in blank mode), paragraphs removed: " << removed_total);
  CHECK(removed_total > 100);  // the generator does produce repeats
  CHECK(blank_docs > 30);      // and both modes
  {
    INFO(subsequence.first);
    CHECK(subsequence.count == 0);
  }
  {
    INFO(targets.first);
    CHECK(targets.count == 0);
  }
  {
    INFO(idempotent.first);
    CHECK(idempotent.count == 0);
  }
  {
    INFO(unique_removed.first);
    CHECK(unique_removed.count == 0);
  }
  {
    INFO(exact_missed.first);
    CHECK(exact_missed.count == 0);
  }
  {
    INFO(bytes.first);
    CHECK(bytes.count == 0);
  }
}

TEST_CASE("properties hold with NUL and invalid bytes under policy replace",
          "[property][deduplicate]") {
  doc_generator gen(7u);
  std::mt19937 rng(99u);
  paradedup::options o;
  o.on_invalid = paradedup::invalid_policy::replace;
  failures subsequence, targets, lost;
  for (int n = 0; n < 150; ++n) {
    gen_doc d = gen.next();
    // Insert a few NUL or invalid bytes at random offsets (possibly inside a character).
    const int damage = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int k = 0; k < damage; ++k) {
      std::size_t at = std::uniform_int_distribution<std::size_t>(0, d.text.size())(rng);
      if (at > 0 && d.text[at - 1] == '\r') --at;  // keep CR LF pairs whole
      static const char* const bad[] = {"\x00", "\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xE6\x96"};
      const std::size_t which = std::uniform_int_distribution<std::size_t>(0, 4)(rng);
      d.text.insert(at, which == 0 ? std::string(1, '\0') : std::string(bad[which]));
    }
    paradedup::result r;
    REQUIRE_NOTHROW(r = paradedup::deduplicate(d.text, o));
    if (!output_is_subsequence(d.text, r)) subsequence.add("(a) doc " + std::to_string(n), d, r);
    for (const auto& rm : r.removed.removed) {
      if (rm.duplicate_of >= rm.index || r.removed.dropped[rm.duplicate_of]) {
        targets.add("(b) doc " + std::to_string(n), d, r);
      }
    }
    if (r.removed.removed.empty() && r.text != d.text) lost.add("doc " + std::to_string(n), d, r);
  }
  {
    INFO(subsequence.first);
    CHECK(subsequence.count == 0);
  }
  {
    INFO(targets.first);
    CHECK(targets.count == 0);
  }
  {
    INFO(lost.first);
    CHECK(lost.count == 0);
  }
}

// ---------------------------------------------------------------------------------------
// Bad input.

TEST_CASE("invalid UTF-8 under each policy", "[e2e][deduplicate][utf8]") {
  const std::string article = example_data("article.txt");
  // A stray continuation byte inside line 3 (the first copy of the body's first paragraph),
  // after its first character.
  const std::size_t line3 = keep_lines(article, {{1, 2}}).size();
  const std::size_t bad_at = line3 + 3;
  std::string input = article;
  input.insert(bad_at, "\x80");

  SECTION("fail (the default) throws invalid_utf8 with the offset") {
    try {
      (void)paradedup::deduplicate(input);
      FAIL("no exception");
    } catch (const paradedup::error& e) {
      CHECK(e.code() == paradedup::errc::invalid_utf8);
      CHECK(e.byte_offset() == bad_at);
    }
  }
  SECTION("fail: offsets of other malformed forms") {
    const std::vector<std::pair<std::string, std::size_t>> cases = {
        {"abc\xFF", 3},                    // never valid
        {"ab\xC0\xAF\n", 2},               // overlong '/'
        {"a\n\xED\xA0\x80\n", 2},          // surrogate
        {"ok\xF4\x90\x80\x80", 2},         // above U+10FFFF
        {"\xE6\x96\x87\xE6\x96", 3},       // truncated at the end
        {"x\xE6\x96y", 1},                 // truncated in the middle
        {std::string("\0\0\x80", 3), 2}};  // after NULs
    for (const auto& [text, offset] : cases) {
      INFO("offset " << offset);
      try {
        (void)paradedup::deduplicate(text);
        FAIL("no exception");
      } catch (const paradedup::error& e) {
        CHECK(e.code() == paradedup::errc::invalid_utf8);
        CHECK(e.byte_offset() == offset);
      }
    }
  }
  SECTION("skip passes the document through unchanged, with a diagnostic") {
    paradedup::options o;
    o.on_invalid = paradedup::invalid_policy::skip;
    const paradedup::result r = paradedup::deduplicate(input, o);
    CHECK(r.text == input);
    CHECK(r.passed_through);
    CHECK(r.removed.removed.empty());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == paradedup::errc::invalid_utf8);
    CHECK(r.diagnostics[0].byte_offset == bad_at);
    CHECK(r.removed.dropped.size() == r.segments.paragraphs.size());
  }
  SECTION("replace compares around the bad byte and keeps it") {
    paradedup::options o;
    o.on_invalid = paradedup::invalid_policy::replace;
    const paradedup::result r = paradedup::deduplicate(input, o);
    INFO(report(r));
    // Same decision as for the clean article; line 3 keeps its bad byte.
    CHECK(r.text == keep_lines(input, {{1, 14}, {24, 27}}));
    CHECK(removed_lines(r) == range(15, 23));
    REQUIRE(r.text.size() > bad_at);
    CHECK(r.text[bad_at] == '\x80');
    CHECK(r.text.substr(0, bad_at) == input.substr(0, bad_at));
    CHECK_FALSE(r.passed_through);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == paradedup::errc::invalid_utf8);
    CHECK(r.diagnostics[0].byte_offset == bad_at);
  }
  SECTION("replace: a removed copy may hold the bad byte, a unique paragraph keeps it") {
    std::string doc = article;
    const std::size_t line15 = keep_lines(article, {{1, 14}}).size();
    doc.insert(line15 + 3, "\xFF");  // in the copy: removed
    const std::size_t c3_at = keep_lines(article, {{1, 1}}).size() + 3;
    doc.insert(c3_at, "\xC3");  // in line 2: unique, kept
    paradedup::options o;
    o.on_invalid = paradedup::invalid_policy::replace;
    const paradedup::result r = paradedup::deduplicate(doc, o);
    INFO(report(r));
    CHECK(r.text == keep_lines(doc, {{1, 14}, {24, 27}}));
    REQUIRE(r.text.size() > c3_at);
    CHECK(r.text[c3_at] == '\xC3');
    CHECK(r.text.find('\xFF') == std::string::npos);
    CHECK(removal_at_line(r, 15).kind == paradedup::duplicate_kind::exact);
  }
}

TEST_CASE("NUL bytes never crash and are never lost", "[e2e][deduplicate]") {
  using namespace std::string_literals;
  SECTION("a document without repeats comes back unchanged") {
    const std::vector<std::string> docs = {
        "\0"s, "\0\n\0\n"s, "a\0b\nc\0d\n"s, "\0\0\0\n\n\0\0\0\n"s,
        "First paragraph with a NUL\0 inside it.\nSecond paragraph, different.\n"s};
    for (const auto& doc : docs) {
      const paradedup::result r = paradedup::deduplicate(doc);
      CHECK(r.text == doc);
      CHECK(r.removed.removed.empty());
    }
  }
  SECTION("a repeat is removed; the kept first copy keeps its NUL") {
    const std::string p = "A paragraph long enough to count,\0 with a NUL byte in it.\n"s;
    const std::string doc = p + "Something else in between, also long enough.\n"s + p;
    const paradedup::result r = paradedup::deduplicate(doc);
    INFO(report(r));
    CHECK(r.text == doc.substr(0, doc.size() - p.size()));
    REQUIRE(r.removed.removed.size() == 1);
    CHECK(r.removed.removed[0].index == 2);
  }
  SECTION("NULs in the example article") {
    std::string doc = example_data("article.txt");
    doc.insert(keep_lines(doc, {{1, 1}}).size() + 3, "\0"s);     // in line 2 (unique)
    doc.insert(keep_lines(doc, {{1, 20}}).size() + 3, "\0\0"s);  // in line 21 (the copy)
    const paradedup::result r = paradedup::deduplicate(doc);
    INFO(report(r));
    CHECK(r.text == keep_lines(doc, {{1, 14}, {24, 27}}));
    CHECK(std::count(r.text.begin(), r.text.end(), '\0') == 1);
  }
  SECTION("paragraphs made only of NULs and symbols are never repeats") {
    const std::string doc = "\0\0\0\n--- * ---\n\0\0\0\n--- * ---\n"s;
    const paradedup::result r = paradedup::deduplicate(doc);
    CHECK(r.text == doc);
  }
}

// Regressions found by the red-team evaluation on real Debian text (benchmarks/eval/).

TEST_CASE("list items that start like one line and end like the next are not merges",
          "[e2e][regression]") {
  // From a gcloud man page: the last item shares its start with line 1 and its end with
  // line 2, but it is neither line nor their merge.
  const std::string input =
      "- provide the argument target on the command line with a fully specified name;\n"
      "- provide the argument --project on the command line;\n"
      "- set the property core/project.\n"
      "To set the target attribute:\n"
      "\xE2\x80\xA2 provide the argument target on the command line.\n";
  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));
  CHECK(r.removed.removed.empty());
  CHECK(r.text == input);
}

TEST_CASE("entries that differ in a version number are not repeats", "[e2e][regression]") {
  // From a Debian changelog: split into digits, 1.2.2-2.2 and 1.2.2-2 shared 92% of their
  // shingles; numbers with inner punctuation are now one token.
  const std::string input =
      "alsa-lib (1.2.2-2.2) unstable; urgency=medium\n"
      "  * Non-maintainer upload.\n"
      "alsa-lib (1.2.2-2) unstable; urgency=medium\n"
      "  * Fix the build.\n";
  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));
  CHECK(r.removed.removed.empty());
  CHECK(paradedup::canonicalize("alsa-lib (1.2.2-2.2) 10:30, 3.14") == "alsa lib 1.2.2-2.2 10:30 3.14");
}

// Regressions found by code review.

TEST_CASE("replace policy compares a bad byte as U+FFFD, a word break", "[e2e][regression]") {
  // "wonderful\xFFworld" must compare like "wonderful\xEF\xBF\xBDworld" (U+FFFD), not like
  // "wonderfulworld": the bad byte once vanished from the comparison.
  const std::string tail = " is the name of the thing we keep talking about today.\n";
  const std::string input = "wonderful\xEF\xBF\xBDworld" + tail + "another line\n" +
                            "wonderful\xFFworld" + tail;
  paradedup::options o;
  o.on_invalid = paradedup::invalid_policy::replace;
  const paradedup::result r = paradedup::deduplicate(input, o);
  INFO(report(r));
  REQUIRE(r.removed.removed.size() == 1);
  CHECK(r.removed.removed[0].index == 2);
  CHECK(r.removed.removed[0].kind == paradedup::duplicate_kind::exact);
  CHECK(r.text == "wonderful\xEF\xBF\xBDworld" + tail + "another line\n");
}

TEST_CASE("a symbol-only line inside a repeated block goes with it", "[e2e][regression]") {
  const std::string a = "The first paragraph is long enough to be removed on its own.\n";
  const std::string b = "The second paragraph is also long enough to be removed alone.\n";
  const std::string input = a + "***\n" + b + "Between the copies.\n" + a + "***\n" + b;
  const paradedup::result r = paradedup::deduplicate(input);
  INFO(report(r));
  CHECK(r.text == a + "***\n" + b + "Between the copies.\n");
  REQUIRE(r.removed.blocks.size() == 1);
  CHECK(r.removed.blocks[0].repeat_begin == 4);
  CHECK(r.removed.blocks[0].repeat_last == 6);
}

TEST_CASE("a near copy that changes a number or a Latin word in CJK text is kept",
          "[deduplicate][regression]") {
  // Review of 2026-11-30: each second paragraph was removed as a near repeat (0.85-0.90) of
  // the first, though it says something else (paragraph_features::facts).
  const std::string fee =
      "The annual licence fee of 10000 euros is due on the first working day of January, "
      "payable to the account named in the order form, and covers support and updates.";
  std::string fee2 = fee;
  fee2.replace(fee2.find("10000"), 5, "90000");
  const std::string ja_ed = "ed(1) \xE3\x82\xB3" "\xE3\x83\x9E" "\xE3\x83\xB3" "\xE3\x83\x89" "\xE3\x81\xAF" "\xE6\xAC\xA1" "\xE3\x81\xAE" "\xE3\x82\x88" "\xE3\x81\x86" "\xE3\x81\xAB" "\xE3\x81\x99" "\xE3\x82\x8B" "\xE3\x81\xA8" " \"file\" \xE4\xB8\xAD" "\xE3\x81\xAB" "\xE5\xAD\x98" "\xE5\x9C\xA8" "\xE3\x81\x99" "\xE3\x82\x8B" "\xE5\x85\xA8" "\xE3\x81\xA6" "\xE3\x81\xAE" " \"FROM_REGEX\" \xE3\x82\x92" " \"TO_TEXT\" \xE3\x81\xAB" "\xE7\xBD\xAE" "\xE6\x8F\x9B" "\xE3\x81\xA7" "\xE3\x81\x8D" "\xE3\x81\xBE" "\xE3\x81\x99" "\xE3\x80\x82" "";
  const std::string ja_sed = "sed(1) \xE3\x82\xB3" "\xE3\x83\x9E" "\xE3\x83\xB3" "\xE3\x83\x89" "\xE3\x81\xAF" "\xE6\xAC\xA1" "\xE3\x81\xAE" "\xE3\x82\x88" "\xE3\x81\x86" "\xE3\x81\xAB" "\xE3\x81\x99" "\xE3\x82\x8B" "\xE3\x81\xA8" " \"file\" \xE4\xB8\xAD" "\xE3\x81\xAB" "\xE5\xAD\x98" "\xE5\x9C\xA8" "\xE3\x81\x99" "\xE3\x82\x8B" "\xE5\x85\xA8" "\xE3\x81\xA6" "\xE3\x81\xAE" " \"FROM_REGEX\" \xE3\x82\x92" " \"TO_TEXT\" \xE3\x81\xAB" "\xE7\xBD\xAE" "\xE6\x8F\x9B" "\xE3\x81\xA7" "\xE3\x81\x8D" "\xE3\x81\xBE" "\xE3\x81\x99" "\xE3\x80\x82" "";
  const std::string zh_minus = "\xE4\xBB\x8A" "\xE5\xA4\xA9" "\xE7\x9A\x84" "\xE6\x9C\x80" "\xE4\xBD\x8E" "\xE6\xB0\x94" "\xE6\xB8\xA9" "\xE6\x98\xAF" "-5\xE2\x84\x83" "\xEF\xBC\x8C" "\xE8\xAF\xB7" "\xE5\xA4\xA7" "\xE5\xAE\xB6" "\xE6\xB3\xA8" "\xE6\x84\x8F" "\xE4\xBF\x9D" "\xE6\x9A\x96" "\xEF\xBC\x8C" "\xE5\x87\xBA" "\xE9\x97\xA8" "\xE5\xA4\x9A" "\xE7\xA9\xBF" "\xE8\xA1\xA3" "\xE6\x9C\x8D" "\xEF\xBC\x8C" "\xE6\x99\x9A" "\xE4\xB8\x8A" "\xE8\xBF\x98" "\xE4\xBC\x9A" "\xE6\x9B\xB4" "\xE5\x86\xB7" "\xE3\x80\x82" "";
  const std::string zh_plain = "\xE4\xBB\x8A" "\xE5\xA4\xA9" "\xE7\x9A\x84" "\xE6\x9C\x80" "\xE4\xBD\x8E" "\xE6\xB0\x94" "\xE6\xB8\xA9" "\xE6\x98\xAF" "5\xE2\x84\x83" "\xEF\xBC\x8C" "\xE8\xAF\xB7" "\xE5\xA4\xA7" "\xE5\xAE\xB6" "\xE6\xB3\xA8" "\xE6\x84\x8F" "\xE4\xBF\x9D" "\xE6\x9A\x96" "\xEF\xBC\x8C" "\xE5\x87\xBA" "\xE9\x97\xA8" "\xE5\xA4\x9A" "\xE7\xA9\xBF" "\xE8\xA1\xA3" "\xE6\x9C\x8D" "\xEF\xBC\x8C" "\xE6\x99\x9A" "\xE4\xB8\x8A" "\xE8\xBF\x98" "\xE4\xBC\x9A" "\xE6\x9B\xB4" "\xE5\x86\xB7" "\xE3\x80\x82" "";
  for (const auto& [a, b] : {std::pair<std::string, std::string>{fee, fee2}, {ja_ed, ja_sed},
                             {zh_minus, zh_plain}}) {
    const paradedup::result r = paradedup::deduplicate(a + "\n\n" + b + "\n");
    INFO(b);
    CHECK(r.removed.removed.empty());
    CHECK(r.text == a + "\n\n" + b + "\n");
  }
  // Still removed: a copy with other punctuation and the same numbers, and a copy cut off
  // before its last number (it only lost a fact).
  std::string punct = fee;
  punct.replace(punct.find(", and"), 5, "; and");
  const std::string cut = fee.substr(0, fee.find(", and covers")) + ".";
  for (const auto& [copy, kind] :
       {std::pair<std::string, paradedup::duplicate_kind>{punct, paradedup::duplicate_kind::exact},
        {cut, paradedup::duplicate_kind::near}}) {
    const paradedup::result r = paradedup::deduplicate(fee + "\n\n" + copy + "\n");
    INFO(copy);
    REQUIRE(r.removed.removed.size() == 1);
    CHECK(r.removed.removed[0].kind == kind);
  }
}

namespace {

// Options of a fuzz_document input from its 4 header bytes (the layout of
// fuzz/fuzz_document.cpp), or false for an input that asks for bad options.
bool fuzz_options(std::string_view input, paradedup::options& o) {
  if (input.size() < 4) return false;
  const auto h0 = static_cast<unsigned char>(input[0]), h1 = static_cast<unsigned char>(input[1]);
  const auto h2 = static_cast<unsigned char>(input[2]), h3 = static_cast<unsigned char>(input[3]);
  if ((h0 >> 7) != 0 && h1 == 0) return false;
  o.mode = (h0 & 3) == 0   ? paradedup::segment_mode::lines
           : (h0 & 3) == 1 ? paradedup::segment_mode::blank
                           : paradedup::segment_mode::auto_;
  o.fold_han = (h0 >> 2) & 1;
  o.fold_digits = (h0 >> 3) & 1;
  o.exact_only = (h0 >> 4) & 1;
  o.on_invalid = ((h0 >> 5) & 3) == 0   ? paradedup::invalid_policy::fail
                 : ((h0 >> 5) & 3) == 1 ? paradedup::invalid_policy::skip
                                        : paradedup::invalid_policy::replace;
  o.threshold = (static_cast<double>(h1) + 1.0) / 256.0;
  o.shingle = 1 + h2 % 8;
  o.min_chars = h3 % 41;
  return true;
}

// A second pass, in the mode the first one chose, removes nothing; every removal names kept
// sources.
void check_settled(const std::string& text, paradedup::options o) {
  const paradedup::result first = paradedup::deduplicate(text, o);
  for (const paradedup::removal& r : first.removed.removed) {
    CHECK_FALSE(first.removed.dropped[r.duplicate_of]);
    if (r.merged) CHECK_FALSE(first.removed.dropped[r.also_of]);
  }
  o.mode = first.segments.mode;
  const paradedup::result second = paradedup::deduplicate(first.text, o);
  CHECK(second.removed.removed.empty());
}

}  // namespace

TEST_CASE("a second pass removes nothing: the fuzz regressions", "[e2e][regression]") {
  std::size_t checked = 0;
  for (const auto& e : std::filesystem::directory_iterator(PARADEDUP_FUZZ_REGRESSIONS)) {
    const std::string input = read_path(e.path().string());
    paradedup::options o;
    if (!fuzz_options(input, o)) continue;
    INFO("regression: " << e.path().filename().string());
    check_settled(input.substr(4), o);
    ++checked;
  }
  CHECK(checked >= 10);
}

TEST_CASE("a second pass removes nothing: real text", "[e2e]") {
  std::size_t checked = 0;
  for (const char* dir : {PARADEDUP_TEST_DATA, PARADEDUP_TEST_DATA "/no_loss",
                          PARADEDUP_EXAMPLES_DATA}) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() != ".txt") continue;
      INFO("fixture: " << e.path().string());
      const std::string text = read_path(e.path().string());
      for (const double threshold : {0.5, 0.7, 0.85}) {
        for (const auto mode : {paradedup::segment_mode::lines, paradedup::segment_mode::blank}) {
          paradedup::options o;
          o.threshold = threshold;
          o.mode = mode;
          o.on_invalid = paradedup::invalid_policy::replace;
          check_settled(text, o);
        }
      }
      ++checked;
    }
  }
  CHECK(checked >= 40);
}

TEST_CASE("max_memory: a document whose tables pass the budget is passed through", "[e2e]") {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "line number " + std::to_string(i) + " of a long list\n";
  text += text;  // every line twice
  paradedup::options o;
  o.mode = paradedup::segment_mode::lines;
  // Within the budget (6,000 paragraphs are about 5 MB of tables): the copy goes.
  o.max_memory = std::size_t{64} << 20;
  paradedup::result r = paradedup::deduplicate(text, o);
  CHECK_FALSE(r.passed_through);
  CHECK(r.removed.removed.size() == 3000);
  // Over it: unchanged, with a too_large diagnostic naming the option; nothing removed.
  o.max_memory = std::size_t{1} << 20;
  r = paradedup::deduplicate(text, o);
  CHECK(r.passed_through);
  CHECK(r.text == text);
  CHECK(r.removed.removed.empty());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == paradedup::errc::too_large);
  CHECK(r.diagnostics[0].message.find("max_memory") != std::string::npos);
  CHECK(paradedup::report_json("d", r).find("\"passed_through\":true") != std::string::npos);
  // 0: no budget.
  o.max_memory = 0;
  CHECK(paradedup::deduplicate(text, o).removed.removed.size() == 3000);
  // The estimate grows with the tokens read, not only with the paragraphs: one paragraph of
  // 200,000 words is over a 4 MiB budget although a paragraph alone costs 700 bytes.
  std::string one;
  for (int i = 0; i < 200000; ++i) one += "w" + std::to_string(i % 997) + ' ';
  o.max_memory = std::size_t{4} << 20;
  CHECK(paradedup::deduplicate(one, o).passed_through);
}

// Unit tests for include/paradedup/output.hpp: cleaned text, marked text, JSON report.

#include <catch2/catch.hpp>
#include <cstddef>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "paradedup/output.hpp"

namespace {

using paradedup::removed_ranges;
using paradedup::render_marked;
using paradedup::render_text;
using paradedup::segment_mode;
using paradedup::split_paragraphs;
using ranges = std::vector<std::pair<std::size_t, std::size_t>>;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<bool> drop(std::size_t n, std::vector<std::size_t> which) {
  std::vector<bool> d(n, false);
  for (std::size_t i : which) d[i] = true;
  return d;
}

}  // namespace

TEST_CASE("render_text is byte-identical when nothing is dropped", "[output]") {
  const std::string inputs[] = {
      "",
      "no newline at the end",
      "a\nb\n",
      "\n\n\nleading blank lines\n\n\ntrailing blank lines\n\n\n",
      "\xEF\xBB\xBF"
      "BOM first\r\nCRLF\r\n\r\nlines\r\n",
      "CR\rline\rends\r",
      "NEL\xC2\x85LS\xE2\x80\xA8PS\xE2\x80\xA9"
      "end",
      "tabs\t \n\xC2\xA0\n\xE3\x80\x80\nNBSP and ideographic-space blank lines",
      std::string("NUL\0inside\n\0\n", 14),
      "\xE4\xB8\xAD\xE6\x96\x87\xEF\xBC\x8C\xE6\xB2\x92\xE6\x9C\x89\xE9\x87\x8D\xE8\xA4\x87\n",
      "invalid \xFF\xC0 bytes\n\xED\xA0\x80\n",
      read_file(PARADEDUP_EXAMPLES_DATA "/article.txt"),
      read_file(PARADEDUP_TEST_DATA "/hardwrapped_en.txt"),
  };
  for (const std::string& s : inputs) {
    for (auto mode : {segment_mode::lines, segment_mode::blank}) {
      const auto seg = split_paragraphs(s, mode);
      const std::vector<bool> none(seg.paragraphs.size(), false);
      CHECK(removed_ranges(seg, none).empty());
      CHECK(render_text(s, seg, none) == s);
    }
  }
}

TEST_CASE("removed_ranges in lines mode", "[output]") {
  // Offsets: "a1\n" 0-3, "a2\n" 3-6, "\n" 6-7, "b1\n" 7-10, "b2\n" 10-13.
  const std::string s = "a1\na2\n\nb1\nb2\n";
  const auto seg = split_paragraphs(s, segment_mode::lines);
  REQUIRE(seg.paragraphs.size() == 4);
  SECTION("a removed paragraph takes its text and its line end") {
    CHECK(removed_ranges(seg, drop(4, {0})) == ranges{{0, 3}});
    CHECK(render_text(s, seg, drop(4, {0})) == "a2\n\nb1\nb2\n");
  }
  SECTION("blank lines at the edge of a removed run stay") {
    CHECK(removed_ranges(seg, drop(4, {1})) == ranges{{3, 6}});
    CHECK(render_text(s, seg, drop(4, {1})) == "a1\n\nb1\nb2\n");
    CHECK(removed_ranges(seg, drop(4, {2})) == ranges{{7, 10}});
    CHECK(render_text(s, seg, drop(4, {2})) == "a1\na2\n\nb2\n");
  }
  SECTION("blank lines between two removed paragraphs go too") {
    CHECK(removed_ranges(seg, drop(4, {1, 2})) == ranges{{3, 10}});
    CHECK(render_text(s, seg, drop(4, {1, 2})) == "a1\nb2\n");
  }
  SECTION("separate removals give separate ranges, sorted") {
    CHECK(removed_ranges(seg, drop(4, {0, 2})) == ranges{{0, 3}, {7, 10}});
    CHECK(render_text(s, seg, drop(4, {0, 2})) == "a2\n\nb2\n");
  }
  SECTION("the last paragraph") {
    CHECK(removed_ranges(seg, drop(4, {3})) == ranges{{10, 13}});
    CHECK(render_text(s, seg, drop(4, {3})) == "a1\na2\n\nb1\n");
  }
  SECTION("everything") {
    CHECK(removed_ranges(seg, drop(4, {0, 1, 2, 3})) == ranges{{0, 13}});
    CHECK(render_text(s, seg, drop(4, {0, 1, 2, 3})) == "");
  }
  SECTION("a last paragraph without a line end") {
    const std::string t = "x\ny";
    const auto tseg = split_paragraphs(t, segment_mode::lines);
    CHECK(removed_ranges(tseg, drop(2, {1})) == ranges{{2, 3}});
    CHECK(render_text(t, tseg, drop(2, {1})) == "x\n");
    CHECK(render_text(t, tseg, drop(2, {0})) == "y");
  }
  SECTION("CRLF line ends go with their paragraph") {
    const std::string t = "one\r\ntwo\r\n\r\nthree\r\n";
    const auto tseg = split_paragraphs(t, segment_mode::lines);
    CHECK(render_text(t, tseg, drop(3, {1})) == "one\r\n\r\nthree\r\n");
    CHECK(render_text(t, tseg, drop(3, {1, 2})) == "one\r\n");
  }
  SECTION("a BOM stays when the first paragraph goes") {
    const std::string t =
        "\xEF\xBB\xBF"
        "first\nsecond\n";
    const auto tseg = split_paragraphs(t, segment_mode::lines);
    CHECK(render_text(t, tseg, drop(2, {0})) ==
          "\xEF\xBB\xBF"
          "second\n");
  }
}

TEST_CASE("removed_ranges in blank mode", "[output]") {
  // "p1 line1\n" 0-9, "p1 line2\n" 9-18, "\n" 18, "p2\n" 19-22, "\n" 22, "\n" 23, "p3\n" 24-27.
  const std::string s = "p1 line1\np1 line2\n\np2\n\n\np3\n";
  const auto seg = split_paragraphs(s, segment_mode::blank);
  REQUIRE(seg.paragraphs.size() == 3);
  SECTION("a removed paragraph takes the blank lines after it") {
    CHECK(removed_ranges(seg, drop(3, {0})) == ranges{{0, 19}});
    CHECK(render_text(s, seg, drop(3, {0})) == "p2\n\n\np3\n");
    CHECK(removed_ranges(seg, drop(3, {1})) == ranges{{19, 24}});
    CHECK(render_text(s, seg, drop(3, {1})) == "p1 line1\np1 line2\n\np3\n");
  }
  SECTION("the last paragraph takes the blank lines before it") {
    CHECK(removed_ranges(seg, drop(3, {2})) == ranges{{22, 27}});
    CHECK(render_text(s, seg, drop(3, {2})) == "p1 line1\np1 line2\n\np2\n");
  }
  SECTION("a removed run at the end takes the blank lines before the run") {
    CHECK(removed_ranges(seg, drop(3, {1, 2})) == ranges{{18, 27}});
    CHECK(render_text(s, seg, drop(3, {1, 2})) == "p1 line1\np1 line2\n");
  }
  SECTION("everything") {
    CHECK(removed_ranges(seg, drop(3, {0, 1, 2})) == ranges{{0, 27}});
    CHECK(render_text(s, seg, drop(3, {0, 1, 2})) == "");
  }
  SECTION("one blank line, not two, between the paragraphs around a removal") {
    const std::string t = "a\nb\n\nc\nd\n\ne\nf\n";
    const auto tseg = split_paragraphs(t, segment_mode::blank);
    REQUIRE(tseg.paragraphs.size() == 3);
    CHECK(render_text(t, tseg, drop(3, {1})) == "a\nb\n\ne\nf\n");
    CHECK(render_text(t, tseg, drop(3, {2})) == "a\nb\n\nc\nd\n");
  }
}

TEST_CASE("render_text on the DESIGN.md article: lines 15-23 dropped", "[output]") {
  const std::string article = read_file(PARADEDUP_EXAMPLES_DATA "/article.txt");
  const auto seg = split_paragraphs(article, segment_mode::lines);
  std::vector<bool> dropped(seg.paragraphs.size(), false);
  for (std::size_t i = 0; i < seg.paragraphs.size(); ++i) {
    dropped[i] = seg.paragraphs[i].line >= 15 && seg.paragraphs[i].line <= 23;
  }
  // Expected: the article's lines 1-14 and 24-27, byte for byte.
  std::string expected;
  std::size_t line = 1, at = 0;
  while (at < article.size()) {
    std::size_t nl = article.find('\n', at);
    nl = nl == std::string::npos ? article.size() : nl + 1;
    if (line < 15 || line > 23) expected += article.substr(at, nl - at);
    ++line;
    at = nl;
  }
  REQUIRE(line - 1 == 27);
  CHECK(render_text(article, seg, dropped) == expected);
}

TEST_CASE("render_marked prefixes every line of every paragraph", "[output]") {
  const std::string s = "\xEF\xBB\xBFtitle\r\n\nbody one\nbody two\n\n\nlast";
  SECTION("blank mode") {
    const auto seg = split_paragraphs(s, segment_mode::blank);
    REQUIRE(seg.paragraphs.size() == 3);
    CHECK(render_marked(s, seg, drop(3, {1})) == "0\ttitle\r\n1\tbody one\n1\tbody two\n0\tlast\n");
    CHECK(render_marked(s, seg, drop(3, {})) == "0\ttitle\r\n0\tbody one\n0\tbody two\n0\tlast\n");
  }
  SECTION("lines mode") {
    const auto seg = split_paragraphs(s, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 4);
    CHECK(render_marked(s, seg, drop(4, {0, 3})) ==
          "1\ttitle\r\n0\tbody one\n0\tbody two\n1\tlast\n");
  }
  SECTION("other line ends are kept as they are") {
    const std::string t =
        "a\xE2\x80\xA9"
        "b\rc\xC2\x85"
        "d";
    const auto seg = split_paragraphs(t, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 4);
    CHECK(render_marked(t, seg, drop(4, {2})) ==
          "0\ta\xE2\x80\xA9"
          "0\tb\r1\tc\xC2\x85"
          "0\td\n");
  }
  SECTION("empty input gives empty output") {
    const auto seg = split_paragraphs("", segment_mode::lines);
    CHECK(render_marked("", seg, {}).empty());
  }
}

TEST_CASE("report_json: fields, removals and blocks", "[output]") {
  // Four paragraphs, one per line: 0 "alpha" (line 1), 1 "beta" (line 2), 2 "alpha" again
  // (line 4, after an empty line), 3 "beta" again (line 5).
  const std::string s = "alpha\nbeta\n\nalpha\nbeta\n";
  const auto seg = split_paragraphs(s, segment_mode::lines);
  REQUIRE(seg.paragraphs.size() == 4);
  paradedup::decision dec;
  dec.dropped = drop(4, {2, 3});
  paradedup::removal r2;
  r2.index = 2;
  r2.kind = paradedup::duplicate_kind::exact;
  r2.duplicate_of = 0;
  r2.similarity = 1.0;
  r2.in_block = true;
  r2.block = 0;
  paradedup::removal r3 = r2;
  r3.index = 3;
  r3.kind = paradedup::duplicate_kind::near;
  r3.duplicate_of = 1;
  r3.similarity = 0.87654;
  dec.removed = {r2, r3};
  dec.blocks.push_back({0, 1, 2, 3});

  CHECK(paradedup::report_json("doc.txt", seg, dec) ==
        "{\"document\":\"doc.txt\",\"mode\":\"lines\",\"paragraphs\":4,\"kept\":2,"
        "\"removed\":["
        "{\"index\":2,\"line\":4,\"start\":12,\"end\":17,\"kind\":\"exact\",\"duplicate_of\":0,"
        "\"duplicate_of_line\":1,\"similarity\":1.0000,\"block\":0},"
        "{\"index\":3,\"line\":5,\"start\":18,\"end\":22,\"kind\":\"near\",\"duplicate_of\":1,"
        "\"duplicate_of_line\":2,\"similarity\":0.8765,\"block\":0,\"added\":[],\"missing\":[]}],"
        "\"blocks\":[{\"first\":[0,1],\"repeat\":[2,3],\"first_lines\":[1,2],"
        "\"repeat_lines\":[4,5]}],\"kept_near\":[]}");

  SECTION("a merged removal names also_of; one outside a block has no block field") {
    paradedup::decision d;
    d.dropped = drop(4, {2});
    paradedup::removal r;
    r.index = 2;
    r.kind = paradedup::duplicate_kind::near;
    r.duplicate_of = 0;
    r.merged = true;
    r.also_of = 1;
    r.similarity = 0.9;
    d.removed = {r};
    CHECK(paradedup::report_json("m", seg, d) ==
          "{\"document\":\"m\",\"mode\":\"lines\",\"paragraphs\":4,\"kept\":3,\"removed\":["
          "{\"index\":2,\"line\":4,\"start\":12,\"end\":17,\"kind\":\"near\","
          "\"duplicate_of\":0,\"duplicate_of_line\":1,\"similarity\":0.9000,\"also_of\":1,"
          "\"added\":[],\"missing\":[]}],\"blocks\":[],\"kept_near\":[]}");
  }
  SECTION("nothing removed") {
    paradedup::decision d;
    d.dropped = drop(4, {});
    CHECK(paradedup::report_json("", seg, d) ==
          "{\"document\":\"\",\"mode\":\"lines\",\"paragraphs\":4,\"kept\":4,\"removed\":[],"
          "\"blocks\":[],\"kept_near\":[]}");
  }
}

TEST_CASE("report_json: blank mode lines span whole paragraphs", "[output]") {
  const std::string s = "a1\na2\n\nb1\nb2\nb3\n\na1\na2\n\nb1\nb2\nb3\n";
  const auto seg = split_paragraphs(s, segment_mode::blank);
  REQUIRE(seg.paragraphs.size() == 4);
  paradedup::decision dec;
  dec.dropped = drop(4, {2, 3});
  paradedup::removal r;
  r.kind = paradedup::duplicate_kind::exact;
  r.similarity = 1.0;
  r.in_block = true;
  r.index = 2;
  r.duplicate_of = 0;
  dec.removed.push_back(r);
  r.index = 3;
  r.duplicate_of = 1;
  dec.removed.push_back(r);
  dec.blocks.push_back({0, 1, 2, 3});
  const std::string json = paradedup::report_json("b", seg, dec);
  CHECK(json.find("\"mode\":\"blank\"") != std::string::npos);
  CHECK(json.find("\"first_lines\":[1,6],\"repeat_lines\":[8,13]") != std::string::npos);
  // Paragraph 3 is "b1\nb2\nb3" at bytes 24..32.
  CHECK(json.find("{\"index\":3,\"line\":11,\"start\":24,\"end\":32,") != std::string::npos);
}

TEST_CASE("report_json escapes the document name", "[output]") {
  const auto seg = split_paragraphs("", segment_mode::lines);
  paradedup::decision dec;
  const std::string name =
      std::string("dir/a \"b\"\\c\n\r\t\x01\x1F\x7F\0z", 19) + "\xE4\xB8\xAD\xE6\x96\x87.txt";
  const std::string json = paradedup::report_json(name, seg, dec);
  const std::string expected_name =
      "\"dir/a \\\"b\\\"\\\\c\\n\\r\\t\\u0001\\u001f\x7F\\u0000z\xE4\xB8\xAD\xE6\x96\x87.txt\"";
  CHECK(json == "{\"document\":" + expected_name +
                    ",\"mode\":\"lines\",\"paragraphs\":0,\"kept\":0,\"removed\":[],"
                    "\"blocks\":[],\"kept_near\":[]}");
  // No raw control character is left in the output.
  std::size_t raw_controls = 0;
  for (char c : json) raw_controls += static_cast<unsigned char>(c) < 0x20;
  CHECK(raw_controls == 0);
}

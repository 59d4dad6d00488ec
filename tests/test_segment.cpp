// Unit tests for include/paradedup/segment.hpp: line ends, blank lines, modes, spans.

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/segment.hpp"

namespace {

using paradedup::segment_mode;
using paradedup::split_paragraphs;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The text of each paragraph.
std::vector<std::string> texts(std::string_view s, segment_mode mode) {
  std::vector<std::string> out;
  for (const auto& p : split_paragraphs(s, mode).paragraphs) {
    out.emplace_back(s.substr(p.begin, p.end - p.begin));
  }
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("lines mode: every non-blank line is a paragraph with exact spans", "[segment]") {
  const std::string s = "alpha\nbeta\n\n  \ngamma";
  const auto seg = split_paragraphs(s, segment_mode::lines);
  CHECK(seg.mode == segment_mode::lines);
  REQUIRE(seg.paragraphs.size() == 3);
  const auto& p = seg.paragraphs;
  CHECK(p[0].begin == 0);
  CHECK(p[0].end == 5);
  CHECK(p[0].line_end == 6);
  CHECK(p[0].line == 1);
  CHECK(p[0].lines == 1);
  CHECK(p[1].begin == 6);
  CHECK(p[1].end == 10);
  CHECK(p[1].line_end == 11);
  CHECK(p[1].line == 2);
  // Line 3 is empty and line 4 holds only spaces: both blank.
  CHECK(p[2].begin == 15);
  CHECK(p[2].end == 20);
  CHECK(p[2].line_end == 20);  // no trailing newline
  CHECK(p[2].line == 5);
  CHECK(p[2].lines == 1);
}

TEST_CASE("blank mode: runs of non-blank lines are paragraphs", "[segment]") {
  const std::string s = "a\nb\n\nc\n";  // the header's example
  const auto seg = split_paragraphs(s, segment_mode::blank);
  CHECK(seg.mode == segment_mode::blank);
  REQUIRE(seg.paragraphs.size() == 2);
  const auto& p = seg.paragraphs;
  CHECK(p[0].begin == 0);
  CHECK(p[0].end == 3);  // "a\nb": the inner line end is part of the text
  CHECK(p[0].line_end == 4);
  CHECK(p[0].line == 1);
  CHECK(p[0].lines == 2);
  CHECK(p[1].begin == 5);
  CHECK(p[1].end == 6);
  CHECK(p[1].line_end == 7);
  CHECK(p[1].line == 4);
  CHECK(p[1].lines == 1);
}

TEST_CASE("blank mode with several blank lines and leading blank lines", "[segment]") {
  const std::string s = "\n\nfirst line\nsecond line\n\n\n\nthird\nfourth\nfifth\n\n";
  const auto seg = split_paragraphs(s, segment_mode::blank);
  REQUIRE(seg.paragraphs.size() == 2);
  CHECK(seg.paragraphs[0].line == 3);
  CHECK(seg.paragraphs[0].lines == 2);
  CHECK(seg.paragraphs[1].line == 8);
  CHECK(seg.paragraphs[1].lines == 3);
  CHECK(texts(s, segment_mode::blank) ==
        strings{"first line\nsecond line", "third\nfourth\nfifth"});
}

TEST_CASE("every line terminator ends a line", "[segment]") {
  SECTION("LF") { CHECK(texts("a\nb\n", segment_mode::lines) == strings{"a", "b"}); }
  SECTION("CRLF is one terminator, not a blank line") {
    const std::string s = "a\r\nb\r\n\r\nc";
    const auto seg = split_paragraphs(s, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 3);
    CHECK(seg.paragraphs[0].end == 1);
    CHECK(seg.paragraphs[0].line_end == 3);
    CHECK(seg.paragraphs[1].begin == 3);
    CHECK(seg.paragraphs[1].line == 2);
    CHECK(seg.paragraphs[2].begin == 8);
    CHECK(seg.paragraphs[2].line == 4);
    // In blank mode CRLF lines behave like LF lines.
    CHECK(texts(s, segment_mode::blank) == strings{"a\r\nb", "c"});
  }
  SECTION("CR alone") {
    const std::string s = "a\rb\r\rc\r";
    CHECK(texts(s, segment_mode::lines) == strings{"a", "b", "c"});
    CHECK(texts(s, segment_mode::blank) == strings{"a\rb", "c"});
    const auto seg = split_paragraphs(s, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 3);
    CHECK(seg.paragraphs[2].line == 4);
    CHECK(seg.paragraphs[2].line_end == 7);
  }
  SECTION("NEL U+0085") {
    const std::string s =
        "a\xC2\x85"
        "b\xC2\x85\xC2\x85"
        "c";
    CHECK(texts(s, segment_mode::lines) == strings{"a", "b", "c"});
    CHECK(texts(s, segment_mode::blank) == strings{"a\xC2\x85"
                                                   "b",
                                                   "c"});
    const auto seg = split_paragraphs(s, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 3);
    CHECK(seg.paragraphs[0].line_end == 3);
    CHECK(seg.paragraphs[2].line == 4);
  }
  SECTION("LS U+2028") {
    const std::string s =
        "a\xE2\x80\xA8"
        "b\xE2\x80\xA8\xE2\x80\xA8"
        "c";
    CHECK(texts(s, segment_mode::lines) == strings{"a", "b", "c"});
    CHECK(texts(s, segment_mode::blank) == strings{"a\xE2\x80\xA8"
                                                   "b",
                                                   "c"});
    const auto seg = split_paragraphs(s, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 3);
    CHECK(seg.paragraphs[0].line_end == 4);
  }
  SECTION("PS U+2029 always ends a paragraph, even in blank mode") {
    const std::string s =
        "a\xE2\x80\xA9"
        "b\nc\n\nd";
    CHECK(texts(s, segment_mode::lines) == strings{"a", "b", "c", "d"});
    const auto seg = split_paragraphs(s, segment_mode::blank);
    REQUIRE(seg.paragraphs.size() == 3);
    CHECK(s.substr(seg.paragraphs[0].begin, seg.paragraphs[0].end - seg.paragraphs[0].begin) ==
          "a");
    CHECK(seg.paragraphs[0].line_end == 4);
    CHECK(seg.paragraphs[0].lines == 1);
    CHECK(seg.paragraphs[1].line == 2);
    CHECK(seg.paragraphs[1].lines == 2);
    CHECK(texts(s, segment_mode::blank) == strings{"a", "b\nc", "d"});
  }
  SECTION("PS in the middle of a blank-mode block") {
    const std::string s = "one\ntwo\xE2\x80\xA9three\nfour";
    CHECK(texts(s, segment_mode::blank) == strings{"one\ntwo", "three\nfour"});
  }
  SECTION("mixed terminators count lines one by one") {
    const std::string s = "l1\r\nl2\rl3\xC2\x85l4\xE2\x80\xA8l5\xE2\x80\xA9l6\nl7";
    const auto seg = split_paragraphs(s, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 7);
    for (std::size_t k = 0; k < 7; ++k) {
      CHECK(seg.paragraphs[k].line == k + 1);
      CHECK(s.substr(seg.paragraphs[k].begin, 2) == "l" + std::to_string(k + 1));
      CHECK(seg.paragraphs[k].end - seg.paragraphs[k].begin == 2);
    }
  }
}

TEST_CASE("a UTF-8 BOM is not part of the first paragraph", "[segment]") {
  const std::string s = "\xEF\xBB\xBFtitle\nbody\n";
  for (auto mode : {segment_mode::lines, segment_mode::blank}) {
    const auto seg = split_paragraphs(s, mode);
    REQUIRE_FALSE(seg.paragraphs.empty());
    CHECK(seg.paragraphs[0].begin == 3);
    CHECK(seg.paragraphs[0].line == 1);
  }
  CHECK(texts(s, segment_mode::lines) == strings{"title", "body"});
  SECTION("a BOM alone is no paragraph") {
    CHECK(split_paragraphs("\xEF\xBB\xBF", segment_mode::lines).paragraphs.empty());
    CHECK(split_paragraphs("\xEF\xBB\xBF\n\n", segment_mode::blank).paragraphs.empty());
  }
  SECTION("a BOM on a line of its own leaves that line blank") {
    const std::string t = "\xEF\xBB\xBF\nfirst\n";
    const auto seg = split_paragraphs(t, segment_mode::lines);
    REQUIRE(seg.paragraphs.size() == 1);
    CHECK(seg.paragraphs[0].begin == 4);
    CHECK(seg.paragraphs[0].line == 2);
  }
}

TEST_CASE("whitespace-only lines are blank", "[segment]") {
  const char* const blanks[] = {
      "",
      " ",
      "\t\t",
      "  \t \v\f ",
      "\xC2\xA0",                  // NBSP
      "\xE3\x80\x80\xE3\x80\x80",  // ideographic spaces
      " \xC2\xA0\t\xE3\x80\x80 ",  // a mix
      "\xE2\x80\x83",              // U+2003 EM SPACE
      "\xE2\x80\x8B",              // U+200B ZERO WIDTH SPACE
      "\xE2\x80\xAF",              // U+202F NARROW NBSP
      "\xE2\x81\x9F",              // U+205F MEDIUM MATHEMATICAL SPACE
      "\xEF\xBB\xBF",              // U+FEFF inside the text
  };
  for (const char* b : blanks) {
    const std::string s = std::string("first\n") + b + "\nsecond\n";
    INFO("blank line: [" << b << "]");
    CHECK(texts(s, segment_mode::lines) == strings{"first", "second"});
    CHECK(texts(s, segment_mode::blank) == strings{"first", "second"});
  }
  SECTION("whitespace next to text does not make a line blank") {
    const std::string s = "first\n\xC2\xA0x\xE3\x80\x80\nsecond\n";
    CHECK(texts(s, segment_mode::blank) == strings{"first\n\xC2\xA0x\xE3\x80\x80\nsecond"});
  }
  SECTION("long lines, read 8 bytes at a time, are blank only when every byte is") {
    for (std::size_t spaces : {7u, 8u, 9u, 16u, 23u, 40u}) {
      for (std::size_t at = 0; at <= spaces; at += 3) {
        std::string line(spaces, ' ');
        const std::string blank_s = "first\n" + line + "\nsecond\n";
        INFO(spaces << " spaces, a mark at " << at);
        CHECK(texts(blank_s, segment_mode::blank) == strings{"first", "second"});
        line.insert(at, "x");
        CHECK(texts("first\n" + line + "\nsecond\n", segment_mode::blank).size() == 1);
        line[at] = '\t';  // a tab, or any other blank, keeps it blank
        CHECK(texts("first\n" + line + "\nsecond\n", segment_mode::blank).size() == 2);
        line[at] = '\x01';  // a control character does not
        CHECK(texts("first\n" + line + "\nsecond\n", segment_mode::blank).size() == 1);
      }
    }
  }
  SECTION("a control character or NUL is not whitespace") {
    const std::string s("a\n\x01\nb\n\0\nc", 9);
    CHECK(split_paragraphs(s, segment_mode::lines).paragraphs.size() == 5);
    CHECK(split_paragraphs(s, segment_mode::blank).paragraphs.size() == 1);
  }
}

TEST_CASE("invalid bytes never swallow a line end", "[segment]") {
  // split_paragraphs() works on any bytes (invalid UTF-8 under invalid_policy::replace):
  // a truncated multi-byte sequence right before a line end must not hide that line end.
  const char* const truncated[] = {"\xE2\x80", "\xE2",     "\xC2",        "\xE3\x80",
                                   "\xEF\xBB", "\xE2\x81", "\xF0\x9F\x98"};
  for (const char* t : truncated) {
    for (const char* eol : {"\n", "\r\n", "\r"}) {
      const std::string s = std::string("a") + eol + t + eol + "b" + eol;
      INFO("truncated sequence of " << std::string(t).size() << " bytes, lead byte 0x" << std::hex
                                    << (static_cast<unsigned>(t[0]) & 0xFFu) << ", line end "
                                    << (eol[0] == '\n' ? "LF"
                                        : eol[1]       ? "CRLF"
                                                       : "CR"));
      const auto seg = split_paragraphs(s, segment_mode::lines);
      CHECK(seg.paragraphs.size() == 3);
      if (seg.paragraphs.size() != 3) continue;
      CHECK(seg.paragraphs[1].line == 2);
      CHECK(seg.paragraphs[1].lines == 1);
      CHECK(s.substr(seg.paragraphs[1].begin, seg.paragraphs[1].end - seg.paragraphs[1].begin) ==
            t);
      CHECK(seg.paragraphs[2].line == 3);
    }
  }
}

TEST_CASE("leading whitespace stays in the paragraph span", "[segment]") {
  const std::string s = "  indented\n\tTabbed\n";
  CHECK(texts(s, segment_mode::lines) == strings{"  indented", "\tTabbed"});
}

TEST_CASE("empty and blank-only input gives no paragraphs", "[segment]") {
  for (auto mode : {segment_mode::lines, segment_mode::blank, segment_mode::auto_}) {
    CHECK(split_paragraphs("", mode).paragraphs.empty());
    CHECK(split_paragraphs("\n\n\r\n", mode).paragraphs.empty());
    CHECK(split_paragraphs(" \t\n\xC2\xA0\n", mode).paragraphs.empty());
  }
  CHECK(split_paragraphs("", segment_mode::auto_).mode != segment_mode::auto_);
}

TEST_CASE("input without a trailing newline", "[segment]") {
  const std::string s = "one\ntwo";
  for (auto mode : {segment_mode::lines, segment_mode::blank}) {
    const auto seg = split_paragraphs(s, mode);
    REQUIRE_FALSE(seg.paragraphs.empty());
    CHECK(seg.paragraphs.back().end == s.size());
    CHECK(seg.paragraphs.back().line_end == s.size());
  }
  const auto one = split_paragraphs("x", segment_mode::lines);
  REQUIRE(one.paragraphs.size() == 1);
  CHECK(one.paragraphs[0].begin == 0);
  CHECK(one.paragraphs[0].end == 1);
  CHECK(one.paragraphs[0].line_end == 1);
}

TEST_CASE("paragraphs are ordered, disjoint and inside the text", "[segment]") {
  const std::string s =
      "\xEF\xBB\xBFh\r\n\r\na b\nc\xE2\x80\xA9\xC2\xA0\n\xE4\xB8\xAD\xE6\x96\x87\rend";
  for (auto mode : {segment_mode::lines, segment_mode::blank}) {
    const auto seg = split_paragraphs(s, mode);
    std::size_t at = 0;
    for (const auto& p : seg.paragraphs) {
      CHECK(p.begin >= at);
      CHECK(p.begin < p.end);
      CHECK(p.end <= p.line_end);
      CHECK(p.line_end <= s.size());
      CHECK(p.lines >= 1);
      at = p.line_end;
    }
  }
}

TEST_CASE("choose_segment_mode picks lines for a scraped article", "[segment]") {
  // One long paragraph per line, no blank lines between paragraphs (DESIGN.md's example).
  const std::string article = read_file(PARADEDUP_EXAMPLES_DATA "/article.txt");
  CHECK(paradedup::choose_segment_mode(article) == segment_mode::lines);
  const auto seg = split_paragraphs(article);  // auto is the default
  CHECK(seg.mode == segment_mode::lines);
  CHECK(seg.paragraphs.size() == 24);  // 27 lines, 3 of them empty
}

TEST_CASE("choose_segment_mode picks blank for hard-wrapped English", "[segment]") {
  // The preamble of the GPL version 3 (Debian's /usr/share/common-licenses/GPL-3), wrapped
  // at 72 columns with blank lines between paragraphs.
  const std::string text = read_file(PARADEDUP_TEST_DATA "/hardwrapped_en.txt");
  CHECK(paradedup::choose_segment_mode(text) == segment_mode::blank);
  const auto seg = split_paragraphs(text, segment_mode::auto_);
  CHECK(seg.mode == segment_mode::blank);
  REQUIRE(seg.paragraphs.size() == 10);
  CHECK(seg.paragraphs[0].line == 1);
  CHECK(seg.paragraphs[0].lines == 2);
  CHECK(seg.paragraphs[1].line == 4);
  CHECK(seg.paragraphs[1].lines == 8);
  CHECK(seg.paragraphs[9].line == 59);
  CHECK(seg.paragraphs[9].lines == 2);

  SECTION("the same text with CRLF line ends") {
    std::string crlf;
    for (char c : text) {
      if (c == '\n') crlf += '\r';
      crlf += c;
    }
    CHECK(paradedup::choose_segment_mode(crlf) == segment_mode::blank);
    CHECK(split_paragraphs(crlf).paragraphs.size() == 10);
  }
  SECTION("the same text unwrapped, one paragraph per line, gives lines") {
    std::string unwrapped;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] != '\n' &&
          (i == 0 || text[i - 1] != '\n')) {
        unwrapped += ' ';
      } else {
        unwrapped += text[i];
      }
    }
    CHECK(paradedup::choose_segment_mode(unwrapped) == segment_mode::lines);
  }
}

TEST_CASE("choose_segment_mode needs two blocks for blank", "[segment]") {
  // One hard-wrapped block alone would become one paragraph in blank mode.
  const std::string one_block =
      "This first line is long enough that the next\nword would not have fitted on it, and\n"
      "this one too, so the text looks wrapped\n";
  CHECK(paradedup::choose_segment_mode(one_block) == segment_mode::lines);
  // Short unwrapped lines (a list) are not wrapped text.
  const std::string list = "apples\npears and plums and cherries\n\nfigs\ndates and more dates\n";
  CHECK(paradedup::choose_segment_mode(list) == segment_mode::lines);
}

TEST_CASE("one giant paragraph", "[segment]") {
  // 8 MiB on one line, no line end: one paragraph spanning everything.
  std::string s;
  s.reserve(8u << 20);
  while (s.size() < (8u << 20)) s += "word \xE4\xB8\xAD\xC2\xA0";
  for (auto mode : {segment_mode::lines, segment_mode::blank, segment_mode::auto_}) {
    const auto seg = split_paragraphs(s, mode);
    REQUIRE(seg.paragraphs.size() == 1);
    CHECK(seg.paragraphs[0].begin == 0);
    CHECK(seg.paragraphs[0].end == s.size());
    CHECK(seg.paragraphs[0].line_end == s.size());
    CHECK(seg.paragraphs[0].lines == 1);
  }
}

namespace {

// Slow reference of the line rules in split_paragraphs()'s comment, byte by byte: a line ends
// at LF, CR LF, CR, NEL, LS or PS; it is blank when it holds only the whitespace listed there.
struct ref_line {
  std::size_t begin, end, next;
  bool ps, blank;
};

std::vector<ref_line> reference_lines(std::string_view s) {
  auto at = [&](std::size_t i, std::string_view piece) { return s.substr(i, piece.size()) == piece; };
  std::vector<ref_line> out;
  std::size_t i = 0;
  while (i < s.size()) {
    ref_line l{i, i, i, false, true};
    std::size_t j = i, term = 0;
    for (; j < s.size(); ++j) {
      if (at(j, "\r\n")) term = 2;
      else if (s[j] == '\n' || s[j] == '\r') term = 1;
      else if (at(j, "\xC2\x85")) term = 2;
      else if (at(j, "\xE2\x80\xA8")) term = 3;
      else if (at(j, "\xE2\x80\xA9")) term = 3, l.ps = true;
      if (term) break;
    }
    l.end = j;
    l.next = j + term;
    for (std::size_t k = i; k < j;) {
      std::size_t w = 0;
      if (s[k] == ' ' || s[k] == '\t' || s[k] == '\v' || s[k] == '\f') w = 1;
      else if (at(k, "\xC2\xA0")) w = 2;
      else if (at(k, "\xE3\x80\x80") || at(k, "\xEF\xBB\xBF") || at(k, "\xE2\x80\xAF") ||
               at(k, "\xE2\x81\x9F")) w = 3;
      else if (at(k, "\xE2\x80") && k + 2 < j && static_cast<unsigned char>(s[k + 2]) >= 0x80 &&
               static_cast<unsigned char>(s[k + 2]) <= 0x8B) w = 3;
      if (w == 0) {
        l.blank = false;
        break;
      }
      k += w;
    }
    out.push_back(l);
    i = l.next;
  }
  return out;
}

}  // namespace

TEST_CASE("line splitting agrees with a byte-by-byte reference on random text", "[segment]") {
  // Pieces that the fast paths treat differently: 8-byte ASCII runs, every terminator and
  // blank character, their first bytes alone (0xC2, 0xE2, 0xE3, 0xEF followed by other
  // bytes), CJK text, control bytes and invalid UTF-8.
  const std::vector<std::string> pieces = {
      "a",         "word ",        "        ",     "abcdefghijklmnop", "\t",        "\n",
      "\r",        "\r\n",         "\xC2\x85",     "\xE2\x80\xA8",     "\xE2\x80\xA9", " ",
      "\xC2\xA0",  "\xE3\x80\x80", "\xEF\xBB\xBF", "\xE2\x80\x8B",     "\xE2\x80\xAF",
      "\xE2\x81\x9F", "\xE2\x80\x9C", "\xC2\xA9",  "\xE3\x81\x82",     "\xEF\xBC\x8C",
      "\xE4\xB8\xAD\xE6\x96\x87", "\xC2",     "\xE2",             "\xE2\x80",  "\x01",
      "\xFF",      "\x0B",         "\x0C",         "-",                "\xF0\x9F\x98\x80"};
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33);
  };
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const std::size_t count = next() % 40;
    for (std::size_t k = 0; k < count; ++k) s += pieces[next() % pieces.size()];
    INFO("round " << round << ", " << s.size() << " bytes");
    const auto fast = paradedup::detail::split_lines(s, 0);
    const auto slow = reference_lines(s);
    REQUIRE(fast.size() == slow.size());
    for (std::size_t k = 0; k < fast.size(); ++k) {
      INFO("line " << k);
      CHECK(fast[k].begin == slow[k].begin);
      CHECK(fast[k].end == slow[k].end);
      CHECK(fast[k].next == slow[k].next);
      CHECK(fast[k].paragraph_separator == slow[k].ps);
      CHECK(fast[k].blank == slow[k].blank);
      if (fast[k].ascii) {  // a promise that the width is the length: no byte above 0x7F
        for (std::size_t b = fast[k].begin; b < fast[k].end; ++b) {
          CHECK(static_cast<unsigned char>(s[b]) < 0x80);
        }
      }
    }
  }
}

TEST_CASE("columns() counts wide characters 2 and each invalid byte 1", "[segment]") {
  using paradedup::detail::columns;
  CHECK(columns("abc", 0, 3) == 3);
  CHECK(columns("\xE4\xB8\xAD\xE6\x96\x87", 0, 6) == 4);     // two Han characters
  CHECK(columns("\xC3\xA9t\xC3\xA9", 0, 5) == 3);            // "été"
  CHECK(columns("\xEF\xBC\x8C", 0, 3) == 2);                 // fullwidth comma
  CHECK(columns("\xF0\xA0\x80\x80", 0, 4) == 2);             // U+20000
  CHECK(columns("\xE4\xB8", 0, 2) == 2);                     // truncated: 2 bytes, 2 columns
  CHECK(columns("\xE4\xB8\xAD", 0, 2) == 2);                 // cut by the end bound
  CHECK(columns("\xC0\xAF", 0, 2) == 2);                     // overlong
  CHECK(columns("\xED\xA0\x80", 0, 3) == 3);                 // surrogate
  CHECK(columns("\xE0\x9F\xBF", 0, 3) == 3);                 // overlong 3-byte
  CHECK(columns("\xF4\x90\x80\x80", 0, 4) == 4);             // above U+10FFFF
  CHECK(columns("\xF0\x8F\xBF\xBF", 0, 4) == 4);             // overlong 4-byte
  CHECK(columns("\xF5\x80\x80\x80", 0, 4) == 4);
}

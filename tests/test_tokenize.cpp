// Unit tests for include/paradedup/tokenize.hpp: one token per character for scripts written
// without spaces, runs of letters and digits for the others.

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/tokenize.hpp"

namespace {

using strings = std::vector<std::string>;

strings tokens(std::string_view canonical) {
  strings out;
  for (std::string_view t : paradedup::tokenize(canonical)) out.emplace_back(t);
  return out;
}

}  // namespace

TEST_CASE("mixed Chinese and Latin: Han one per character, Latin words whole", "[tokenize]") {
  // "deepseek" U+53D1 U+5E03 "v3" U+6A21 U+578B
  CHECK(tokens("deepseek\xE5\x8F\x91\xE5\xB8\x83v3\xE6\xA8\xA1\xE5\x9E\x8B") ==
        strings{"deepseek", "\xE5\x8F\x91", "\xE5\xB8\x83", "v3", "\xE6\xA8\xA1", "\xE5\x9E\x8B"});
  // Han at both ends and a word in between.
  CHECK(tokens("\xE7\x94\xA8openai\xE7\x9A\x84") ==
        strings{"\xE7\x94\xA8", "openai", "\xE7\x9A\x84"});
}

TEST_CASE("Latin words split on single spaces", "[tokenize]") {
  CHECK(tokens("the quick brown fox") == strings{"the", "quick", "brown", "fox"});
  CHECK(tokens("v3 2024 abc123") == strings{"v3", "2024", "abc123"});
  CHECK(tokens("word") == strings{"word"});
  // Accented letters (two-byte UTF-8) stay inside their word.
  CHECK(tokens("caf\xC3\xA9 na\xC3\xAFve") == strings{"caf\xC3\xA9", "na\xC3\xAFve"});
  // Three-byte letters of spaced scripts too (U+1E00 Latin Extended Additional).
  CHECK(tokens("a\xE1\xB8\x81"
               "b c") == strings{"a\xE1\xB8\x81"
                                 "b",
                                 "c"});
  // Cyrillic and Greek words.
  CHECK(tokens("\xD0\xBC\xD0\xB8\xD1\x80 \xCE\xB1\xCE\xB2") ==
        strings{"\xD0\xBC\xD0\xB8\xD1\x80", "\xCE\xB1\xCE\xB2"});
}

TEST_CASE("Japanese kana: one token per character", "[tokenize]") {
  // Hiragana "konnichiha"
  CHECK(tokens("\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF") ==
        strings{"\xE3\x81\x93", "\xE3\x82\x93", "\xE3\x81\xAB", "\xE3\x81\xA1", "\xE3\x81\xAF"});
  // Katakana "konpyu-ta" with the prolonged sound mark U+30FC
  CHECK(tokens("\xE3\x82\xB3\xE3\x83\xB3\xE3\x83\x94\xE3\x83\xA5\xE3\x83\xBC\xE3\x82\xBF") ==
        strings{"\xE3\x82\xB3", "\xE3\x83\xB3", "\xE3\x83\x94", "\xE3\x83\xA5", "\xE3\x83\xBC",
                "\xE3\x82\xBF"});
  // Kanji, kana and a Latin word mixed: U+65E5 U+672C "gpt" U+3092 U+4F7F U+3046
  CHECK(tokens("\xE6\x97\xA5\xE6\x9C\xAC"
               "gpt\xE3\x82\x92\xE4\xBD\xBF\xE3\x81\x86") ==
        strings{"\xE6\x97\xA5", "\xE6\x9C\xAC", "gpt", "\xE3\x82\x92", "\xE4\xBD\xBF",
                "\xE3\x81\x86"});
}

TEST_CASE("Thai: one token per character", "[tokenize]") {
  // "sawatdi": SO SUA, WO WAEN, MAI HAN-AKAT (a mark), SO SUA, DO DEK, SARA II (a mark)
  CHECK(tokens("\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1\xE0\xB8\xAA\xE0\xB8\x94\xE0\xB8\xB5") ==
        strings{"\xE0\xB8\xAA", "\xE0\xB8\xA7", "\xE0\xB8\xB1", "\xE0\xB8\xAA", "\xE0\xB8\x94",
                "\xE0\xB8\xB5"});
}

TEST_CASE("Hangul is written with spaces: words, not characters", "[tokenize]") {
  // U+C548 U+B155 / U+D558 U+C138 U+C694
  CHECK(tokens("\xEC\x95\x88\xEB\x85\x95 \xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94") ==
        strings{"\xEC\x95\x88\xEB\x85\x95", "\xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94"});
}

TEST_CASE("supplementary-plane characters", "[tokenize]") {
  // U+20000 (CJK Ext. B) is one token; U+10400 (Deseret, a spaced script) joins its word.
  CHECK(tokens("ab\xF0\xA0\x80\x80"
               "cd") == strings{"ab", "\xF0\xA0\x80\x80", "cd"});
  CHECK(tokens("ab\xF0\x90\x90\x80"
               "cd") == strings{"ab\xF0\x90\x90\x80"
                                "cd"});
}

TEST_CASE("empty input and edge spaces give no empty tokens", "[tokenize]") {
  CHECK(tokens("").empty());
  CHECK(tokens(" ").empty());
  CHECK(tokens(" a  b ") == strings{"a", "b"});
}

TEST_CASE("tokens are views into the canonical string, in order", "[tokenize]") {
  const std::string s =
      "ab \xE4\xB8\xAD"
      "cd";
  const auto t = paradedup::tokenize(s);
  REQUIRE(t.size() == 3);
  CHECK(t[0].data() == s.data());
  CHECK(t[1].data() == s.data() + 3);
  CHECK(t[2].data() == s.data() + 6);
  std::size_t calls = 0;
  paradedup::for_each_token(s, [&](std::string_view tok) {
    CHECK(tok == t[calls]);
    ++calls;
  });
  CHECK(calls == 3);
}

TEST_CASE("Chinese is not one whitespace token per sentence", "[tokenize]") {
  // A whole sentence without spaces: 8 characters, 8 tokens.
  const std::string s =
      "\xE5\xBC\x80\xE6\xBA\x90\xE6\xA8\xA1\xE5\x9E\x8B\xE5\x8F\x91\xE5\xB8\x83\xE4\xBD\x93"
      "\xE9\xAA\x8C";
  const auto t = tokens(s);
  CHECK(t.size() == 8);
  for (const auto& tok : t) CHECK(tok.size() == 3);
}

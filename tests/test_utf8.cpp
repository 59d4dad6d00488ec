// Unit tests for include/paradedup/utf8.hpp: validation, decoding, encoding, script classes.

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "paradedup/utf8.hpp"

namespace {

using paradedup::validate_utf8;

std::string_view sv(const char* s, std::size_t n) { return std::string_view(s, n); }

struct bad_case {
  const char* name;
  std::string bytes;
  std::size_t offset;
};

}  // namespace

TEST_CASE("validate_utf8 accepts well-formed text", "[utf8]") {
  const char* const good[] = {
      "",
      "plain ASCII, longer than eight bytes so the word-at-a-time path runs",
      "\xC2\x80",      // U+0080, smallest two-byte
      "\xDF\xBF",      // U+07FF
      "\xE0\xA0\x80",  // U+0800, smallest three-byte
      "\xED\x9F\xBF",  // U+D7FF, just below the surrogates
      "\xEE\x80\x80",  // U+E000, just above the surrogates
      "\xEF\xBF\xBF",  // U+FFFF (a noncharacter, still well-formed)
      "\xEF\xBB\xBF"
      "BOM",                       // U+FEFF
      "\xF0\x90\x80\x80",          // U+10000, smallest four-byte
      "\xF4\x8F\xBF\xBF",          // U+10FFFF, the largest scalar value
      "\xE4\xB8\xAD\xE6\x96\x87",  // two Han characters
      "abcdefgh\xE4\xB8\xAD",      // multi-byte right after an 8-byte ASCII block
  };
  for (const char* s : good) {
    INFO("input: " << s);
    const auto r = validate_utf8(s);
    CHECK(r.valid);
    CHECK(r.error_offset == 0);
  }
}

TEST_CASE("validate_utf8 treats NUL as a valid character", "[utf8]") {
  CHECK(validate_utf8(sv("\0", 1)).valid);
  CHECK(validate_utf8(sv("a\0b\0\0\0\0\0\0\0\0\0c", 13)).valid);
  CHECK(validate_utf8(sv("\xE4\xB8\xAD\0\xE6\x96\x87", 7)).valid);
}

TEST_CASE("validate_utf8 rejects malformed sequences at the exact offset", "[utf8]") {
  const bad_case cases[] = {
      // Overlong forms.
      {"overlong C0 80 (NUL)", "\xC0\x80", 0},
      {"overlong C1 BF", "ab\xC1\xBF", 2},
      {"overlong E0 80 80", "x\xE0\x80\x80", 1},
      {"overlong E0 9F BF", "\xE0\x9F\xBF", 0},
      {"overlong F0 80 80 80", "\xF0\x80\x80\x80", 0},
      {"overlong F0 8F BF BF", "yz\xF0\x8F\xBF\xBF", 2},
      // Surrogates.
      {"surrogate ED A0 80", "\xED\xA0\x80", 0},
      {"surrogate ED BF BF", "abc\xED\xBF\xBF", 3},
      {"surrogate after 8 ASCII", "0123456789\xED\xA0\x80", 10},
      // Above U+10FFFF.
      {"F4 90 80 80", "\xF4\x90\x80\x80", 0},
      {"F5 lead", "a\xF5\x80\x80\x80", 1},
      {"FF lead", "\xFF", 0},
      {"FE lead", "ok\xFE", 2},
      // Stray continuation bytes.
      {"stray 80", "\x80", 0},
      {"stray BF in ASCII",
       "a\xBF"
       "b",
       1},
      {"continuation after complete char", "\xC3\xA9\xA9", 2},
      {"stray after 16 ASCII", "0123456789abcdef\x80", 16},
      // Bad continuation inside a sequence.
      {"second byte ASCII", "\xE4\x41\x80", 0},
      {"third byte ASCII", "\xE4\xB8\x41", 0},
      {"fourth byte ASCII", "\xF0\x9F\x98\x41", 0},
      {"two-byte then lead", "\xC3\xC3\xA9", 0},
      // Truncated at end of input.
      {"truncated 2 of 2", "abc\xC3", 3},
      {"truncated 3 of 3", "abc\xE4\xB8", 3},
      {"truncated 1 of 3", "abcdefghij\xE4", 10},
      {"truncated 3 of 4", "\xF0\x9F\x98", 0},
      {"truncated 1 of 4", "x\xF0", 1},
      // First of several errors wins.
      {"first of two", "ok\xC3\xA9ok\x80\xFF", 6},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto r = validate_utf8(c.bytes);
    CHECK_FALSE(r.valid);
    CHECK(r.error_offset == c.offset);
  }
}

TEST_CASE("validate_utf8 agrees with a reference over every two-byte sequence", "[utf8]") {
  std::size_t mismatches = 0;
  for (int b0 = 0xC0; b0 <= 0xDF; ++b0) {
    for (int b1 = 0; b1 <= 0xFF; ++b1) {
      const char s[2] = {static_cast<char>(b0), static_cast<char>(b1)};
      const bool expected = b0 >= 0xC2 && b1 >= 0x80 && b1 <= 0xBF;
      const auto r = validate_utf8(sv(s, 2));
      if (r.valid != expected || (!r.valid && r.error_offset != 0)) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("append_utf8 and next_code_point round-trip every scalar value", "[utf8]") {
  std::size_t failures = 0;
  std::string s;
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    s.clear();
    paradedup::detail::append_utf8(s, cp);
    const std::size_t expected_len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    std::size_t i = 0;
    const char32_t back = paradedup::detail::next_code_point(s, i);
    if (s.size() != expected_len || back != cp || i != expected_len || !validate_utf8(s).valid) {
      if (++failures <= 5) FAIL_CHECK("round trip failed for U+" << std::hex << cp);
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("encoded surrogates and values above U+10FFFF are rejected", "[utf8]") {
  std::string s;
  for (char32_t cp : {char32_t{0xD800}, char32_t{0xDBFF}, char32_t{0xDC00}, char32_t{0xDFFF},
                      char32_t{0x110000}, char32_t{0x13FFFF}}) {
    s = "ab";
    paradedup::detail::append_utf8(s, cp);
    INFO("U+" << std::hex << static_cast<unsigned long>(cp));
    const auto r = validate_utf8(s);
    CHECK_FALSE(r.valid);
    CHECK(r.error_offset == 2);
  }
}

TEST_CASE("next_code_point walks a mixed string", "[utf8]") {
  // "a", U+00E9, U+4E2D, U+1F600, NUL, "z"
  const std::string_view s = sv("a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80\0z", 12);
  std::size_t i = 0;
  const char32_t expected[] = {U'a', 0xE9, 0x4E2D, 0x1F600, 0, U'z'};
  const std::size_t offsets[] = {1, 3, 6, 10, 11, 12};
  for (std::size_t k = 0; k < 6; ++k) {
    REQUIRE(i < s.size());
    CHECK(paradedup::detail::next_code_point(s, i) == expected[k]);
    CHECK(i == offsets[k]);
  }
  CHECK(i == s.size());
}

TEST_CASE("is_spaceless is true for Han, kana and Thai only", "[utf8]") {
  using paradedup::detail::is_spaceless;
  // Scripts written without spaces.
  CHECK(is_spaceless(0x4E2D));   // Han
  CHECK(is_spaceless(0x9FA5));   // Han
  CHECK(is_spaceless(0x3400));   // CJK Ext. A
  CHECK(is_spaceless(0x20000));  // CJK Ext. B
  CHECK(is_spaceless(0xF900));   // CJK Compatibility Ideograph
  CHECK(is_spaceless(0x3042));   // Hiragana A
  CHECK(is_spaceless(0x30A2));   // Katakana A
  CHECK(is_spaceless(0x30FC));   // Katakana prolonged sound mark
  CHECK(is_spaceless(0xFF76));   // half-width Katakana KA
  CHECK(is_spaceless(0x3105));   // Bopomofo B
  CHECK(is_spaceless(0x0E01));   // Thai KO KAI
  CHECK(is_spaceless(0x0E81));   // Lao KO
  CHECK(is_spaceless(0x1780));   // Khmer KA
  CHECK(is_spaceless(0x1000));   // Myanmar KA
  CHECK(is_spaceless(0x0F40));   // Tibetan KA
  CHECK(is_spaceless(0x3005));   // ideographic iteration mark
  // Scripts written with spaces, and punctuation.
  CHECK_FALSE(is_spaceless(0xD55C));  // Hangul HAN
  CHECK_FALSE(is_spaceless(0x1100));  // Hangul Jamo
  CHECK_FALSE(is_spaceless(0x3131));  // Hangul compatibility Jamo
  CHECK_FALSE(is_spaceless(U'a'));
  CHECK_FALSE(is_spaceless(U'Z'));
  CHECK_FALSE(is_spaceless(U'7'));
  CHECK_FALSE(is_spaceless(0xE9));     // Latin e acute
  CHECK_FALSE(is_spaceless(0x0434));   // Cyrillic de
  CHECK_FALSE(is_spaceless(0x03B1));   // Greek alpha
  CHECK_FALSE(is_spaceless(0x0627));   // Arabic alef
  CHECK_FALSE(is_spaceless(0x0915));   // Devanagari KA
  CHECK_FALSE(is_spaceless(0x3000));   // ideographic space
  CHECK_FALSE(is_spaceless(0x3002));   // ideographic full stop
  CHECK_FALSE(is_spaceless(0xFF01));   // full-width exclamation mark
  CHECK_FALSE(is_spaceless(0xFF41));   // full-width Latin a
  CHECK_FALSE(is_spaceless(0x1F600));  // emoji
}

TEST_CASE("display_width counts wide characters as two columns", "[utf8]") {
  using paradedup::detail::display_width;
  CHECK(display_width(U'a') == 1);
  CHECK(display_width(0xE9) == 1);
  CHECK(display_width(0x4E2D) == 2);
  CHECK(display_width(0x3042) == 2);
  CHECK(display_width(0xFF01) == 2);
  CHECK(display_width(0xD55C) == 2);
  CHECK(display_width(0xFF76) == 1);  // half-width Katakana
}

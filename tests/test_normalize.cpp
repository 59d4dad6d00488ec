// Unit tests for include/paradedup/normalize.hpp (src/unicode_icu.cpp): the canonical form.

#include <catch2/catch.hpp>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>

#include "paradedup/normalize.hpp"

namespace {

using paradedup::canonicalize;

paradedup::options no_han() {
  paradedup::options o;
  o.fold_han = false;
  return o;
}

paradedup::options digits() {
  paradedup::options o;
  o.fold_digits = true;
  return o;
}

// U+3002 IDEOGRAPHIC FULL STOP: punctuation, so the canonical form drops it, but it is not
// ASCII, so appending it forces canonicalize() off the ASCII fast path.
constexpr const char* kFullStop = "\xE3\x80\x82";

std::size_t kept_of(std::string_view s, const paradedup::options& o = {}) {
  std::string out;
  return canonicalize(s, o, out);
}

}  // namespace

TEST_CASE("NFKC case folding folds width, compatibility forms and case", "[normalize]") {
  // The header's example: full-width Latin, a hyphen, Traditional Han, full-width "!".
  CHECK(canonicalize("\xEF\xBC\xA4\xEF\xBD\x85\xEF\xBD\x85\xEF\xBD\x90-Seek \xE7\x99\xBC"
                     "\xE5\xB8\x83\xEF\xBC\x81") == "deep seek\xE5\x8F\x91\xE5\xB8\x83");
  // Full-width upper-case Latin and digits become ASCII lower case and digits.
  CHECK(canonicalize("\xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3\xEF\xBC\x91\xEF\xBC\x92") == "abc12");
  // Half-width katakana KA + voiced mark + NA become full-width GA + NA (composed).
  CHECK(canonicalize("\xEF\xBD\xB6\xEF\xBE\x9E\xEF\xBE\x85") == "\xE3\x82\xAC\xE3\x83\x8A");
  // Ligature and sharp s.
  CHECK(canonicalize("\xEF\xAC\x81le") == "file");
  CHECK(canonicalize("Stra\xC3\x9F"
                     "e") == "strasse");
  // Greek and Cyrillic case folding.
  CHECK(canonicalize("\xCE\xA3\xCE\x9F\xCE\xA6\xCE\x99\xCE\x91") ==
        "\xCF\x83\xCE\xBF\xCF\x86\xCE\xB9\xCE\xB1");
  CHECK(canonicalize("\xD0\x9C\xD0\x98\xD0\xA0") == "\xD0\xBC\xD0\xB8\xD1\x80");
  // Circled digit and superscript: compatibility forms fold to digits.
  CHECK(canonicalize("x\xC2\xB2 \xE2\x91\xA0") == "x2 1");
}

TEST_CASE("punctuation, symbols, whitespace and controls are dropped", "[normalize]") {
  CHECK(canonicalize("Hello, World!") == "hello world");
  CHECK(canonicalize("  leading and trailing  ") == "leading and trailing");
  CHECK(canonicalize("a\t\tb\nc\r\nd") == "a b c d");
  CHECK(canonicalize("a,b;c.d") == "a b c d");
  CHECK(canonicalize("!!! ... ???") == "");
  CHECK(canonicalize("") == "");
  // Non-ASCII separators and punctuation: NBSP, ideographic space, em dash, curly quotes,
  // full-width brackets, the yen sign, a zero width space, a soft hyphen.
  CHECK(canonicalize("a\xC2\xA0"
                     "b\xE3\x80\x80"
                     "c\xE2\x80\x94"
                     "d") == "a b c d");
  CHECK(canonicalize("\xE2\x80\x9C"
                     "quoted\xE2\x80\x9D \xEF\xBC\x88"
                     "x\xEF\xBC\x89") == "quoted x");
  // Currency symbols next to numbers stay (see the next test case); elsewhere they go.
  CHECK(canonicalize("\xC2\xA5"
                     "100 \xE2\x82\xAC"
                     "5") == "\xC2\xA5 100 \xE2\x82\xAC 5");
  CHECK(canonicalize("a \xE2\x82\xAC b $ c") == "a b c");
  CHECK(canonicalize("co\xC2\xAD"
                     "operate") == "cooperate");
  // Emoji and other symbols.
  CHECK(canonicalize("ok \xF0\x9F\x98\x80 go") == "ok go");
  // A control character between words.
  CHECK(canonicalize(std::string("a\0b\x01"
                                 "c",
                                 5)) == "a b c");
}

TEST_CASE("symbols that give a number its meaning are kept", "[normalize]") {
  // Review of 2026-11-30: each pair was an exact repeat, and the second paragraph was removed.
  const std::pair<const char*, const char*> differ[] = {
      {"The balance of the account is 5000 dollars.", "The balance of the account is -5000 dollars."},
      {"x > 10", "x < 10"},
      {"x >= 10", "x <= 10"},
      {"$100", "\xE2\x82\xAC" "100"},
      {"50%", "50\xE2\x80\xB0"},                                             // per mille
      {"\xE6\x9C\x80\xE4\xBD\x8E\xE6\xB0\x94\xE6\xB8\xA9 5\xE2\x84\x83",  // 最低气温 5℃
       "\xE6\x9C\x80\xE4\xBD\x8E\xE6\xB0\x94\xE6\xB8\xA9 -5\xE2\x84\x83"},
      {"\xE6\xB6\xA8\xE8\xB7\x8C -0.59%", "\xE6\xB6\xA8\xE8\xB7\x8C +0.59%"},  // 涨跌 -0.59% / +0.59%
      {"5 + 3", "5 - 3"},  // ASCII '-' between spaced numbers is not a sign, so only + stays
      {"total 5 \xC3\x97 3", "total 5 3"},                                      // ×
      {"(-5)", "(5)"},
  };
  for (const auto& [a, b] : differ) {
    INFO(a << " / " << b);
    CHECK(canonicalize(a) != canonicalize(b));
  }
  CHECK(canonicalize("x > 10") == "x > 10");
  CHECK(canonicalize("$100") == "$ 100");
  CHECK(canonicalize("-5000 dollars") == "-5000 dollars");
  CHECK(canonicalize("a -5") == "a -5");
  CHECK(canonicalize("50%") == "50 %");
  CHECK(canonicalize("\xEF\xBD\x98\xEF\xBC\x9E\xEF\xBC\x91\xEF\xBC\x90") == "x > 10");  // full width
  // Still dropped: symbols away from numbers, hyphens, joiners stay joiners, quote marks.
  const std::pair<const char*, const char*> same[] = {
      {"> quoted text", "quoted text"},
      {"a = b", "a b"},
      {"C++ and x-5", "C and x 5"},
      {"Home | News | 5", "Home News 5"},
      {"~5 items", "5 items"},
      {"well-known 2-3 times", "well known 2-3 times"},
      {"Price: 100.", "Price 100"},
      {"\xEF\xBC\x95\xEF\xBC\x90\xEF\xBC\x85", "50%"},  // full-width ５０％
  };
  for (const auto& [a, b] : same) {
    INFO(a << " / " << b);
    CHECK(canonicalize(a) == canonicalize(b));
  }
  // Not counted as kept characters.
  std::string out;
  CHECK(canonicalize("$100", {}, out) == 3);
  CHECK(canonicalize("\xE2\x82\xAC" "100", {}, out) == 3);
}

TEST_CASE("one space between Latin words, none between Han characters", "[normalize]") {
  // "ni hao, shi jie" (U+4F60 U+597D U+FF0C U+4E16 U+754C): the full-width comma goes
  CHECK(canonicalize("\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C") ==
        "\xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C");
  // Spaces between Han characters vanish too.
  CHECK(canonicalize("\xE4\xBD\xA0 \xE5\xA5\xBD") == "\xE4\xBD\xA0\xE5\xA5\xBD");
  // Japanese kana: no spaces.
  CHECK(canonicalize("\xE3\x81\x93\xE3\x82\x93\xE3\x80\x81\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF") ==
        "\xE3\x81\x93\xE3\x82\x93\xE3\x81\xAB\xE3\x81\xA1\xE3\x81\xAF");
  // Latin words next to Han: Han needs no separator on either side.
  CHECK(canonicalize("DeepSeek \xE5\x8F\x91\xE5\xB8\x83 V3 \xE6\xA8\xA1\xE5\x9E\x8B") ==
        "deepseek\xE5\x8F\x91\xE5\xB8\x83v3\xE6\xA8\xA1\xE5\x9E\x8B");
  // Several dropped characters in a row give one space.
  CHECK(canonicalize("one -- \xE2\x80\x94\xE3\x80\x80 two") == "one two");
  // Hangul is written with spaces: words stay apart.
  CHECK(canonicalize("\xEC\x95\x88\xEB\x85\x95 \xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94") ==
        "\xEC\x95\x88\xEB\x85\x95 \xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94");
  // Accented Latin words stay apart.
  CHECK(canonicalize("Caf\xC3\xA9, na\xC3\xAFve!") == "caf\xC3\xA9 na\xC3\xAFve");
}

TEST_CASE("Traditional Chinese folds to Simplified by default", "[normalize]") {
  // U+767C -> U+53D1 (fa), U+570B -> U+56FD (guo), U+9AD4 -> U+4F53 (ti)
  const std::string traditional = "\xE7\x99\xBC\xE5\x9C\x8B\xE9\xAB\x94";
  const std::string simplified = "\xE5\x8F\x91\xE5\x9B\xBD\xE4\xBD\x93";
  CHECK(canonicalize(traditional) == simplified);
  CHECK(canonicalize(simplified) == simplified);
  CHECK(canonicalize(traditional, no_han()) == traditional);
  CHECK(canonicalize(simplified, no_han()) == simplified);

  CHECK(paradedup::fold_han(0x767C) == 0x53D1);  // fa
  CHECK(paradedup::fold_han(0x570B) == 0x56FD);  // guo
  CHECK(paradedup::fold_han(0x9AD4) == 0x4F53);  // ti
  CHECK(paradedup::fold_han(0x8AAA) == 0x8BF4);  // shuo
  CHECK(paradedup::fold_han(0x4E2D) == 0x4E2D);  // zhong has no other form
  CHECK(paradedup::fold_han(0x53D1) == 0x53D1);  // already Simplified
  CHECK(paradedup::fold_han(U'a') == U'a');
  CHECK(paradedup::fold_han(0x3042) == 0x3042);  // kana untouched

  SECTION("a Traditional sentence and its Simplified twin canonicalize alike") {
    // "open-source model released, great experience", Traditional and Simplified
    const std::string t =
        "\xE9\x96\x8B\xE6\xBA\x90\xE6\xA8\xA1\xE5\x9E\x8B\xE7\x99\xBC\xE5\xB8\x83\xEF\xBC\x8C"
        "\xE9\xAB\x94\xE9\xA9\x97\xE6\xA5\xB5\xE4\xBD\xB3";
    const std::string s =
        "\xE5\xBC\x80\xE6\xBA\x90\xE6\xA8\xA1\xE5\x9E\x8B\xE5\x8F\x91\xE5\xB8\x83\xEF\xBC\x8C"
        "\xE4\xBD\x93\xE9\xAA\x8C\xE6\x9E\x81\xE4\xBD\xB3";
    CHECK(canonicalize(t) == canonicalize(s));
    CHECK(canonicalize(t, no_han()) != canonicalize(s, no_han()));
  }
  SECTION("Han folding is applied after NFKC: a compatibility ideograph folds too") {
    // U+F900 (CJK compatibility ideograph) is NFKC-equal to U+8C48 .
    CHECK(canonicalize("\xEF\xA4\x80", no_han()) == "\xE8\xB1\x88");
  }
}

TEST_CASE("fold_digits turns every decimal digit into 0", "[normalize]") {
  CHECK(canonicalize("page 12") == "page 12");
  CHECK(canonicalize("page 12", digits()) == "page 00");
  CHECK(canonicalize("page 12", digits()) == canonicalize("page 97", digits()));
  // Full-width and Arabic-Indic digits.
  CHECK(canonicalize("\xEF\xBC\x91\xEF\xBC\x92 \xD9\xA3", digits()) == "00 0");
  CHECK(canonicalize("\xD9\xA3") == "\xD9\xA3");
  // Letters and non-decimal numbers are untouched.
  CHECK(canonicalize("v3 rev", digits()) == "v0 rev");
}

TEST_CASE("NFC and NFD twins canonicalize alike", "[normalize]") {
  struct twin {
    const char* nfc;
    const char* nfd;
  };
  const twin twins[] = {
      {"caf\xC3\xA9 na\xC3\xAFve", "cafe\xCC\x81 nai\xCC\x88ve"},
      {"\xC3\x85ngstr\xC3\xB6m", "A\xCC\x8Angstro\xCC\x88m"},
      {"Vi\xE1\xBB\x87t", "Vie\xCC\xA3\xCC\x82t"},
      // Hangul syllable vs conjoining jamo.
      {"\xED\x95\x9C", "\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB"},
      // Japanese: GA precomposed vs KA + combining voiced mark.
      {"\xE3\x82\xAC", "\xE3\x82\xAB\xE3\x82\x99"},
  };
  for (const auto& t : twins) {
    INFO("nfc: " << t.nfc);
    CHECK(canonicalize(t.nfc) == canonicalize(t.nfd));
    CHECK(kept_of(t.nfc) == kept_of(t.nfd));
  }
}

TEST_CASE("a combining mark after a dropped character opens no word", "[normalize]") {
  // "e" + combining acute after a comma: the mark attaches, no space before it.
  const std::string out = canonicalize("a,\xCC\x81");
  CHECK(out.find(' ') == std::string::npos);
}

TEST_CASE("canonicalize returns the number of kept characters", "[normalize]") {
  std::string out;
  CHECK(canonicalize("Hello, World! 123", {}, out) == 13);
  CHECK(out == "hello world 123");
  CHECK(canonicalize("", {}, out) == 0);
  CHECK(out.empty());
  CHECK(canonicalize("!!!", {}, out) == 0);
  // Han and kana: one per character; punctuation not counted.
  CHECK(canonicalize("\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C", {}, out) == 4);
  CHECK(canonicalize("\xEF\xBD\xB6\xEF\xBE\x9E\xEF\xBE\x85", {}, out) == 2);
  // The ligature folds to two letters.
  CHECK(canonicalize("\xEF\xAC\x81", {}, out) == 2);

  SECTION("text starting with ASCII and going on in another script") {
    // Every case below starts with ASCII letters and then leaves ASCII, so canonicalize()
    // tries the ASCII fast path first and then falls back to ICU. The count must not
    // include the ASCII prefix twice.
    CHECK(canonicalize(std::string("Hello, World! 123") + kFullStop, {}, out) == 13);
    CHECK(out == "hello world 123");
    CHECK(canonicalize("Stra\xC3\x9F"
                       "e",
                       {}, out) == 7);  // strasse
    CHECK(canonicalize("caf\xC3\xA9", {}, out) == 4);
    CHECK(canonicalize("DeepSeek \xE5\x8F\x91\xE5\xB8\x83", {}, out) == 10);
    CHECK(canonicalize("a \xE4\xBD\xA0 b", {}, out) == 3);
  }
  SECTION("the count equals the code points of the form, spaces excluded") {
    const char* const inputs[] = {
        "\xE9\x96\x8B\xE6\xBA\x90 OpenAI \xE6\xA8\xA1\xE5\x9E\x8B",
        "x \xC3\xA9t\xC3\xA9 y",
        "\xEF\xBC\xA4\xEF\xBD\x85\xEF\xBD\x85\xEF\xBD\x90-Seek",
        "plain ascii only",
    };
    for (const char* in : inputs) {
      INFO("input: " << in);
      const std::size_t kept = canonicalize(in, {}, out);
      std::size_t code_points = 0;
      for (std::size_t i = 0; i < out.size();) {
        if (out[i] != ' ') ++code_points;
        paradedup::detail::next_code_point(out, i);
      }
      CHECK(kept == code_points);
    }
  }
  SECTION("out is replaced, not appended to") {
    out = "previous contents";
    canonicalize("\xE4\xBD\xA0", {}, out);
    CHECK(out == "\xE4\xBD\xA0");
    out = "previous contents";
    canonicalize("abc", {}, out);
    CHECK(out == "abc");
  }
}

TEST_CASE("the ASCII fast path gives exactly the ICU path's result", "[normalize]") {
  std::string fast, slow, out_front;
  SECTION("every printable ASCII character, alone and between words") {
    std::size_t text_mismatches = 0, count_mismatches = 0;
    for (int c = 0x20; c < 0x7F; ++c) {
      for (const auto& o : {paradedup::options{}, digits()}) {
        const std::string inputs[] = {std::string(1, static_cast<char>(c)),
                                      std::string("ab") + static_cast<char>(c) + "cd",
                                      std::string(1, static_cast<char>(c)) + "Xy9 Z",
                                      std::string("Q1 ") + static_cast<char>(c)};
        for (const std::string& in : inputs) {
          std::size_t fast_kept = 0;
          REQUIRE(paradedup::detail::canonicalize_ascii(in, o, fast, fast_kept));
          // canonicalize() itself takes the fast path on ASCII input.
          CHECK(canonicalize(in, o, slow) == fast_kept);
          CHECK(slow == fast);
          // Forced onto the ICU path: U+3002 is dropped, so the result must be the same.
          const std::size_t icu_kept = canonicalize(in + kFullStop, o, slow);
          if (slow != fast && ++text_mismatches <= 3) {
            FAIL_CHECK("text differs for [" << in << "]: ICU [" << slow << "], ASCII [" << fast
                                            << "]");
          }
          if (icu_kept != fast_kept && ++count_mismatches <= 3) {
            FAIL_CHECK("kept count differs for [" << in << "]: ICU " << icu_kept << ", ASCII "
                                                  << fast_kept);
          }
        }
      }
    }
    CHECK(text_mismatches == 0);
    CHECK(count_mismatches == 0);
  }
  SECTION("every ASCII control character") {
    for (int c = 0; c < 0x20; ++c) {
      const std::string in = std::string("Ab") + static_cast<char>(c) + "cD\x7F" + "e";
      std::size_t fast_kept = 0;
      REQUIRE(paradedup::detail::canonicalize_ascii(in, {}, fast, fast_kept));
      canonicalize(in + kFullStop, {}, slow);
      INFO("control 0x" << std::hex << c);
      CHECK(slow == fast);
    }
  }
  SECTION("random ASCII strings") {
    std::mt19937 rng(20240601);
    std::uniform_int_distribution<int> len(0, 40);
    std::uniform_int_distribution<int> byte(0, 0x7F);
    std::size_t mismatched_text = 0, mismatched_count = 0;
    for (int k = 0; k < 2000; ++k) {
      std::string in;
      const int n = len(rng);
      for (int j = 0; j < n; ++j) in.push_back(static_cast<char>(byte(rng)));
      std::size_t fast_kept = 0;
      REQUIRE(paradedup::detail::canonicalize_ascii(in, {}, fast, fast_kept));
      // Put the forcing character at the front, to exercise the ICU path over all of `in`.
      const std::size_t icu_kept = canonicalize(kFullStop + in, {}, slow);
      if (slow != fast) {
        if (++mismatched_text <= 3)
          FAIL_CHECK("text differs for [" << in << "]: [" << slow << "] vs [" << fast << "]");
      }
      if (icu_kept != fast_kept) ++mismatched_count;
    }
    CHECK(mismatched_text == 0);
    CHECK(mismatched_count == 0);
  }
  SECTION("random strings of digits, letters, spaces and symbols") {
    std::mt19937 rng(20261130);
    const std::string alphabet = "0123456789  aZ-+<=>$%|~.,:/()#*";
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::size_t mismatched = 0;
    for (int k = 0; k < 5000; ++k) {
      std::string in;
      for (int j = 0, n = static_cast<int>(rng() % 24); j < n; ++j) in.push_back(alphabet[pick(rng)]);
      std::size_t fast_kept = 0;
      REQUIRE(paradedup::detail::canonicalize_ascii(in, {}, fast, fast_kept));
      const std::size_t icu_kept = canonicalize(in + kFullStop, {}, slow);
      const std::size_t icu_front = canonicalize(kFullStop + in, {}, out_front);
      if ((slow != fast || out_front != fast || icu_kept != fast_kept || icu_front != fast_kept) &&
          ++mismatched <= 3) {
        FAIL_CHECK("differs for [" << in << "]: ICU [" << slow << "] / [" << out_front
                                   << "], ASCII [" << fast << "]");
      }
    }
    CHECK(mismatched == 0);
  }
  SECTION("the fast path refuses non-ASCII input") {
    std::size_t kept = 0;
    CHECK_FALSE(paradedup::detail::canonicalize_ascii("abc\xC3\xA9", {}, fast, kept));
    CHECK_FALSE(paradedup::detail::canonicalize_ascii("\x80", {}, fast, kept));
  }
}

TEST_CASE("unicode_version names the ICU Unicode data", "[normalize]") {
  const std::string v = paradedup::unicode_version();
  REQUIRE_FALSE(v.empty());
  CHECK(v.find('.') != std::string::npos);
  CHECK(v[0] >= '1');
  CHECK(v[0] <= '9');
}

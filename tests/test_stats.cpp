// Unit tests for include/paradedup/stats.hpp: the Gopher repetition statistics. Hand-computed
// examples in English and Chinese (the arithmetic is in the comments), the same structure in
// both languages, a brute-force reference over generated documents, edge cases and the JSON.

#include <catch2/catch.hpp>
#include <cmath>    // std::isnan
#include <cstddef>  // std::size_t
#include <random>   // std::mt19937
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/error.hpp"
#include "paradedup/normalize.hpp"
#include "paradedup/stats.hpp"
#include "paradedup/tokenize.hpp"

namespace {

using paradedup::repetition_statistics;
using paradedup::repetition_stats;

// UTF-8 of the Chinese characters used below.
#define CAT "\xE7\x8C\xAB"        // U+732B (Simplified "cat")
#define CAT_TRAD "\xE8\xB2\x93"   // U+8C93 (Traditional form of U+732B)
#define DOG "\xE7\x8B\x97"        // U+72D7
#define SUN "\xE6\x97\xA5"        // U+65E5
#define MOON "\xE6\x9C\x88"       // U+6708
#define HILL "\xE5\xB1\xB1"       // U+5C71
#define WATER "\xE6\xB0\xB4"      // U+6C34
#define YOU "\xE4\xBD\xA0"        // U+4F60
#define GOOD "\xE5\xA5\xBD"       // U+597D
#define WORLD "\xE4\xB8\x96"      // U+4E16
#define COMMA_CJK "\xEF\xBC\x8C"  // U+FF0C FULLWIDTH COMMA
#define STOP_CJK "\xE3\x80\x82"   // U+3002 IDEOGRAPHIC FULL STOP

double frac(std::size_t a, std::size_t b) {
  return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
}

// Every field of two statistics, compared exactly (both sides divide the same integers).
void check_same(const repetition_stats& a, const repetition_stats& b, bool same_chars = true) {
  CHECK(a.lines == b.lines);
  CHECK(a.paragraphs == b.paragraphs);
  CHECK(a.tokens == b.tokens);
  if (same_chars) CHECK(a.chars == b.chars);
  CHECK(a.dup_line_frac == b.dup_line_frac);
  CHECK(a.dup_line_char_frac == b.dup_line_char_frac);
  CHECK(a.dup_para_frac == b.dup_para_frac);
  CHECK(a.dup_para_char_frac == b.dup_para_char_frac);
  for (int k = 0; k < 3; ++k) {
    INFO("top " << k + 2 << "-gram");
    CHECK(a.top_ngram_char_frac[k] == b.top_ngram_char_frac[k]);
  }
  for (int k = 0; k < 6; ++k) {
    INFO("dup " << k + 5 << "-gram");
    CHECK(a.dup_ngram_char_frac[k] == b.dup_ngram_char_frac[k]);
  }
}

void check_all_zero(const repetition_stats& s) { check_same(s, repetition_stats{}); }

// ---- Brute-force reference --------------------------------------------------------------------
// Written from the definitions, without hashing: documents are split on "\n" and "\n\n" (the
// generator uses nothing else), items compared by their canonical strings, n-grams by their
// token strings, every count by scanning all positions (quadratic).

std::vector<std::string> split_on(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  std::size_t at = 0;
  for (;;) {
    const std::size_t k = s.find(sep, at);
    out.push_back(s.substr(at, k == std::string::npos ? std::string::npos : k - at));
    if (k == std::string::npos) return out;
    at = k + sep.size();
  }
}

// Code points of a token, number joiners (. , : - /) not counted.
std::size_t naive_token_chars(const std::string& token) {
  std::size_t n = 0;
  for (const char ch : token) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    if (c == '.' || c == ',' || c == ':' || c == '-' || c == '/') continue;
    ++n;
  }
  return n;
}

struct naive_tally {
  std::set<std::string> seen;
  std::size_t items = 0, dups = 0, chars = 0, dup_chars = 0;
  void add(const std::string& raw) {
    std::string canonical;
    const std::size_t kept = paradedup::canonicalize(raw, {}, canonical);
    if (canonical.empty()) return;
    ++items;
    chars += kept;
    if (!seen.insert(canonical).second) {
      ++dups;
      dup_chars += kept;
    }
  }
};

repetition_stats naive_statistics(const std::string& text) {
  repetition_stats s;
  naive_tally lines, paras;
  std::vector<std::string> tokens;
  for (const std::string& para : split_on(text, "\n\n")) {
    if (para.empty()) continue;
    paras.add(para);
    for (const std::string& line : split_on(para, "\n")) {
      if (!line.empty()) lines.add(line);
    }
    const std::string canonical = paradedup::canonicalize(para);
    for (std::string_view t : paradedup::tokenize(canonical)) tokens.emplace_back(t);
  }
  s.lines = lines.items;
  s.paragraphs = paras.items;
  s.dup_line_frac = frac(lines.dups, lines.items);
  s.dup_line_char_frac = frac(lines.dup_chars, lines.chars);
  s.dup_para_frac = frac(paras.dups, paras.items);
  s.dup_para_char_frac = frac(paras.dup_chars, paras.chars);
  s.tokens = tokens.size();
  std::vector<std::size_t> chars;
  for (const auto& t : tokens) {
    chars.push_back(naive_token_chars(t));
    s.chars += chars.back();
  }
  const std::size_t t = tokens.size();
  auto same = [&](std::size_t i, std::size_t j, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) {
      if (tokens[i + k] != tokens[j + k]) return false;
    }
    return true;
  };
  for (std::size_t n = 2; n <= 10; ++n) {
    if (t < n) break;
    const std::size_t m = t - n + 1;
    std::vector<std::size_t> count(m, 0);
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < m; ++j) count[i] += same(i, j, n) ? 1 : 0;
    }
    if (n <= 4) {
      // Most frequent; ties to the earliest position (which is that n-gram's first occurrence).
      std::size_t best = 0;
      for (std::size_t i = 1; i < m; ++i) {
        if (count[i] > count[best]) best = i;
      }
      std::size_t c = 0;
      for (std::size_t k = best; k < best + n; ++k) c += chars[k];
      s.top_ngram_char_frac[n - 2] = frac(count[best] * c, s.chars);
    } else {
      std::vector<bool> covered(t, false);
      for (std::size_t i = 0; i < m; ++i) {
        if (count[i] < 2) continue;
        for (std::size_t k = i; k < i + n; ++k) covered[k] = true;
      }
      std::size_t c = 0;
      for (std::size_t k = 0; k < t; ++k) c += covered[k] ? chars[k] : 0;
      s.dup_ngram_char_frac[n - 5] = frac(c, s.chars);
    }
  }
  return s;
}

// A document of 1-6 paragraphs of 1-3 lines over a small vocabulary, so that lines,
// paragraphs and n-grams repeat; copies come back with other case and punctuation, or with the
// Traditional form of a character. Some lines hold only punctuation.
std::string random_document(std::mt19937& rng) {
  static const char* const words[] = {"the",   "Cat", "sat",    "on", "a", "MAT",   "1.2",
                                      "10:30", CAT,   CAT_TRAD, DOG,  SUN, "x" MOON};
  static const char* const seps[] = {" ", ", ", "! ", " - ", "\t", COMMA_CJK, STOP_CJK, "..."};
  auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  std::vector<std::string> lines_so_far, paras_so_far;
  std::string doc;
  const std::size_t paras = 1 + pick(6);
  for (std::size_t p = 0; p < paras; ++p) {
    if (p) doc += "\n\n";
    if (!paras_so_far.empty() && pick(4) == 0) {
      doc += paras_so_far[pick(paras_so_far.size())];
      continue;
    }
    std::string para;
    const std::size_t lines = 1 + pick(3);
    for (std::size_t l = 0; l < lines; ++l) {
      std::string line;
      if (!lines_so_far.empty() && pick(3) == 0) {
        line = lines_so_far[pick(lines_so_far.size())];
        if (pick(2)) line += "!";  // same canonical form
      } else if (pick(12) == 0) {
        line = "--- !!";  // no character at all
      } else {
        const std::size_t len = 1 + pick(8);
        for (std::size_t k = 0; k < len; ++k) {
          if (k) line += seps[pick(sizeof seps / sizeof *seps)];
          line += words[pick(sizeof words / sizeof *words)];
        }
      }
      lines_so_far.push_back(line);
      if (l) para += "\n";
      para += line;
    }
    paras_so_far.push_back(para);
    doc += para;
  }
  if (pick(2)) doc += "\n";
  return doc;
}

}  // namespace

TEST_CASE("a line repeated three times: hand-computed English", "[stats]") {
  // Lines (canonical, characters): "click here to subscribe" 5+4+2+9 = 20,
  // "the weather is fine today" 3+7+2+4+5 = 21, then the first line twice more (different
  // case and punctuation: same canonical form). 4 lines, 2 duplicates; 81 characters, 40 in
  // duplicates. Paragraphs: lines 1-3 (61 characters) and line 4 (20): different, none
  // duplicate.
  // Tokens: A B A A with A = click here to subscribe, B = the weather is fine today: 17.
  // top 2-gram: "click here", "here to", "to subscribe" each occur 3 times; the first to
  // occur is "click here" (9 characters): 3*9/81. top 3-gram: "click here to", 3*11/81.
  // top 4-gram: "click here to subscribe", 3*20/81. No 5-gram occurs twice (each A is
  // followed by something else, or by the end).
  const auto s = repetition_statistics(
      "Click here to subscribe.\nThe weather is fine today.\nClick here to subscribe!\n\n"
      "CLICK HERE TO SUBSCRIBE\n");
  CHECK(s.lines == 4);
  CHECK(s.paragraphs == 2);
  CHECK(s.tokens == 17);
  CHECK(s.chars == 81);
  CHECK(s.dup_line_frac == frac(2, 4));
  CHECK(s.dup_line_char_frac == frac(40, 81));
  CHECK(s.dup_para_frac == 0.0);
  CHECK(s.dup_para_char_frac == 0.0);
  CHECK(s.top_ngram_char_frac[0] == frac(27, 81));
  CHECK(s.top_ngram_char_frac[1] == frac(33, 81));
  CHECK(s.top_ngram_char_frac[2] == frac(60, 81));
  for (double f : s.dup_ngram_char_frac) CHECK(f == 0.0);
}

TEST_CASE("a repeated paragraph wrapped differently: hand-computed English", "[stats]") {
  // Paragraphs: "a paragraph of text it has two lines" (1+9+2+4 + 2+3+3+5 = 29), "something
  // else" (13), then the first again, wrapped elsewhere: same canonical form, a duplicate.
  // 3 paragraphs, 1 duplicate; 71 characters, 29 in it. Its lines differ from the first
  // paragraph's lines ("a paragraph of text it has", "two lines"): no duplicate line.
  const auto s = repetition_statistics(
      "A paragraph of text.\nIt has two lines.\n\nSomething else.\n\n"
      "A paragraph of text. It has\ntwo lines.\n");
  CHECK(s.lines == 5);
  CHECK(s.paragraphs == 3);
  CHECK(s.chars == 71);
  CHECK(s.dup_line_frac == 0.0);
  CHECK(s.dup_line_char_frac == 0.0);
  CHECK(s.dup_para_frac == frac(1, 3));
  CHECK(s.dup_para_char_frac == frac(29, 71));
  // Tokens: P (8) S (2) P (8): the 8-gram P occurs twice, so do all its sub-n-grams; every
  // token of both copies is covered for n = 5..8 (58 of 71 characters); no 9-gram repeats.
  for (int n = 5; n <= 8; ++n) CHECK(s.dup_ngram_char_frac[n - 5] == frac(58, 71));
  CHECK(s.dup_ngram_char_frac[4] == 0.0);
  CHECK(s.dup_ngram_char_frac[5] == 0.0);
}

TEST_CASE("the same structure in English and Chinese gives the same fractions", "[stats]") {
  // English: 3-letter words; Chinese: one character per word. Both are
  //   A = w1 w2 w3 w4 w5 w6 / B = w7 w8 w9 / A again (other punctuation).
  // Per English token 3 characters, per Chinese token 1; T = 15 tokens.
  // Lines: 3, one duplicate: 1/3; characters 6 of 15 tokens' worth: 18/45 = 6/15 = 0.4.
  // One paragraph: no duplicate.
  // top 2-gram: every 2-gram of A occurs twice; the first is w1 w2: 2*2 tokens = 4/15.
  // top 3-gram: 2*3/15; top 4-gram: 2*4/15.
  // 5- and 6-grams of A occur twice, covering all 12 tokens of both copies: 12/15 = 0.8.
  // A 7-gram would need a seventh token after the second A: none repeats, 0 for n = 7..10.
  const auto en = repetition_statistics(
      "cat dog sun map hat box\nbig red cup\nCat, dog; sun -- map hat box!\n");
  // clang-format off
  const auto zh = repetition_statistics(
      CAT DOG SUN MOON HILL WATER "\n"
      YOU GOOD WORLD "\n"
      CAT COMMA_CJK DOG SUN MOON HILL WATER STOP_CJK "\n");
  // clang-format on
  CHECK(en.chars == 45);
  CHECK(zh.chars == 15);
  CHECK(en.tokens == 15);
  for (const repetition_stats* s : {&en, &zh}) {
    CHECK(s->lines == 3);
    CHECK(s->paragraphs == 1);
    CHECK(s->dup_line_frac == frac(1, 3));
    CHECK(s->dup_line_char_frac == Approx(0.4).epsilon(1e-15));
    CHECK(s->dup_para_frac == 0.0);
    CHECK(s->top_ngram_char_frac[0] == Approx(4.0 / 15).epsilon(1e-15));
    CHECK(s->top_ngram_char_frac[1] == Approx(6.0 / 15).epsilon(1e-15));
    CHECK(s->top_ngram_char_frac[2] == Approx(8.0 / 15).epsilon(1e-15));
    CHECK(s->dup_ngram_char_frac[0] == Approx(0.8).epsilon(1e-15));
    CHECK(s->dup_ngram_char_frac[1] == Approx(0.8).epsilon(1e-15));
    for (int k = 2; k < 6; ++k) CHECK(s->dup_ngram_char_frac[k] == 0.0);
  }
  check_same(en, zh, /*same_chars=*/false);
}

TEST_CASE("Traditional and Simplified repeats count with fold_han only", "[stats]") {
  const std::string text = CAT DOG SUN "\n" CAT_TRAD DOG SUN "\n";
  const auto folded = repetition_statistics(text);
  CHECK(folded.dup_line_frac == frac(1, 2));
  CHECK(folded.top_ngram_char_frac[0] == frac(2 * 2, 6));  // CAT DOG twice
  paradedup::options o;
  o.fold_han = false;
  const auto kept = repetition_statistics(text, o);
  CHECK(kept.dup_line_frac == 0.0);
  CHECK(kept.top_ngram_char_frac[0] == frac(2 * 2, 6));  // DOG SUN twice
}

TEST_CASE("top n-gram without repeats and with overlapping occurrences", "[stats]") {
  // No 2-gram repeats: as datatrove, the first 2-gram once, "alpha beta": 9 of 14.
  auto s = repetition_statistics("Alpha beta gamma.");
  CHECK(s.top_ngram_char_frac[0] == frac(9, 14));
  CHECK(s.top_ngram_char_frac[1] == frac(14, 14));
  CHECK(s.top_ngram_char_frac[2] == 0.0);  // fewer than 4 tokens
  // "ha ha" occurs 4 times in 5 tokens, overlapping: 4*4/10 = 1.6 (can exceed 1).
  s = repetition_statistics("ha ha ha ha ha");
  CHECK(s.top_ngram_char_frac[0] == frac(16, 10));
  CHECK(s.top_ngram_char_frac[1] == frac(18, 10));
  CHECK(s.top_ngram_char_frac[2] == frac(16, 10));
  CHECK(s.dup_ngram_char_frac[0] == 0.0);  // the one 5-gram occurs once
  s = repetition_statistics("ha ha ha ha ha ha");
  CHECK(s.dup_ngram_char_frac[0] == 1.0);  // two overlapping 5-grams: every token, once
}

TEST_CASE("numbers with joiners are one token; joiners are not characters", "[stats]") {
  // "version 1.2.3 released": 7 + 3 + 8 = 18 characters, 3 tokens per line.
  const auto s = repetition_statistics("Version 1.2.3 released\nversion 1.2.3 released.\n");
  CHECK(s.tokens == 6);
  CHECK(s.chars == 36);
  std::string canonical;
  CHECK(s.chars == 2 * paradedup::canonicalize("Version 1.2.3 released", {}, canonical));
  CHECK(s.dup_line_char_frac == frac(18, 36));
}

TEST_CASE("empty, blank and punctuation-only text give zeros", "[stats]") {
  check_all_zero(repetition_statistics(""));
  check_all_zero(repetition_statistics("\n\n  \n\t\n"));
  check_all_zero(repetition_statistics("!!!\n---\n\n... ??\n***\n" STOP_CJK "\n"));
  // Punctuation-only lines are not items: one real line, and two "---" lines that would
  // otherwise be duplicates.
  const auto s = repetition_statistics("---\nreal words here\n---\n");
  CHECK(s.lines == 1);
  CHECK(s.dup_line_frac == 0.0);
  const auto z = repetition_statistics("");
  for (double f : {z.dup_line_frac, z.dup_line_char_frac, z.dup_para_frac, z.dup_para_char_frac,
                   z.top_ngram_char_frac[0], z.dup_ngram_char_frac[5]}) {
    CHECK_FALSE(std::isnan(f));
  }
}

TEST_CASE("invalid UTF-8 throws, or is read as U+FFFD under replace", "[stats]") {
  const std::string bad = "abc def\n\xFF xyz\nabc def\n";
  try {
    (void)repetition_statistics(bad);
    FAIL("no exception");
  } catch (const paradedup::error& e) {
    CHECK(e.code() == paradedup::errc::invalid_utf8);
    CHECK(e.byte_offset() == 8);
  }
  paradedup::options o;
  o.on_invalid = paradedup::invalid_policy::skip;
  CHECK_THROWS_AS(repetition_statistics(bad, o), paradedup::error);
  o.on_invalid = paradedup::invalid_policy::replace;
  const auto s = repetition_statistics(bad, o);
  CHECK(s.lines == 3);
  CHECK(s.dup_line_frac == frac(1, 3));
}

TEST_CASE("matches a brute-force reference on generated documents", "[stats]") {
  std::mt19937 rng(20240611);
  std::size_t some_ngram_repeats = 0;
  for (int doc = 0; doc < 60; ++doc) {
    const std::string text = random_document(rng);
    INFO("document " << doc << ":\n" << text);
    const auto got = repetition_statistics(text);
    const auto want = naive_statistics(text);
    check_same(got, want);
    // chars is also the canonicalize() count of the whole text.
    std::string canonical;
    CHECK(got.chars == paradedup::canonicalize(text, {}, canonical));
    if (got.dup_ngram_char_frac[0] > 0) ++some_ngram_repeats;
  }
  CHECK(some_ngram_repeats >= 20);  // the generator does exercise the n-gram figures
}

TEST_CASE("a long repetitive document is counted in linear time", "[stats]") {
  // 200,000 tokens: 50,000 copies of one 4-word line. Every n-gram repeats.
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "one two three four\n";
  const auto s = repetition_statistics(text);
  CHECK(s.tokens == 200000);
  CHECK(s.chars == 50000u * 15);
  CHECK(s.dup_line_frac == frac(49999, 50000));
  // "one two" occurs 50,000 times with 6 characters.
  CHECK(s.top_ngram_char_frac[0] == frac(50000u * 6, 50000u * 15));
  for (double f : s.dup_ngram_char_frac) CHECK(f == 1.0);
}

TEST_CASE("JSON has every key once and no NaN", "[stats]") {
  std::string out = "x";  // appends
  paradedup::append_stats_json(out, repetition_statistics("a b c d e f\na b c d e f\n"));
  REQUIRE(out.size() > 2);
  CHECK(out.substr(0, 2) == "x{");
  CHECK(out.back() == '}');
  const char* const keys[] = {"lines",
                              "paragraphs",
                              "tokens",
                              "chars",
                              "dup_line_frac",
                              "dup_line_char_frac",
                              "dup_para_frac",
                              "dup_para_char_frac",
                              "top_2gram_char_frac",
                              "top_3gram_char_frac",
                              "top_4gram_char_frac",
                              "dup_5gram_char_frac",
                              "dup_6gram_char_frac",
                              "dup_7gram_char_frac",
                              "dup_8gram_char_frac",
                              "dup_9gram_char_frac",
                              "dup_10gram_char_frac"};
  std::size_t colons = 0;
  for (char c : out) colons += c == ':' ? 1 : 0;
  CHECK(colons == sizeof keys / sizeof *keys);
  for (const char* k : keys) {
    const std::string quoted = std::string("\"") + k + "\":";
    INFO(quoted);
    CHECK(out.find(quoted) != std::string::npos);
    CHECK(out.find(quoted) == out.rfind(quoted));
  }
  CHECK(out.find("\"lines\":2,") != std::string::npos);
  CHECK(out.find("\"dup_line_frac\":0.500000,") != std::string::npos);
  CHECK(out.find("\"dup_5gram_char_frac\":1.000000,") != std::string::npos);
  CHECK(out.find("nan") == std::string::npos);
  // The 13 fractions: every value is a number of the form d.dddddd, separated by commas.
  std::size_t commas = 0;
  for (char c : out) commas += c == ',' ? 1 : 0;
  CHECK(commas == 16);
  std::string empty;
  paradedup::append_stats_json(empty, repetition_stats{});
  CHECK(empty.find("\"dup_10gram_char_frac\":0.000000}") != std::string::npos);
}

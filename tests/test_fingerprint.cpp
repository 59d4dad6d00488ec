// Unit tests for include/paradedup/fingerprint.hpp: exact fingerprints and shingle hashes.
//
// The known-answer constants below were computed once with this library (XXH3, seed
// detail::fingerprint_seed) and frozen on purpose: a change to the hash, its seed, the shingle
// formula or the canonical form changes every stored index, so it must fail here loudly and
// be made deliberately (update the constants together with the index format version).

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdint>
#include <iterator>  // std::back_inserter
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/fingerprint.hpp"
#include "paradedup/normalize.hpp"

namespace {

using paradedup::exact_fingerprint;
using paradedup::fingerprint;
using paradedup::shingle_hashes;
using hashes = std::vector<std::uint64_t>;

// "deepseek" U+53D1 U+5E03 "v3" U+6A21 U+578B: 6 tokens.
const std::string kMixed = "deepseek\xE5\x8F\x91\xE5\xB8\x83v3\xE6\xA8\xA1\xE5\x9E\x8B";
// U+4F60 U+597D U+4E16 U+754C: 4 tokens.
const std::string kHan = "\xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C";

// Slow reference for shingle_hashes(), written from its header comment: the tokens padded
// with n-1 boundary tokens on each side, every window of n hashed from scratch as
// sum(t[k] * B^(n-1-k)) mod 2^64, avalanched with mix64, then sorted and made distinct.
hashes reference_shingles(std::string_view canonical, int n) {
  constexpr std::uint64_t base = 0x9E3779B185EBCA87ULL;
  constexpr std::uint64_t edge = 0x243F6A8885A308D3ULL;  // boundary token, as in the header
  std::vector<std::uint64_t> tokens;
  for (std::string_view t : paradedup::tokenize(canonical)) {
    tokens.push_back(paradedup::detail::hash64(t));
  }
  hashes out;
  if (tokens.empty()) return out;
  std::vector<std::uint64_t> seq(static_cast<std::size_t>(n - 1), edge);
  seq.insert(seq.end(), tokens.begin(), tokens.end());
  seq.insert(seq.end(), static_cast<std::size_t>(n - 1), edge);
  const auto width = static_cast<std::size_t>(n);
  for (std::size_t start = 0; start + width <= seq.size(); ++start) {
    std::uint64_t h = 0;
    for (std::size_t k = 0; k < width; ++k) {
      std::uint64_t power = 1;
      for (std::size_t e = 0; e < width - 1 - k; ++e) power *= base;
      h += seq[start + k] * power;
    }
    out.push_back(paradedup::detail::mix64(h));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool sorted_distinct(const hashes& h) {
  for (std::size_t i = 1; i < h.size(); ++i) {
    if (!(h[i - 1] < h[i])) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("exact fingerprints: frozen known answers", "[fingerprint]") {
  struct known {
    const char* text;
    std::uint64_t high, low;
  };
  const known answers[] = {
      {"", 0xEC7F2639AA687313ULL, 0xB52E1CA8A3470D57ULL},
      {"a", 0x59737EB5AA0193D3ULL, 0x69675B5BB068E009ULL},
      {"hello world", 0xAEAF2AF9A8BD0A88ULL, 0x324F296E55E86FD3ULL},
      {"the quick brown fox jumps over the lazy dog", 0x56C31298DBCEECC9ULL, 0x71CEFC5BB62BAB20ULL},
      {kHan.c_str(), 0x0174990733D38ECCULL, 0xCAEA6685055A4F93ULL},
      {kMixed.c_str(), 0x34F2AF9E5E508D2DULL, 0xA6F92DDE0AD6DEFDULL},
  };
  for (const auto& k : answers) {
    INFO("canonical: " << k.text);
    const fingerprint f = exact_fingerprint(k.text);
    CHECK(f.high == k.high);
    CHECK(f.low == k.low);
  }
}

TEST_CASE("token hashes: frozen known answers", "[fingerprint]") {
  CHECK(paradedup::detail::hash64("") == 0x180A34102E2578DAULL);
  CHECK(paradedup::detail::hash64("a") == 0x69675B5BB068E009ULL);
  CHECK(paradedup::detail::hash64("deepseek") == 0x0EBDA0E50D6607AEULL);
  CHECK(paradedup::detail::mix64(0) == 0);
  CHECK(paradedup::detail::mix64(1) == 0x1656679188611E68ULL);
}

TEST_CASE("shingle hashes: frozen known answers", "[fingerprint]") {
  CHECK(shingle_hashes("a", 1) == hashes{0x2235A8224F973A19ULL});
  CHECK(shingle_hashes("hello world", 2) ==
        hashes{0x04F043C0A7070DE4ULL, 0x45B2BBCBD26ECE44ULL, 0x5F78F5D4F780D47DULL});
  CHECK(shingle_hashes(kHan, 2) == hashes{0x4DC37020961C12C3ULL, 0x911020265EBE066BULL,
                                          0x9576017AF3C1A1EBULL, 0xD7EB9C02F4B0D0BAULL,
                                          0xDBB64FE07792D0D7ULL});
  CHECK(shingle_hashes(kMixed, 5) == hashes{0x19228B7220F0318FULL, 0x20A56ABF0C36D550ULL,
                                            0x5A1C81BC969409BDULL, 0x6F30C316F0F85164ULL,
                                            0x903823764F7AA0A8ULL, 0x9DC3D1F1CC95A6DAULL,
                                            0xB845EE3671C24161ULL, 0xB886AC28AAF06B41ULL,
                                            0xE94CE12F56C865FDULL, 0xFD7D9B575590D09CULL});
}

TEST_CASE("fingerprints of raw paragraphs through canonicalize: frozen", "[fingerprint]") {
  // Traditional Han, full-width "!" and mixed case: the canonical form is kMixed, so the
  // fingerprint is kMixed's frozen value. This ties normalization to the stored hashes.
  const std::string raw = "DeepSeek\xE7\x99\xBC\xE5\xB8\x83 V3\xE6\xA8\xA1\xE5\x9E\x8B\xEF\xBC\x81";
  const fingerprint f = exact_fingerprint(paradedup::canonicalize(raw));
  CHECK(f.high == 0x34F2AF9E5E508D2DULL);
  CHECK(f.low == 0xA6F92DDE0AD6DEFDULL);
  const fingerprint g = exact_fingerprint(paradedup::canonicalize("Hello,   WORLD!"));
  CHECK(g.high == 0xAEAF2AF9A8BD0A88ULL);
  CHECK(g.low == 0x324F296E55E86FD3ULL);
}

TEST_CASE("exact fingerprints tell canonical texts apart", "[fingerprint]") {
  CHECK(exact_fingerprint("abc") == exact_fingerprint(std::string("abc")));
  CHECK(exact_fingerprint("abc") != exact_fingerprint("abd"));
  CHECK(exact_fingerprint("ab c") != exact_fingerprint("abc"));
  CHECK(exact_fingerprint("") != exact_fingerprint(" "));
  // Operators: == / != / < are consistent.
  const fingerprint a = exact_fingerprint("x"), b = exact_fingerprint("y");
  CHECK((a < b) != (b < a));
  CHECK_FALSE(a < a);
  CHECK(paradedup::fingerprint_hash{}(a) == static_cast<std::size_t>(a.low));
  fingerprint hi{1, 0}, lo{0, 99};
  CHECK(lo < hi);
  CHECK_FALSE(hi < lo);
}

TEST_CASE("shingles are sorted and distinct", "[fingerprint]") {
  // Repeated words make repeated windows; they appear once.
  const std::string s = "la la la la la la la la la la la la";
  for (int n : {1, 2, 3, 5}) {
    INFO("n = " << n);
    const hashes h = shingle_hashes(s, n);
    CHECK(sorted_distinct(h));
    // Twelve "la": the windows differ only by how many boundary tokens they hold.
    CHECK(h.size() == static_cast<std::size_t>(n == 1 ? 1 : 2 * (n - 1) + 1));
  }
  const hashes m = shingle_hashes("the quick brown fox jumps over the lazy dog", 1);
  CHECK(sorted_distinct(m));
  CHECK(m.size() == 8);  // "the" twice
}

TEST_CASE("shingle counts: T tokens give T+n-1 windows, none for no token", "[fingerprint]") {
  SECTION("empty and token-less canonical text give no shingle") {
    for (int n : {1, 2, 5, 32}) {
      CHECK(shingle_hashes("", n).empty());
      CHECK(shingle_hashes(" ", n).empty());
    }
  }
  SECTION("fewer tokens than n still give shingles, every token in n of them") {
    // One token, n = 5: windows hold 4..0 boundary tokens, then 0..4: 5 shingles.
    CHECK(shingle_hashes("a", 5).size() == 5);
    CHECK(shingle_hashes("hello world", 5).size() == 6);
    CHECK(shingle_hashes(kHan, 5).size() == 8);
    CHECK(shingle_hashes(kMixed, 5).size() == 10);
  }
  SECTION("n = 1 is the set of distinct tokens") {
    CHECK(shingle_hashes("hello world", 1).size() == 2);
    CHECK(shingle_hashes(kMixed, 1).size() == 6);
    CHECK(shingle_hashes("a", 1) ==
          hashes{paradedup::detail::mix64(paradedup::detail::hash64("a"))});
  }
  SECTION("many distinct tokens") {
    std::string s;
    for (int k = 0; k < 100; ++k) s += "w" + std::to_string(k) + " ";
    CHECK(shingle_hashes(s, 5).size() == 104);
    CHECK(shingle_hashes(s, 32).size() == 131);
  }
}

TEST_CASE("the rolling hash equals the slow reference", "[fingerprint]") {
  const std::string fixed[] = {
      "",
      "a",
      "hello world",
      "the quick brown fox jumps over the lazy dog",
      "la la la la la la la la",
      kHan,
      kMixed,
      kMixed + " " + kMixed + " and more words after it " + kHan,
  };
  for (const std::string& s : fixed) {
    for (int n = 1; n <= 8; ++n) {
      INFO("n = " << n << ", canonical: " << s);
      CHECK(shingle_hashes(s, n) == reference_shingles(s, n));
    }
    CHECK(shingle_hashes(s, 32) == reference_shingles(s, 32));
  }
  SECTION("random token sequences") {
    std::mt19937 rng(7);
    const char* const vocab[] = {"a",  "b",           "cc", "ddd", "\xE4\xB8\xAD", "\xE6\x96\x87",
                                 "x1", "\xE3\x81\x82"};
    std::uniform_int_distribution<int> pick(0, 7), len(0, 60), width(1, 32);
    std::size_t mismatches = 0;
    for (int k = 0; k < 300; ++k) {
      std::string s;
      const int tokens = len(rng);
      for (int t = 0; t < tokens; ++t) {
        s += vocab[pick(rng)];
        s += ' ';
      }
      const int n = width(rng);
      if (shingle_hashes(s, n) != reference_shingles(s, n)) {
        if (++mismatches <= 3) FAIL_CHECK("mismatch for n=" << n << " [" << s << "]");
      }
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("shingle_hashes appends to a vector and leaves its prefix alone", "[fingerprint]") {
  hashes out{3, 2, 1};
  shingle_hashes("hello world", 2, out);
  REQUIRE(out.size() == 3 + 3);
  CHECK(out[0] == 3);
  CHECK(out[1] == 2);
  CHECK(out[2] == 1);
  CHECK(hashes(out.begin() + 3, out.end()) == shingle_hashes("hello world", 2));
  shingle_hashes("", 2, out);
  CHECK(out.size() == 6);
}

TEST_CASE("a one-word edit changes exactly the shingles that hold the word", "[fingerprint]") {
  std::string a, b;
  for (int k = 0; k < 20; ++k) {
    a += "w" + std::to_string(k) + " ";
    b += (k == 10 ? std::string("changed") : "w" + std::to_string(k)) + " ";
  }
  const hashes ha = shingle_hashes(a, 5), hb = shingle_hashes(b, 5);
  REQUIRE(ha.size() == 24);
  REQUIRE(hb.size() == 24);
  hashes common;
  std::set_intersection(ha.begin(), ha.end(), hb.begin(), hb.end(), std::back_inserter(common));
  CHECK(common.size() == 24 - 5);
  // The first and the last word are in n shingles too, thanks to the boundary tokens.
  std::string c = "first" + a.substr(2);
  const hashes hc = shingle_hashes(c, 5);
  common.clear();
  std::set_intersection(ha.begin(), ha.end(), hc.begin(), hc.end(), std::back_inserter(common));
  CHECK(common.size() == 24 - 5);
}

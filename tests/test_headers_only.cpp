// A test program that links only paradedup::headers, not the compiled ICU part: everything
// but canonicalize(), fold_han() and unicode_version() must work from the headers alone.
// Built as its own executable (paradedup_headers_only_test).

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/detect.hpp"
#include "paradedup/fingerprint.hpp"
#include "paradedup/normalize.hpp"  // only its inline ASCII path is used here
#include "paradedup/output.hpp"
#include "paradedup/segment.hpp"
#include "paradedup/tokenize.hpp"
#include "paradedup/utf8.hpp"

TEST_CASE("validate_utf8 from the headers alone", "[headers]") {
  CHECK(paradedup::validate_utf8("plain \xE4\xB8\xAD\xE6\x96\x87").valid);
  const auto bad = paradedup::validate_utf8("abc\xED\xA0\x80");
  CHECK_FALSE(bad.valid);
  CHECK(bad.error_offset == 3);
}

TEST_CASE("split_paragraphs from the headers alone", "[headers]") {
  const std::string s = "a\nb\n\nc\n";
  const auto seg = paradedup::split_paragraphs(s, paradedup::segment_mode::blank);
  REQUIRE(seg.paragraphs.size() == 2);
  CHECK(seg.paragraphs[0].end == 3);
  CHECK(seg.paragraphs[1].line == 4);
  CHECK(paradedup::split_paragraphs(s, paradedup::segment_mode::lines).paragraphs.size() == 3);
}

TEST_CASE("tokenize, fingerprint and shingles from the headers alone", "[headers]") {
  const std::string canonical = "deepseek\xE5\x8F\x91\xE5\xB8\x83v3\xE6\xA8\xA1\xE5\x9E\x8B";
  const auto tokens = paradedup::tokenize(canonical);
  REQUIRE(tokens.size() == 6);
  CHECK(tokens[0] == "deepseek");
  CHECK(tokens[3] == "v3");
  // Same frozen values as tests/test_fingerprint.cpp: the header-only build hashes alike.
  const auto f = paradedup::exact_fingerprint(canonical);
  CHECK(f.high == 0x34F2AF9E5E508D2DULL);
  CHECK(f.low == 0xA6F92DDE0AD6DEFDULL);
  const auto sh = paradedup::shingle_hashes(canonical, 5);
  CHECK(sh.size() == 10);
  CHECK(sh.front() == 0x19228B7220F0318FULL);
  CHECK(sh.back() == 0xFD7D9B575590D09CULL);
}

TEST_CASE("the ASCII canonical form and the later stages from the headers alone", "[headers]") {
  // An ASCII document can go through the whole pipeline without ICU.
  const std::string text =
      "The quick brown fox jumps over the lazy dog.\nA line in between.\n"
      "the QUICK brown fox -- jumps over the lazy dog!\n";
  const auto seg = paradedup::split_paragraphs(text, paradedup::segment_mode::lines);
  REQUIRE(seg.paragraphs.size() == 3);
  paradedup::options o;
  std::vector<paradedup::paragraph_features> feats(3);
  std::string canonical;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& p = seg.paragraphs[i];
    REQUIRE(paradedup::detail::canonicalize_ascii(text.substr(p.begin, p.end - p.begin), o,
                                                  canonical, feats[i].chars));
    feats[i].exact = paradedup::exact_fingerprint(canonical);
    paradedup::shingle_hashes(canonical, o.shingle, feats[i].shingles);
  }
  CHECK(feats[0].chars == 35);
  const auto dec = paradedup::decide(paradedup::find_duplicates(feats, o), feats, o);
  REQUIRE(dec.removed.size() == 1);
  CHECK(dec.removed[0].index == 2);
  CHECK(dec.removed[0].kind == paradedup::duplicate_kind::exact);
  CHECK(paradedup::render_text(text, seg, dec.dropped) ==
        "The quick brown fox jumps over the lazy dog.\nA line in between.\n");
}

#ifndef PARADEDUP_FINGERPRINT_HPP
#define PARADEDUP_FINGERPRINT_HPP

// Stage 4 of the pipeline: the exact fingerprint and the shingle hashes of a canonical
// paragraph. Hash values are XXH3 with a fixed seed: identical on every machine and build.

#include <algorithm>  // std::sort, std::unique
#include <cassert>
#include <cstddef>    // std::size_t
#include <cstdint>
#include <string_view>
#include <vector>

#include "paradedup/detail/hash.hpp"
#include "paradedup/tokenize.hpp"

namespace paradedup {

/// 128-bit fingerprint of a canonical paragraph. With 128 bits, a collision among 10^12
/// paragraphs has probability about 10^-15: equal fingerprints mean equal canonical text.
struct fingerprint {
  std::uint64_t high = 0;  ///< Upper 64 bits of XXH3-128.
  std::uint64_t low = 0;   ///< Lower 64 bits of XXH3-128; also the 64-bit form.

  friend bool operator==(const fingerprint& a, const fingerprint& b) noexcept {
    return a.high == b.high && a.low == b.low;
  }
  friend bool operator!=(const fingerprint& a, const fingerprint& b) noexcept {
    return !(a == b);
  }
  friend bool operator<(const fingerprint& a, const fingerprint& b) noexcept {
    return a.high != b.high ? a.high < b.high : a.low < b.low;
  }
};

/// Hash functor for fingerprint keys in std::unordered_map (the bits are already uniform).
struct fingerprint_hash {
  std::size_t operator()(const fingerprint& f) const noexcept {
    return static_cast<std::size_t>(f.low);
  }
};

/// Exact fingerprint: XXH3-128 of the canonical bytes, seed detail::fingerprint_seed.
/// Two paragraphs have the same fingerprint iff their canonical forms are equal.
[[nodiscard]] inline fingerprint exact_fingerprint(std::string_view canonical) noexcept {
  const auto h = detail::hash128(canonical);
  return {h.high64, h.low64};
}

namespace detail {

// shingle_hashes() without the final sort and deduplication: the hashes in text order,
// repeats included (see shingle_hashes() below for what a shingle is). The document pipeline
// sorts all its paragraphs' shingles at once (index_shingles() in detect.hpp), which is
// cheaper than one sort per paragraph.
// True for a token that canonicalize() keeps as a symbol next to a number: one math or
// currency symbol, % or per mille ("$", ">", "€", "≤", "%"). The blocks of those that occur in
// practice, not the whole general categories (header-only: no ICU here).
inline bool is_number_symbol_token(std::string_view token) noexcept {
  std::size_t at = 0;
  const char32_t c = next_code_point(token, at);
  if (at != token.size()) return false;
  if (c < 0x80) return c == '+' || c == '<' || c == '=' || c == '>' || c == '$' || c == '%';
  return (c >= 0xA2 && c <= 0xA5) || c == 0xAC || c == 0xB1 || c == 0xD7 || c == 0xF7 ||
         c == 0x2030 || c == 0x2031 || (c >= 0x20A0 && c <= 0x20CF) ||
         (c >= 0x2190 && c <= 0x22FF) || (c >= 0x2A00 && c <= 0x2AFF);
}

// With `facts`, also fills *facts with the paragraph's facts (see paragraph_features::facts):
// the hashes of its tokens holding a digit or being a symbol kept next to a number and, when
// most of its tokens are characters of scripts written without spaces, of its ASCII words;
// sorted, repeats kept.
inline void append_shingles(std::string_view canonical, int n, std::vector<std::uint64_t>& out,
                            std::vector<std::uint64_t>* facts = nullptr) {
  assert(n >= 1 && n <= 32);
  constexpr std::uint64_t base = 0x9E3779B185EBCA87ULL;  // odd: multiplication is invertible
  constexpr std::uint64_t edge = 0x243F6A8885A308D3ULL;  // the boundary token's hash
  std::uint64_t top = 1;                                  // base^(n-1)
  for (int k = 1; k < n; ++k) top *= base;
  std::uint64_t ring[32];  // the last n token hashes
  const auto width = static_cast<std::size_t>(n);
  std::size_t count = 0;  // tokens pushed, boundary tokens included
  std::uint64_t h = 0;
  auto push = [&](std::uint64_t t) {
    if (count >= width) h -= ring[count % width] * top;
    h = h * base + t;
    ring[count % width] = t;
    ++count;
    if (count >= width) out.push_back(mix64(h));
  };
  for (std::size_t k = 1; k < width; ++k) push(edge);
  if (facts != nullptr) facts->clear();
  std::size_t spaceless = 0, spaced = 0, ascii_words = 0;
  for_each_token(canonical, [&](std::string_view token) {
    const std::uint64_t t = hash64(token);
    push(t);
    if (facts == nullptr) return;
    const auto first = static_cast<unsigned char>(token[0]);
    if (first >= 0xE0) {  // for_each_token: a character of its own, or a word of other letters
      std::size_t at = 0;
      if (is_spaceless(next_code_point(token, at)) && at == token.size()) {
        ++spaceless;
        return;
      }
    }
    ++spaced;
    bool digit = false, ascii_word = true;
    for (const char c : token) {
      digit |= c >= '0' && c <= '9';
      ascii_word &= c >= 'a' && c <= 'z';
    }
    if (digit || (token.size() <= 3 && is_number_symbol_token(token))) {  // one code point
      facts->push_back(t);
    } else {
      ascii_words += ascii_word;
    }
  });
  if (facts != nullptr) {
    // ASCII words count only in text mostly of spaceless characters: known at the end, and
    // rare there, so they are collected by a second pass over such paragraphs alone.
    if (spaceless > spaced && ascii_words > 0) {
      for_each_token(canonical, [&](std::string_view token) {
        for (const char c : token) {
          if (c < 'a' || c > 'z') return;
        }
        facts->push_back(hash64(token));
      });
    }
    std::sort(facts->begin(), facts->end());
  }
  if (count == width - 1) return;  // no token at all
  for (std::size_t k = 1; k < width; ++k) push(edge);
}

}  // namespace detail

/// Appends to `out` the distinct shingle hashes of a canonical paragraph, sorted ascending.
///
/// A shingle is n consecutive tokens (for_each_token) of the paragraph padded with n-1
/// boundary tokens on each side, so a paragraph of T >= 1 tokens has T+n-1 shingles and every
/// token, the first and last included, is in n of them. Without the padding a change to the
/// first or last word would touch one shingle instead of n, and "btrfs utility for X" would
/// look 94% like "ext4 utility for X"; with it, a paragraph that is only a part of another
/// also loses its boundary shingles, so short fragments do not match the lines containing them.
/// Each token is hashed with XXH3-64; a window's hash is sum(t[k] * B^(n-1-k)) mod 2^64,
/// updated in O(1) as the window rolls, then avalanched (detail::mix64). A paragraph with no
/// token gives no shingle. Requires: 1 <= n <= 32. Cost: O(T log T) for the final sort.
inline void shingle_hashes(std::string_view canonical, int n, std::vector<std::uint64_t>& out) {
  const std::size_t first = out.size();
  detail::append_shingles(canonical, n, out);
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
  out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()), out.end());
}

/// Convenience form of shingle_hashes() returning a new vector.
[[nodiscard]] inline std::vector<std::uint64_t> shingle_hashes(std::string_view canonical,
                                                                int n) {
  std::vector<std::uint64_t> out;
  shingle_hashes(canonical, n, out);
  return out;
}

}  // namespace paradedup

#endif  // PARADEDUP_FINGERPRINT_HPP

#ifndef PARADEDUP_FINGERPRINT_HPP
#define PARADEDUP_FINGERPRINT_HPP

// Stage 4 of the pipeline: the exact fingerprint and the shingle hashes of a canonical
// paragraph. Hash values are XXH3 with a fixed seed: identical on every machine and build.

#include <algorithm>  // std::sort, std::unique
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

/// Appends to `out` the distinct shingle hashes of a canonical paragraph, sorted ascending.
///
/// A shingle is n consecutive tokens (for_each_token). Each token is hashed with XXH3-64;
/// a window's hash is the polynomial sum(t[k] * B^(n-1-k)) mod 2^64, updated in O(1) as the
/// window rolls, then avalanched (detail::mix64) so that the bits are uniform. A paragraph
/// with fewer than n (but at least one) tokens gives one shingle of all its tokens; one with
/// no token gives none. Requires: n >= 1. Cost: O(tokens log tokens) for the final sort.
inline void shingle_hashes(std::string_view canonical, int n, std::vector<std::uint64_t>& out) {
  constexpr std::uint64_t base = 0x9E3779B185EBCA87ULL;  // odd: multiplication is invertible
  std::uint64_t top = 1;                                  // base^(n-1)
  for (int k = 1; k < n; ++k) top *= base;
  // Ring buffer of the last n token hashes; n is at most 32 (options validation).
  std::uint64_t ring[32];
  const auto width = static_cast<std::size_t>(n);
  std::size_t count = 0;
  std::uint64_t h = 0;
  const std::size_t first = out.size();
  for_each_token(canonical, [&](std::string_view token) {
    const std::uint64_t t = detail::hash64(token);
    if (count >= width) h -= ring[count % width] * top;
    h = h * base + t;
    ring[count % width] = t;
    ++count;
    if (count >= width) out.push_back(detail::mix64(h));
  });
  if (count > 0 && count < width) out.push_back(detail::mix64(h));
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

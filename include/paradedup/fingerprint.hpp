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
#include "paradedup/verify.hpp"

namespace paradedup {

/// 128-bit fingerprint of a canonical paragraph. With 128 bits, a collision among 10^12
/// paragraphs has probability about 10^-15: equal fingerprints mean equal canonical text.
struct fingerprint {
  std::uint64_t high = 0;  ///< Upper 64 bits of XXH3-128.
  std::uint64_t low = 0;   ///< Lower 64 bits of XXH3-128; also the 64-bit form.

  /// Equal 128 bits: equal canonical text.
  friend bool operator==(const fingerprint& a, const fingerprint& b) noexcept {
    return a.high == b.high && a.low == b.low;
  }
  /// Not equal.
  friend bool operator!=(const fingerprint& a, const fingerprint& b) noexcept {
    return !(a == b);
  }
  /// By high, then low: a total order, for sorted tables.
  friend bool operator<(const fingerprint& a, const fingerprint& b) noexcept {
    return a.high != b.high ? a.high < b.high : a.low < b.low;
  }
};

/// Hash functor for fingerprint keys in std::unordered_map (the bits are already uniform).
struct fingerprint_hash {
  /// The low 64 bits.
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

// Appends values to a vector through a buffer on the stack: push() is a store and a compare
// that the compiler inlines (a vector's push_back in a loop this size is called out of line),
// and the vector grows by whole batches. The caller calls flush() at the end (not a
// destructor: growing the vector may throw std::bad_alloc, which must reach the caller).
template <typename T, std::size_t N = 256>
class batch_appender {
 public:
  explicit batch_appender(std::vector<T>& out) noexcept : out_(out) {}
  batch_appender(const batch_appender&) = delete;
  batch_appender& operator=(const batch_appender&) = delete;
  void push(T v) {
    buf_[k_++] = v;
    if (k_ == N) flush();
  }
  void flush() {
    out_.insert(out_.end(), buf_, buf_ + k_);
    k_ = 0;
  }

 private:
  std::vector<T>& out_;
  std::size_t k_ = 0;
  T buf_[N];
};

// shingle_hashes() without the final sort and deduplication: the hashes in text order,
// repeats included (see shingle_hashes() below for what a shingle is). The document pipeline
// sorts all its paragraphs' shingles at once (index_shingles() in detect.hpp), which is
// cheaper than one sort per paragraph.
// With `content`, also fills *content (replacing it) with what verify() reads: every token's
// hash in text order, its guards, and tag_tokens: the first `tag_tokens` tokens (a leading
// source tag, detail::leading_tag_bytes()) are left out of the shingles when tokens follow
// them (else they are shingled as any others, and content->tag_tokens is 0).
inline void append_shingles(std::string_view canonical, int n, std::vector<std::uint64_t>& out,
                            paragraph_content* content = nullptr,
                            std::uint32_t tag_tokens = 0) {
  assert(n >= 1 && n <= 32);
  constexpr std::uint64_t base = 0x9E3779B185EBCA87ULL;  // odd: multiplication is invertible
  constexpr std::uint64_t edge = 0x243F6A8885A308D3ULL;  // the boundary token's hash
  std::uint64_t top = 1;                                  // base^(n-1)
  for (int k = 1; k < n; ++k) top *= base;
  std::uint64_t ring[32];  // the last n token hashes
  const auto width = static_cast<std::size_t>(n);
  std::size_t count = 0;  // tokens pushed, boundary tokens included
  std::uint64_t h = 0;
  batch_appender<std::uint64_t> shingles(out);
  auto push = [&](std::uint64_t t) {
    if (count >= width) h -= ring[count % width] * top;
    h = h * base + t;
    ring[count % width] = t;
    ++count;
    if (count >= width) shingles.push(mix64(h));
  };
  if (tag_tokens > 0) {  // rare: only paragraphs that start with a tag count their tokens
    std::uint32_t total = 0;
    for_each_token(canonical, [&](std::string_view) { ++total; });
    if (total <= tag_tokens) tag_tokens = 0;
  }
  for (std::size_t k = 1; k < width; ++k) push(edge);
  std::uint32_t position = 0;
  detail::guard_scanner guards;
  if (content != nullptr) {
    content->tokens.clear();
    content->guards.clear();
    content->tag_tokens = tag_tokens;
  }
  {
    std::vector<std::uint64_t> unused;  // stays empty: tokens are kept only with content
    batch_appender<std::uint64_t> tokens(content != nullptr ? content->tokens : unused);
    for_each_token(canonical, [&](std::string_view token) {
      const std::uint64_t t = hash64(token);
      if (position >= tag_tokens) push(t);
      if (content != nullptr) {
        tokens.push(t);
        guards.feed(token, t, position, content->guards);
      }
      ++position;
    });
    tokens.flush();
  }
  if (count > width - 1) {  // else no token at all, and no shingle
    for (std::size_t k = 1; k < width; ++k) push(edge);
  }
  shingles.flush();
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

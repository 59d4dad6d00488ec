#ifndef PARADEDUP_DETAIL_HASH_HPP
#define PARADEDUP_DETAIL_HASH_HPP

// The only file that includes xxHash. XXH_INLINE_ALL makes every XXH function static inline,
// so there is no link dependency on libxxhash and no symbol clash with a caller's own copy.
// Swapping the hash function is an edit to this file alone.
#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

#include <cstdint>
#include <string_view>

namespace paradedup {
namespace detail {

/// Seed of every fingerprint. Fixed forever for a given index format: changing it changes
/// every stored hash. Work split by hash (shards) must use a different seed (shard_seed).
inline constexpr std::uint64_t fingerprint_seed = 0x70617261646564ULL;  // "paraded"
/// Seed for partitioning work by hash, distinct from fingerprint_seed so that a partition's
/// contents do not bias the hash tables inside it.
inline constexpr std::uint64_t shard_seed = 0x7368617264ULL;  // "shard"

/// XXH3 64-bit hash of bytes with the fingerprint seed. Same value on every machine.
[[nodiscard]] inline std::uint64_t hash64(std::string_view bytes) noexcept {
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), fingerprint_seed);
}

/// XXH3 128-bit hash of bytes with the fingerprint seed.
[[nodiscard]] inline XXH128_hash_t hash128(std::string_view bytes) noexcept {
  return XXH3_128bits_withSeed(bytes.data(), bytes.size(), fingerprint_seed);
}

/// XXH3 64-bit hash with seed 0: the checksum of index files.
[[nodiscard]] inline std::uint64_t hash64_seed0(std::string_view bytes) noexcept {
  return XXH3_64bits(bytes.data(), bytes.size());
}

/// Finalizer that spreads the bits of a 64-bit value (the XXH3 avalanche step).
[[nodiscard]] inline std::uint64_t mix64(std::uint64_t h) noexcept {
  h ^= h >> 37;
  h *= 0x165667919E3779F9ULL;
  h ^= h >> 32;
  return h;
}

}  // namespace detail
}  // namespace paradedup

#endif  // PARADEDUP_DETAIL_HASH_HPP

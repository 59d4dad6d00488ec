#ifndef PARADEDUP_DETAIL_HASH_SET_HPP
#define PARADEDUP_DETAIL_HASH_SET_HPP

// The storage behind corpus indexes (corpus_index.hpp): a compact exact set of 64-bit hashes,
// a Bloom filter, and a map from paragraph fingerprints to where they were first seen.
//
// Written here rather than taken from a library: std::unordered_set spends about 40 bytes
// per 64-bit element, and no Debian-packaged set stores uniformly random 64-bit keys in
// under 8 bytes each with a canonical (sorted) dump for byte-identical index files.

#include <algorithm>  // std::sort, std::max
#include <cmath>      // std::log, std::ceil, std::lround, std::sqrt
#include <cstddef>    // std::size_t
#include <cstdint>
#include <cstring>  // std::memset
#include <memory>   // std::unique_ptr
#include <utility>  // std::swap
#include <vector>

#include "paradedup/detail/hash.hpp"
#include "paradedup/fingerprint.hpp"

namespace paradedup {
namespace detail {

/// Asks the processor to start loading the cache line at p (any address: a prefetch never
/// faults). An asm statement on x86 because GCC 12 deleted __builtin_prefetch as dead code in
/// hash_set64::prefetch() (at -O2 and -O3, whatever the form of the address computation
/// tried), and random lookups at 1.2 million hashes are 2x slower without the prefetches.
/// Elsewhere the builtin.
inline void prefetch_line(const void* p) noexcept {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm volatile("prefetcht0 (%0)" : : "r"(p));
#else
  __builtin_prefetch(p);
#endif
}

// x * n / 2^64, the multiply-shift range reduction ("fastrange"): maps a uniform 64-bit
// value onto [0, n) without a division and without needing n to be a power of two.
__extension__ typedef unsigned __int128 uint128_t;  // GCC and Clang; __extension__: -Wpedantic
inline std::uint64_t fastrange64(std::uint64_t x, std::uint64_t n) noexcept {
  return static_cast<std::uint64_t>((static_cast<uint128_t>(x) * n) >> 64);
}

/// An exact set of 64-bit hashes at 6.0-6.8 bytes per hash up to 16.7 million hashes and
/// 7.1-7.9 beyond, plus a fixed 1 MiB shard directory. The top 16 bits of a hash choose one
/// of 65,536 shards and are not stored; a shard holds the other 48 bits in 6-byte slots:
///   - up to sorted_limit (256) hashes, as a sorted array without gaps. A lookup starts where
///     a uniform hash should be (its value times the count) and steps a few slots from
///     there; an insert moves the slots above it up by one (256 x 6 bytes at most). It grows
///     by an eighth, at least 4 slots, with one copy.
///   - past that, a linear-probing table at load 0.75-0.85 (0 marks an empty slot), grown by
///     1.125x with a rehash.
/// Hashes whose 48 bits are 0 are flagged per shard. A table kept small by growing one slot
/// at a time had to rehash a shard every insert or two below a few dozen hashes per shard:
/// that rehashing was a quarter of corpus mode's time on man pages (1 million shingles).
/// Requires uniformly distributed hashes (XXH3 output). Not thread-safe for writes.
class hash_set64 {
 public:
  static constexpr unsigned shard_bits = 16;
  static constexpr std::size_t shard_count = std::size_t{1} << shard_bits;
  static constexpr double max_load = 0.85;  // of the table layout
  static constexpr std::uint32_t default_sorted_limit = 256;

  hash_set64() : hash_set64(default_sorted_limit) {}
  /// `sorted_limit`: the most hashes a shard keeps as a sorted array (1..65535); tests use
  /// small values to reach the table layout with few hashes.
  explicit hash_set64(std::uint32_t sorted_limit)
      : shards_(shard_count),
        sorted_limit_(std::clamp<std::uint32_t>(sorted_limit, 1, 65535)) {}

  /// Adds h; returns true when it was not there yet.
  bool insert(std::uint64_t h) {
    shard& s = shards_[h >> (64 - shard_bits)];
    const std::uint64_t rem = h & rem_mask;
    if (rem == 0) {
      if (s.has_zero) return false;
      s.has_zero = 1;
      ++size_;
      return true;
    }
    if (s.table) {
      if (static_cast<double>(s.count + 1) > max_load * s.capacity) grow_table(s, s.count + 1);
      if (!place(s, rem)) return false;
    } else {
      const std::uint32_t i = lower(s, rem);
      if (i < s.count && load(at(s, i)) == rem) return false;
      if (s.count == s.capacity) {
        if (s.count >= sorted_limit_) {
          grow_table(s, std::size_t{s.count} + 1);  // becomes a table
          place(s, rem);
          ++s.count;
          ++size_;
          return true;
        }
        // Never past the limit: guess() needs count < 2^16, and the doc promises the limit.
        grow_sorted(s, std::min(sorted_limit_, s.count + std::max<std::uint32_t>(4, s.count / 8)));
      }
      unsigned char* p = at(s, i);
      std::memmove(p + slot_bytes, p, std::size_t{s.count - i} * slot_bytes);
      store(p, rem);
    }
    ++s.count;
    ++size_;
    return true;
  }

  /// Hints the processor to load the slot where h would be: call it a few hashes ahead of
  /// insert() or contains() when walking many (the set is far larger than the caches).
  /// It reads h's shard record: prefetch_shard() it some hashes earlier still.
  void prefetch(std::uint64_t h) const noexcept {
    const shard& s = shards_[h >> (64 - shard_bits)];
    if (s.capacity == 0) return;
    const std::uint64_t rem = h & rem_mask;
    prefetch_line(at(s, s.table ? home(rem, s.capacity) : guess(rem, s.count)));
  }
  /// Hints the processor to load h's shard record (the directory is 1 MiB, so it misses the
  /// caches too).
  void prefetch_shard(std::uint64_t h) const noexcept {
    prefetch_line(&shards_[h >> (64 - shard_bits)]);
  }

  /// True when h was inserted.
  [[nodiscard]] bool contains(std::uint64_t h) const noexcept {
    const shard& s = shards_[h >> (64 - shard_bits)];
    const std::uint64_t rem = h & rem_mask;
    if (rem == 0) return s.has_zero;
    if (!s.table) {
      const std::uint32_t i = lower(s, rem);
      return i < s.count && load(at(s, i)) == rem;
    }
    std::uint32_t i = home(rem, s.capacity);
    for (;;) {
      const std::uint64_t v = load(at(s, i));
      if (v == rem) return true;
      if (v == 0) return false;
      if (++i == s.capacity) i = 0;
    }
  }

  /// Makes room for n hashes in all, so that inserting them never grows a shard (barring a
  /// shard far above its expected share). Past sorted_limit per shard, tables at the maximum
  /// load (7.1 bytes per hash).
  void reserve(std::size_t n) {
    if (n < 4 * shard_count) return;  // small: shards grow one by one, as needed
    const double per_shard = static_cast<double>(n) / shard_count;
    // Each shard's count is binomial around the mean: leave 4 standard deviations.
    const auto want = static_cast<std::size_t>(per_shard + 4 * std::sqrt(per_shard) + 1);
    for (shard& s : shards_) {
      if (want > sorted_limit_ || s.table) {
        if (!s.table || static_cast<double>(want) > max_load * s.capacity) grow_table(s, want);
      } else if (want > s.capacity) {
        grow_sorted(s, static_cast<std::uint32_t>(want));
      }
    }
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Bytes of the fixed shard directory (1 MiB), whatever the number of hashes.
  [[nodiscard]] std::size_t directory_bytes() const noexcept {
    return shards_.size() * sizeof(shard);
  }
  /// Bytes held: the slots plus the fixed shard directory (1 MiB). Constant time (a running
  /// total), so that a corpus run can report it after every document.
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    return shards_.size() * sizeof(shard) + slot_bytes_held_;
  }

  /// Calls f(h) for every hash, in ascending order (the canonical order of index files).
  template <typename F>
  void for_each_sorted(F&& f) const {
    std::vector<std::uint64_t> buf;
    for (std::size_t k = 0; k < shards_.size(); ++k) {
      const shard& s = shards_[k];
      const std::uint64_t top = static_cast<std::uint64_t>(k) << (64 - shard_bits);
      if (!s.table) {  // already in order
        if (s.has_zero) f(top);
        for (std::uint32_t i = 0; i < s.count; ++i) f(top | load(at(s, i)));
        continue;
      }
      buf.clear();
      if (s.has_zero) buf.push_back(0);
      for (std::uint32_t i = 0; i < s.capacity; ++i) {
        const std::uint64_t v = load(at(s, i));
        if (v != 0) buf.push_back(v);
      }
      std::sort(buf.begin(), buf.end());
      for (std::uint64_t v : buf) f(top | v);
    }
  }

 private:
  static constexpr std::size_t slot_bytes = 6;
  static constexpr std::uint64_t rem_mask = (std::uint64_t{1} << 48) - 1;

  struct shard {  // 16 bytes: the directory of 65,536 shards takes 1 MiB
    std::unique_ptr<unsigned char[]> slots;
    std::uint32_t capacity : 31;
    std::uint32_t table : 1;  // 0: sorted array of `count` slots; 1: linear-probing table
    std::uint32_t count : 31;
    std::uint32_t has_zero : 1;
    shard() : capacity(0), table(0), count(0), has_zero(0) {}
  };

  static unsigned char* at(const shard& s, std::size_t i) noexcept {
    return s.slots.get() + i * slot_bytes;
  }
  // Table layout: the home slot of a 48-bit remainder, its top 32 bits scaled onto
  // [0, capacity).
  static std::uint32_t home(std::uint64_t rem, std::uint32_t capacity) noexcept {
    return static_cast<std::uint32_t>(((rem >> 16) * capacity) >> 32);
  }
  // Sorted layout: where a uniform remainder should be among `count`, in [0, count).
  static std::uint32_t guess(std::uint64_t rem, std::uint32_t count) noexcept {
    const auto g = static_cast<std::uint32_t>((rem * count) >> 48);  // count < 2^16
    return g < count ? g : (count > 0 ? count - 1 : 0);
  }
  // Sorted layout: the index of the first slot >= rem (count when none), stepping from the
  // guess (the expected distance is about the square root of the count over 2).
  static std::uint32_t lower(const shard& s, std::uint64_t rem) noexcept {
    std::uint32_t i = guess(rem, s.count);
    while (i > 0 && load(at(s, i - 1)) >= rem) --i;
    while (i < s.count && load(at(s, i)) < rem) ++i;
    return i;
  }
  // 6-byte slots as a 4-byte and a 2-byte word in the machine's order (slots never reach
  // files: for_each_sorted() gives whole hashes). Two loads instead of a loop of six byte
  // loads and shifts, which made every lookup 1.5-2x slower (the step loops of lower() wait
  // on each load).
  static std::uint64_t load(const unsigned char* p) noexcept {
    std::uint32_t lo;
    std::uint16_t hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + 4, 2);
    return std::uint64_t{lo} | (std::uint64_t{hi} << 32);
  }
  static void store(unsigned char* p, std::uint64_t v) noexcept {
    const auto lo = static_cast<std::uint32_t>(v);
    const auto hi = static_cast<std::uint16_t>(v >> 32);
    std::memcpy(p, &lo, 4);
    std::memcpy(p + 4, &hi, 2);
  }
  // Table layout: puts rem in its probe sequence; false when it is already there.
  static bool place(shard& s, std::uint64_t rem) noexcept {
    std::uint32_t i = home(rem, s.capacity);
    for (;;) {
      unsigned char* p = at(s, i);
      const std::uint64_t v = load(p);
      if (v == rem) return false;
      if (v == 0) {
        store(p, rem);
        return true;
      }
      if (++i == s.capacity) i = 0;
    }
  }
  // Sorted layout: room for `capacity` slots, with one copy.
  void grow_sorted(shard& s, std::uint32_t capacity) {
    slot_bytes_held_ += (std::size_t{capacity} - s.capacity) * slot_bytes;
    std::unique_ptr<unsigned char[]> bigger(new unsigned char[std::size_t{capacity} * slot_bytes]);
    if (s.count > 0) std::memcpy(bigger.get(), s.slots.get(), std::size_t{s.count} * slot_bytes);
    s.slots = std::move(bigger);
    s.capacity = capacity & 0x7FFFFFFFu;
  }
  // Table layout (a sorted shard becomes a table here): room for `need` at the maximum load.
  void grow_table(shard& s, std::size_t need) {
    // Growing by 1/8 keeps the load between 0.75 and 0.85 (7.1-7.9 bytes per hash); the
    // rehash is of one shard, so the cost is about 8 moves per hash.
    std::size_t cap = s.table ? s.capacity + s.capacity / 8 : 8;
    while (static_cast<double>(need) > max_load * static_cast<double>(cap)) cap += cap / 8 + 1;
    if (cap > 0x7FFFFFFF) cap = 0x7FFFFFFF;  // 2^47 hashes in all: far beyond any machine
    shard bigger;
    bigger.capacity = static_cast<std::uint32_t>(cap) & 0x7FFFFFFFu;
    bigger.table = 1;
    bigger.slots.reset(new unsigned char[cap * slot_bytes]);
    std::memset(bigger.slots.get(), 0, cap * slot_bytes);
    const std::uint32_t n = s.table ? s.capacity : s.count;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint64_t v = load(at(s, i));
      if (v != 0) place(bigger, v);
    }
    bigger.count = s.count;
    bigger.has_zero = s.has_zero;
    slot_bytes_held_ += (std::size_t{bigger.capacity} - s.capacity) * slot_bytes;
    std::swap(s, bigger);
  }

  std::vector<shard> shards_;
  std::size_t size_ = 0;
  std::size_t slot_bytes_held_ = 0;  // the capacities of all shards, in bytes
  std::uint32_t sorted_limit_;
};

/// The textbook size of a Bloom filter for n items at false-positive rate p, in bits:
/// -n ln p / (ln 2)^2 (n counted as at least 1).
inline double textbook_bloom_bits(std::uint64_t items, double fp_rate) {
  const double n = static_cast<double>(std::max<std::uint64_t>(items, 1));
  const double ln2 = std::log(2.0);
  return std::ceil(-n * std::log(fp_rate) / (ln2 * ln2));
}

/// A Bloom filter over 64-bit hashes: m bits and k probes chosen from the expected item
/// count n and the false-positive rate p by the textbook formulas m = -n ln p / (ln 2)^2 and
/// k = (m / n) ln 2, so its memory is the textbook memory for that rate (rounded up to a
/// 64-bit word). Probes are h1 + i*h2 (Kirsch-Mitzenmacher double hashing), h2 derived from
/// h by a remix. Past n items the false-positive rate rises above p.
class bloom_filter {
 public:
  bloom_filter() = default;
  bloom_filter(std::uint64_t expected_items, double fp_rate) {
    const double n = static_cast<double>(std::max<std::uint64_t>(expected_items, 1));
    const double ln2 = std::log(2.0);
    const double m = textbook_bloom_bits(expected_items, fp_rate);
    bits_ = (static_cast<std::uint64_t>(m) + 63) / 64 * 64;
    k_ = static_cast<unsigned>(std::max(1L, std::lround(static_cast<double>(bits_) / n * ln2)));
    words_.assign(bits_ / 64, 0);
  }
  /// Rebuilds a filter from its parts (index loading).
  bloom_filter(std::uint64_t bits, unsigned k, std::vector<std::uint64_t> words)
      : bits_(bits), k_(k), words_(std::move(words)) {}

  /// Sets h's bits; returns true when at least one was not set (h was surely new).
  bool insert(std::uint64_t h) noexcept {
    const std::uint64_t h2 = mix64(h ^ 0x9E3779B97F4A7C15ULL) | 1;
    bool fresh = false;
    for (unsigned i = 0; i < k_; ++i) {
      const std::uint64_t bit = fastrange64(h + i * h2, bits_);
      std::uint64_t& w = words_[bit >> 6];
      const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
      fresh |= (w & mask) == 0;
      w |= mask;
    }
    return fresh;
  }
  /// True when h may have been inserted (false positives at about the chosen rate).
  [[nodiscard]] bool contains(std::uint64_t h) const noexcept {
    const std::uint64_t h2 = mix64(h ^ 0x9E3779B97F4A7C15ULL) | 1;
    for (unsigned i = 0; i < k_; ++i) {
      const std::uint64_t bit = fastrange64(h + i * h2, bits_);
      if ((words_[bit >> 6] & (std::uint64_t{1} << (bit & 63))) == 0) return false;
    }
    return true;
  }
  /// Adds every item of another filter of the same shape (bitwise OR): the result is the
  /// filter of both item sets, bit for bit.
  void merge(const bloom_filter& other) noexcept {
    for (std::size_t i = 0; i < words_.size(); ++i) words_[i] |= other.words_[i];
  }
  /// Estimated distinct items from the share of set bits (Swamidass and Baldi 2007).
  [[nodiscard]] std::uint64_t estimated_items() const noexcept {
    const std::uint64_t set = set_bits();
    if (set >= bits_) return UINT64_MAX;
    const double m = static_cast<double>(bits_);
    return static_cast<std::uint64_t>(
        std::llround(-m / k_ * std::log(1.0 - static_cast<double>(set) / m)));
  }
  /// The false-positive rate now: the chance that k probes of an item never inserted all
  /// find set bits, (set bits / bits)^k. It reaches the rate the filter was made for at the
  /// expected item count, and goes past it when more items were inserted.
  [[nodiscard]] double false_positive_rate() const noexcept {
    return std::pow(static_cast<double>(set_bits()) / static_cast<double>(bits_),
                    static_cast<double>(k_));
  }
  [[nodiscard]] std::uint64_t bits() const noexcept { return bits_; }
  [[nodiscard]] unsigned probes() const noexcept { return k_; }
  [[nodiscard]] const std::vector<std::uint64_t>& words() const noexcept { return words_; }
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return words_.size() * 8; }

 private:
  [[nodiscard]] std::uint64_t set_bits() const noexcept {
    std::uint64_t set = 0;
    for (std::uint64_t w : words_) set += static_cast<std::uint64_t>(__builtin_popcountll(w));
    return set;
  }

  std::uint64_t bits_ = 64;
  unsigned k_ = 1;
  std::vector<std::uint64_t> words_ = std::vector<std::uint64_t>(1, 0);
};

/// Where a paragraph was seen: document ordinal and paragraph index within it.
struct seen_at {
  std::uint32_t document = UINT32_MAX;  ///< UINT32_MAX: nowhere (an empty slot).
  std::uint32_t paragraph = 0;
};

/// A Bloom filter whose k bits for an item all lie in one 512-bit block, one cache line
/// (Putze, Sanders and Singler, "Cache-, Hash- and Space-Efficient Bloom Filters", 2007): an
/// insert or a test costs one cache miss instead of k. Blocks fill unevenly, so for the same
/// rate it needs more bits than bloom_filter: 1.35x the textbook bits down to 2.5e-4, more
/// below (1.79x at 2e-5), with k = 0.8 log2(1/p). That measures at 0.4-0.7x the rate asked
/// from 1e-2 to 2e-5 (tests/test_corpus.cpp); with 1.25x throughout it was 1.2x the rate at
/// 2.5e-4 and 2.5x at 2e-5. Never written to a file: for first passes, where speed matters
/// more than a canonical shape.
class blocked_bloom {
 public:
  blocked_bloom() = default;
  blocked_bloom(std::uint64_t expected_items, double fp_rate) {
    // More bits than the textbook, the more the lower the rate (blocks that got more than
    // their share of items dominate the rate): measured, see the class comment.
    const double extra = 1.35 + 0.12 * std::max(0.0, std::log2(2.5e-4 / fp_rate));
    const double m = extra * textbook_bloom_bits(expected_items, fp_rate);
    blocks_ = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(m / 512.0) + 1);
    k_ = static_cast<unsigned>(std::clamp(std::lround(0.8 * -std::log2(fp_rate)), 1L, 24L));
    words_.assign(blocks_ * 8, 0);
  }
  /// Sets h's bits; returns true when at least one was not set (h was surely new).
  bool insert(std::uint64_t h) noexcept {
    std::uint64_t* block = words_.data() + fastrange64(h, blocks_) * 8;
    bool fresh = false;
    for_each_bit(h, [&](unsigned bit) {
      const std::uint64_t mask = std::uint64_t{1} << (bit & 63);
      fresh |= (block[bit >> 6] & mask) == 0;
      block[bit >> 6] |= mask;
      return true;
    });
    return fresh;
  }
  /// True when h may have been inserted.
  [[nodiscard]] bool contains(std::uint64_t h) const noexcept {
    const std::uint64_t* block = words_.data() + fastrange64(h, blocks_) * 8;
    return for_each_bit(h, [&](unsigned bit) {
      return (block[bit >> 6] & (std::uint64_t{1} << (bit & 63))) != 0;
    });
  }
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return words_.size() * 8; }

 private:
  // Calls f(bit) for h's k positions in its block, 9 independent bits each from a stream of
  // remixed words, until f returns false; returns whether it never did. (Double hashing,
  // a + i*b mod 512, made the positions of two items overlap in k-1 places whenever one's a
  // was the other's shifted by b: measured 4x the rate asked at 2.5e-4.)
  template <typename F>
  bool for_each_bit(std::uint64_t h, F&& f) const {
    std::uint64_t word = remix(h);
    unsigned left = 7;  // 9-bit positions left in word
    for (unsigned i = 0; i < k_; ++i) {
      if (left == 0) {
        word = remix(word + 0x9E3779B97F4A7C15ULL);
        left = 7;
      }
      if (!f(static_cast<unsigned>(word & 511u))) return false;
      word >>= 9;
      --left;
    }
    return true;
  }
  // Bits for the positions inside the block, independent of the high bits that chose it
  // (the murmur3 finalizer: every output bit depends on every input bit).
  static std::uint64_t remix(std::uint64_t h) noexcept {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
  }
  std::uint64_t blocks_ = 1;
  unsigned k_ = 1;
  std::vector<std::uint64_t> words_ = std::vector<std::uint64_t>(8, 0);
};

/// A Bloom filter that grows with its items (Almeida et al., "Scalable Bloom Filters", 2007):
/// a series of blocked_bloom stages, the first for `first_items` items at rate 0.3p, each
/// next one for twice the items of the last at 0.7 times its rate, so that memory follows the
/// items actually inserted and the false-positive rate stays below p (0.3p / (1 - 0.7))
/// however many come. A ratio of 0.5 drove later stages to rates where blocked filters need
/// far more bits (2e-6 after 8 stages). At p = 1e-3 a stage takes 23-29 bits per item over
/// its first four stages, and the last one may be nearly empty: 2-4x the memory of one
/// textbook filter sized for exactly those items. An insert costs one cache miss per stage.
/// Used where the count is only known as an upper bound (the first pass of two-pass runs,
/// sized from input bytes, held 100x the items it saw). Insert and test only: the stages
/// depend on insertion order, so two of them do not merge.
class scalable_bloom {
 public:
  scalable_bloom() = default;
  scalable_bloom(std::uint64_t first_items, double fp_rate)
      : next_items_(std::max<std::uint64_t>(first_items, 1024)), next_rate_(fp_rate * 0.3) {}

  /// Adds h; returns true when it was surely new (no stage may hold it).
  bool insert(std::uint64_t h) {
    for (const auto& st : stages_) {
      if (st.filter.contains(h)) return false;
    }
    if (stages_.empty() || stages_.back().items == stages_.back().capacity) {
      stages_.push_back({blocked_bloom(next_items_, next_rate_), next_items_, 0});
      next_items_ *= 2;
      next_rate_ *= 0.7;
    }
    stages_.back().filter.insert(h);
    ++stages_.back().items;
    return true;
  }
  [[nodiscard]] bool contains(std::uint64_t h) const noexcept {
    for (const auto& st : stages_) {
      if (st.filter.contains(h)) return true;
    }
    return false;
  }
  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t b = 0;
    for (const auto& st : stages_) b += st.filter.memory_bytes();
    return b;
  }
  [[nodiscard]] std::size_t stages() const noexcept { return stages_.size(); }

 private:
  struct stage {
    blocked_bloom filter;
    std::uint64_t capacity, items;
  };
  std::vector<stage> stages_;
  std::uint64_t next_items_ = 1024;
  double next_rate_ = 3e-4;
};

/// Map from 128-bit fingerprints to where each was first seen: open addressing, linear
/// probing, 32-byte slots, load at most 0.75. Not thread-safe for writes.
class fingerprint_map {
 public:
  /// Records where fp was seen unless it already is; returns true when it was new.
  bool insert(const fingerprint& fp, seen_at at) {
    if (static_cast<double>(size_ + 1) > 0.75 * static_cast<double>(slots_.size())) {
      rehash(std::max<std::size_t>(64, slots_.size() * 2));
    }
    slot& s = find_slot(fp);
    if (s.at.document != UINT32_MAX) return false;
    s = {fp, at};
    ++size_;
    return true;
  }
  /// Where fp was first seen, recording `at` when it was never seen (then the result has
  /// document == UINT32_MAX): one probe for both.
  seen_at find_or_insert(const fingerprint& fp, seen_at at) {
    if (static_cast<double>(size_ + 1) > 0.75 * static_cast<double>(slots_.size())) {
      rehash(std::max<std::size_t>(64, slots_.size() * 2));
    }
    slot& s = find_slot(fp);
    if (s.at.document != UINT32_MAX) return s.at;
    s = {fp, at};
    ++size_;
    return {};
  }
  /// Hints the processor to load fp's home slot (call it a few keys ahead).
  void prefetch(const fingerprint& fp) const noexcept {
    if (!slots_.empty()) prefetch_line(&slots_[home(fp)]);
  }
  /// Where fp was first seen; document == UINT32_MAX when never.
  [[nodiscard]] seen_at find(const fingerprint& fp) const noexcept {
    if (slots_.empty()) return {};
    return const_cast<fingerprint_map*>(this)->find_slot(fp).at;
  }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t memory_bytes() const noexcept { return slots_.size() * sizeof(slot); }
  /// Calls f(fp, at) for every entry, ordered by fingerprint (high, then low).
  template <typename F>
  void for_each_sorted(F&& f) const {
    std::vector<const slot*> order;
    order.reserve(size_);
    for (const slot& s : slots_) {
      if (s.at.document != UINT32_MAX) order.push_back(&s);
    }
    std::sort(order.begin(), order.end(), [](const slot* a, const slot* b) {
      return a->fp.high != b->fp.high ? a->fp.high < b->fp.high : a->fp.low < b->fp.low;
    });
    for (const slot* s : order) f(s->fp, s->at);
  }
  void reserve(std::size_t n) {
    std::size_t cap = 64;
    while (static_cast<double>(n) > 0.75 * static_cast<double>(cap)) cap *= 2;
    if (cap > slots_.size()) rehash(cap);
  }

 private:
  struct slot {
    fingerprint fp;
    seen_at at;
  };
  std::size_t home(const fingerprint& fp) const noexcept {
    return static_cast<std::size_t>(fastrange64(mix64(fp.low ^ fp.high), slots_.size()));
  }
  slot& find_slot(const fingerprint& fp) noexcept {
    // Remixed: keys are not always uniform (corpus_index's samples are the smallest shingles
    // of each paragraph, so their values are small; unmixed they crowd into the first slots).
    std::size_t i = home(fp);
    for (;;) {
      slot& s = slots_[i];
      if (s.at.document == UINT32_MAX || s.fp == fp) return s;
      if (++i == slots_.size()) i = 0;
    }
  }
  void rehash(std::size_t cap) {
    std::vector<slot> old(cap);
    old.swap(slots_);
    for (const slot& s : old) {
      if (s.at.document != UINT32_MAX) find_slot(s.fp) = s;
    }
  }
  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

}  // namespace detail
}  // namespace paradedup

#endif  // PARADEDUP_DETAIL_HASH_SET_HPP

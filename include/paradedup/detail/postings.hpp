#ifndef PARADEDUP_DETAIL_POSTINGS_HPP
#define PARADEDUP_DETAIL_POSTINGS_HPP

// Posting lists: for each 64-bit hash, the paragraphs that contain it, in insertion order.
// Written here rather than as std::unordered_map<uint64_t, std::vector<uint32_t>> because
// that costs one heap allocation per distinct shingle, about 40% of the document pipeline's
// time under callgrind; this is one open-addressing table plus one arena, no per-key
// allocation. Keys are hashes already (uniform bits), so the slot is the key's low bits.

#include <cstddef>  // std::size_t
#include <cstdint>
#include <vector>

namespace paradedup {
namespace detail {

class postings {
 public:
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;

  /// Requires: expected >= 0. Sized for `expected` keys at load <= 1/2; grows as needed.
  explicit postings(std::size_t expected = 0) { rehash(capacity_for(expected)); }

  /// Index of the first posting of key, or npos. Walk with next().
  [[nodiscard]] std::uint32_t first(std::uint64_t key) const noexcept {
    std::uint32_t count;
    return first(key, count);
  }
  /// Same, and sets count to the length of key's list (0 when absent).
  [[nodiscard]] std::uint32_t first(std::uint64_t key, std::uint32_t& count) const noexcept {
    key = fix(key);
    for (std::size_t s = key & mask_;; s = (s + 1) & mask_) {
      if (slots_[s].key == key) {
        count = slots_[s].count;
        return slots_[s].head;
      }
      if (slots_[s].key == 0) {
        count = 0;
        return npos;
      }
    }
  }
  /// The paragraph of posting p.
  [[nodiscard]] std::uint32_t value(std::uint32_t p) const noexcept { return arena_[p].value; }
  /// The posting after p, or npos.
  [[nodiscard]] std::uint32_t next(std::uint32_t p) const noexcept { return arena_[p].next; }

  /// Appends value to key's list unless the list already has `cap` entries or ends with
  /// value.
  void add(std::uint64_t key, std::uint32_t value, std::size_t cap) {
    if ((count_ + 1) * 2 > slots_.size()) rehash(slots_.size() * 2);
    key = fix(key);
    std::size_t s = key & mask_;
    while (slots_[s].key != 0 && slots_[s].key != key) s = (s + 1) & mask_;
    slot& sl = slots_[s];
    if (sl.key == 0) {
      sl.key = key;
      sl.head = sl.tail = static_cast<std::uint32_t>(arena_.size());
      sl.count = 1;
      ++count_;
      arena_.push_back({value, npos});
      return;
    }
    if (sl.count >= cap || arena_[sl.tail].value == value) return;
    arena_[sl.tail].next = static_cast<std::uint32_t>(arena_.size());
    sl.tail = static_cast<std::uint32_t>(arena_.size());
    ++sl.count;
    arena_.push_back({value, npos});
  }

 private:
  struct slot {
    std::uint64_t key = 0;  // 0: empty (a real key 0 is stored as 1, see fix)
    std::uint32_t head = 0, tail = 0, count = 0;
  };
  struct posting {
    std::uint32_t value, next;
  };

  // Key 0 marks an empty slot; a hash equal to 0 (probability 2^-64) shares key 1's list,
  // which can only add a candidate that the exact checks downstream then measure.
  static std::uint64_t fix(std::uint64_t k) noexcept { return k ? k : 1; }

  static std::size_t capacity_for(std::size_t n) {
    std::size_t c = 16;
    while (c < n * 2) c *= 2;
    return c;
  }

  void rehash(std::size_t capacity) {
    std::vector<slot> old;
    old.swap(slots_);
    slots_.assign(capacity, slot{});
    mask_ = capacity - 1;
    for (const slot& o : old) {
      if (o.key == 0) continue;
      std::size_t s = o.key & mask_;
      while (slots_[s].key != 0) s = (s + 1) & mask_;
      slots_[s] = o;
    }
  }

  std::vector<slot> slots_;
  std::vector<posting> arena_;
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
};

}  // namespace detail
}  // namespace paradedup

#endif  // PARADEDUP_DETAIL_POSTINGS_HPP

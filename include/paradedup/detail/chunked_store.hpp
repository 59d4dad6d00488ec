#ifndef PARADEDUP_DETAIL_CHUNKED_STORE_HPP
#define PARADEDUP_DETAIL_CHUNKED_STORE_HPP

// An append-only store of 32-bit values in chunks, for the corpus index's sketches.

#include <algorithm>  // std::min, std::max
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace paradedup::detail {

// Values appended in runs, each run contiguous and found again by the offset that append()
// returned. Growing never moves what is stored: a vector's doubling copied the whole store
// each time, and each page of the new copy faulted in afresh (half the page faults of corpus
// mode on man pages). The first chunk grows as a vector does, so a small index stays small;
// later chunks are allocated whole (chunk_values, 1 MiB; pages are touched as they fill). A
// run that does not fit in the last chunk starts the next one: offsets count the unused end
// of each full chunk, at most max_run values per chunk.
class chunked_store {
 public:
  static constexpr std::size_t chunk_values = std::size_t{1} << 18;
  static constexpr std::size_t max_run = chunk_values / 16;

  // The offset that append() of n values would return (for a caller's bound check).
  [[nodiscard]] std::uint64_t next_offset(std::size_t n) const noexcept {
    if (chunks_.empty()) return 0;
    const std::size_t used = chunks_.back().size();
    const std::uint64_t base = std::uint64_t{chunk_values} * (chunks_.size() - 1);
    return used + n <= chunk_values ? base + used : base + chunk_values;
  }

  // Appends a[0..na) then b[0..nb) as one run; na + nb <= max_run.
  std::uint64_t append(const std::uint32_t* a, std::size_t na, const std::uint32_t* b,
                       std::size_t nb) {
    const std::size_t n = na + nb;
    assert(n <= max_run);
    if (chunks_.empty() || chunks_.back().size() + n > chunk_values) {
      chunks_.emplace_back();
      if (chunks_.size() > 1) chunks_.back().reserve(chunk_values);
    }
    std::vector<std::uint32_t>& c = chunks_.back();
    if (c.capacity() < c.size() + n) {  // the first chunk only
      c.reserve(std::min(chunk_values, std::max(2 * c.capacity(), c.size() + n)));
    }
    const std::uint64_t offset = std::uint64_t{chunk_values} * (chunks_.size() - 1) + c.size();
    c.insert(c.end(), a, a + na);
    c.insert(c.end(), b, b + nb);
    return offset;
  }

  // The run at `offset` (as append() returned it).
  [[nodiscard]] const std::uint32_t* at(std::uint64_t offset) const noexcept {
    return chunks_[static_cast<std::size_t>(offset / chunk_values)].data() + offset % chunk_values;
  }

  [[nodiscard]] std::size_t memory_bytes() const noexcept {
    std::size_t b = chunks_.capacity() * sizeof(std::vector<std::uint32_t>);
    for (const auto& c : chunks_) b += c.capacity() * sizeof(std::uint32_t);
    return b;
  }

 private:
  std::vector<std::vector<std::uint32_t>> chunks_;
};

}  // namespace paradedup::detail

#endif  // PARADEDUP_DETAIL_CHUNKED_STORE_HPP

// The corpus index's shingle store (detail::hash_set64) against std::unordered_set, in the
// same run: memory per stored hash, insert and lookup time, for N uniformly random 64-bit
// hashes (XXH3 output is uniform, so random hashes stand for real shingles).
//
// Usage: bench_index [N ...]   (default: 1000000 10000000 50000000)
// Prints one line per N and structure; checks that both sets agree on every lookup.

#include <paradedup/detail/hash_set.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

// Bytes of an std::unordered_set<uint64_t> in libstdc++: one 16-byte node (next pointer,
// value) plus malloc's 16-byte header per element, and one pointer per bucket.
std::size_t unordered_bytes(const std::unordered_set<std::uint64_t>& s) {
  return s.size() * 32 + s.bucket_count() * sizeof(void*);
}

struct run_result {
  double insert_s, lookup_s;
  std::size_t found, stored, bytes;
};

// Inserts every key into `set`, then looks every probe up; times both and prints one row.
template <typename Set, typename Bytes>
run_result measure(std::size_t n, const char* name, Set& set,
                   const std::vector<std::uint64_t>& keys,
                   const std::vector<std::uint64_t>& probes, Bytes bytes_of) {
  run_result r{};
  auto t = clock_type::now();
  for (std::uint64_t k : keys) set.insert(k);
  r.insert_s = seconds_since(t);
  t = clock_type::now();
  for (std::uint64_t p : probes) r.found += set.count(p);
  r.lookup_s = seconds_since(t);
  r.stored = set.size();
  r.bytes = bytes_of(set);
  std::printf("%-12zu %-22s %10.2f %12.1f %12.1f\n", n, name,
              static_cast<double>(r.bytes) / static_cast<double>(r.stored),
              r.insert_s * 1e9 / static_cast<double>(n), r.lookup_s * 1e9 / static_cast<double>(n));
  return r;
}

// hash_set64 under the name std::unordered_set uses for a membership test.
struct compact_set : paradedup::detail::hash_set64 {
  [[nodiscard]] std::size_t count(std::uint64_t h) const noexcept { return contains(h); }
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  if (sizes.empty()) sizes = {1000000, 10000000, 50000000};
  int failures = 0;
  std::printf("%-12s %-22s %10s %12s %12s\n", "hashes", "structure", "bytes/hash", "insert ns",
              "lookup ns");
  for (std::size_t n : sizes) {
    std::mt19937_64 rng(n);
    std::vector<std::uint64_t> keys(n), probes(n);
    for (auto& k : keys) k = rng();
    // Half the probes are stored keys, half are not.
    for (std::size_t i = 0; i < n; ++i) probes[i] = i % 2 ? keys[(i * 7919) % n] : rng();

    compact_set compact;
    const run_result c = measure(n, "hash_set64", compact, keys, probes,
                                 [](const compact_set& x) { return x.memory_bytes(); });
    std::unordered_set<std::uint64_t> baseline;
    const run_result u = measure(n, "std::unordered_set", baseline, keys, probes,
                                 [](const std::unordered_set<std::uint64_t>& x) {
                                   return unordered_bytes(x);
                                 });
    std::printf("%-12zu %-22s %10.2f %12.2f %12.2f\n", n, "ratio (ours/baseline)",
                static_cast<double>(c.bytes) / static_cast<double>(u.bytes),
                c.insert_s / u.insert_s, c.lookup_s / u.lookup_s);
    if (c.found != u.found || c.stored != u.stored) {
      std::printf("MISMATCH: %zu vs %zu found, %zu vs %zu stored\n", c.found, u.found,
                  c.stored, u.stored);
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

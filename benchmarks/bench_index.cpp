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

    paradedup::detail::hash_set64 compact;
    auto t = clock_type::now();
    for (std::uint64_t k : keys) compact.insert(k);
    const double c_insert = seconds_since(t);
    std::size_t c_found = 0;
    t = clock_type::now();
    for (std::uint64_t p : probes) c_found += compact.contains(p);
    const double c_lookup = seconds_since(t);
    std::printf("%-12zu %-22s %10.2f %12.1f %12.1f\n", n, "hash_set64",
                static_cast<double>(compact.memory_bytes()) / static_cast<double>(compact.size()),
                c_insert * 1e9 / static_cast<double>(n), c_lookup * 1e9 / static_cast<double>(n));

    std::unordered_set<std::uint64_t> baseline;
    t = clock_type::now();
    for (std::uint64_t k : keys) baseline.insert(k);
    const double u_insert = seconds_since(t);
    std::size_t u_found = 0;
    t = clock_type::now();
    for (std::uint64_t p : probes) u_found += baseline.count(p);
    const double u_lookup = seconds_since(t);
    std::printf("%-12zu %-22s %10.2f %12.1f %12.1f\n", n, "std::unordered_set",
                static_cast<double>(unordered_bytes(baseline)) /
                    static_cast<double>(baseline.size()),
                u_insert * 1e9 / static_cast<double>(n), u_lookup * 1e9 / static_cast<double>(n));
    std::printf("%-12zu %-22s %10.2f %12.2f %12.2f\n", n, "ratio (ours/baseline)",
                static_cast<double>(compact.memory_bytes()) /
                    static_cast<double>(unordered_bytes(baseline)),
                c_insert / u_insert, c_lookup / u_lookup);
    if (c_found != u_found || compact.size() != baseline.size()) {
      std::printf("MISMATCH: %zu vs %zu found, %zu vs %zu stored\n", c_found, u_found,
                  compact.size(), baseline.size());
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

// libFuzzer target for loading corpus index files: paradedup::corpus_index::deserialize().
//
// Input layout: byte 0 bit 0 set: the rest is an index body whose XXH3 checksum is computed
// and appended here, so that mutations get past the checksum and reach the section parser;
// bit 0 clear: the rest is the whole file image, checksum included (mostly rejected early).
// Byte 0 bit 1 chooses the options the loader expects (shingle 5, or 4: a mismatch).
//
// Invariants (any violation aborts with a message on stderr):
//   1. no crash, UB, leak, or allocation beyond the input's size class (ASan's limit);
//   2. loading either throws paradedup::error with errc::corrupt_index or
//      errc::index_mismatch, or returns an index that serializes back to exactly the loaded
//      bytes: an accepted file is canonical and fully understood, never half-read;
//   3. an accepted index answers lookups without crashing (a few probes).

#include <paradedup/corpus_index.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_index: invariant violated: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (mode & 1) {
    const std::uint64_t sum = paradedup::detail::hash64_seed0(bytes);
    for (int b = 0; b < 8; ++b) bytes.push_back(static_cast<char>(sum >> (8 * b)));
  }
  paradedup::options o;
  o.mode = paradedup::segment_mode::lines;
  if (mode & 2) o.shingle = 4;
  try {
    const paradedup::corpus_index ix = paradedup::corpus_index::deserialize(bytes, o, "fuzz");
    if (ix.serialize() != bytes) fail("an accepted index does not serialize to its bytes");
    paradedup::fingerprint fp{0x1234, 0x5678};
    (void)ix.find_paragraph(fp);
    (void)ix.contains_shingle(0x9abcdef);
    (void)ix.find_near_source({1, 2, 3});
    for (std::uint32_t d = 0; d < ix.documents() && d < 4; ++d) (void)ix.document_id(d);
  } catch (const paradedup::error& e) {
    if (e.code() != paradedup::errc::corrupt_index &&
        e.code() != paradedup::errc::index_mismatch) {
      fail("loading failed with another error code");
    }
  }
  return 0;
}

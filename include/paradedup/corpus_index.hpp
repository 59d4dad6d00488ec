#ifndef PARADEDUP_CORPUS_INDEX_HPP
#define PARADEDUP_CORPUS_INDEX_HPP

// Corpus mode, part 1: what earlier documents contained. An index holds the exact
// fingerprint of every paragraph seen (with where it was first seen) and the shingle hashes
// of every paragraph; corpus.hpp checks each new document against it, then adds it.
// An index can be saved, loaded, and merged with the index of a later shard.

#include <cstddef>  // std::size_t
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/detail/chunked_store.hpp"
#include "paradedup/detail/hash_set.hpp"
#include "paradedup/detect.hpp"  // paragraph_features
#include "paradedup/error.hpp"
#include "paradedup/fingerprint.hpp"
#include "paradedup/options.hpp"

namespace paradedup {

/// How an index stores shingles and paragraph fingerprints.
enum class index_kind {
  /// Exact 64-bit shingle hashes (6.0-7.9 bytes each, detail::hash_set64) and 128-bit
  /// paragraph fingerprints with the document and paragraph where each was first seen
  /// (24-byte slots at load 0.375-0.75), plus a sketch per distinct paragraph: every removal
  /// names its source.
  exact,
  /// One Bloom filter for both, sized from an expected item count and a false-positive rate:
  /// about 19.2 bits per item at 1e-4, a quarter of the exact kind's, but a removal can only
  /// say that the match is approximate, and a false positive can (rarely) count a shingle as
  /// seen. Paragraph fingerprints then need two false positives in a row to be
  /// mistaken, hash collisions aside.
  bloom,
};

/// "exact" or "bloom".
[[nodiscard]] constexpr std::string_view to_string(index_kind k) noexcept {
  return k == index_kind::exact ? "exact" : "bloom";
}

/// How to build an index.
struct index_config {
  index_kind kind = index_kind::exact;  ///< Exact (the default) or Bloom.
  /// Bloom kind: the false-positive rate at expected_items. Range (0, 0.5). Default 1e-4.
  double bloom_fp_rate = 1e-4;
  /// Bloom kind: the number of distinct shingles plus paragraphs to size for (required
  /// there; memory is fixed at creation). Exact kind: optional; when set, tables are sized
  /// for it at once (7.1 bytes per shingle) instead of growing.
  std::uint64_t expected_items = 0;
};

/// Where a corpus match came from.
struct corpus_source {
  bool found = false;        ///< The index holds the paragraph (or its shingles).
  bool approximate = false;  ///< Bloom kind: no source recorded; may be a false positive.
  bool known = false;        ///< document/paragraph are set (exact kind).
  std::uint32_t document = 0;   ///< Ordinal of the earlier document (0 = first added).
  std::uint32_t paragraph = 0;  ///< Paragraph index within that document.
  std::uint32_t samples = 0;    ///< find_near_source(): the source's samples found (1..4).
  double estimate = 0.0;        ///< find_near_source(): share of the shingles looked up
                                ///< that the source holds (through its sketch).
  std::uint32_t measured = 0;   ///< find_near_source(): shingles the share was measured on
  bool sampled = false;         ///< ... a sample of them (else all: the share is exact).
};

/// Counts, per shingle and per paragraph fingerprint, whether it occurs in two or more
/// documents. The first pass of the two-pass mode (only shingles occurring twice are stored
/// in the index: a shingle that occurs in one document can never match a later one) and of
/// keep_policy::none (every copy of a repeated paragraph goes).
class repeat_counter {
 public:
  /// expected_items > 0: remember "seen once" in a Bloom filter (rate at most 1e-3) that
  /// starts sized for min(expected_items, 2^20) shingles and grows with the shingles seen
  /// (detail::scalable_bloom): 23-29 bits per shingle instead of 7.1-7.9 bytes. A false
  /// positive counts a shingle seen once as repeated, which only stores one more shingle
  /// (two-pass) or, with keep_policy::none, could tip a paragraph over the threshold (needs
  /// most of its shingles to be false positives: about 1e-3 to the power of 0.85 x its
  /// shingles).
  /// expected_items == 0: exact.
  explicit repeat_counter(const options& o, std::uint64_t expected_items = 0);

  /// Counts one document (each distinct shingle and fingerprint once). Documents are
  /// numbered in the order added, from 0.
  void add_document(const std::vector<paragraph_features>& paras);
  /// The same, for a document whose shingle index (index_shingles(paras)) is at hand.
  void add_document(const std::vector<paragraph_features>& paras, const shingle_index& idx);

  /// True when the shingle occurs in two or more documents.
  [[nodiscard]] bool repeated(std::uint64_t shingle) const noexcept {
    return twice_.contains(shingle);
  }
  /// The first place the paragraph occurs in a document other than `document`, if it occurs
  /// in two documents or more; found == false otherwise.
  [[nodiscard]] corpus_source other_copy(const fingerprint& fp, std::uint32_t document) const;

  /// Distinct shingles counted in two documents or more.
  [[nodiscard]] std::size_t repeated_shingles() const noexcept { return twice_.size(); }
  /// Distinct paragraph fingerprints counted (paragraphs with characters).
  [[nodiscard]] std::size_t distinct_paragraphs() const noexcept { return first_.size(); }
  /// The items a Bloom corpus_index over the same documents will hold in two-pass mode:
  /// the shingles occurring in two documents, plus two per distinct paragraph (each
  /// fingerprint goes in as two 64-bit halves). Exact, so a filter sized from it meets its
  /// rate without being sized from the input bytes.
  [[nodiscard]] std::uint64_t bloom_items() const noexcept {
    return std::uint64_t{twice_.size()} + 2 * std::uint64_t{first_.size()};
  }
  /// Heap bytes of its tables.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;
  /// The options it counts with.
  [[nodiscard]] const options& settings() const noexcept { return options_; }

 private:
  options options_;
  bool bloom_once_ = false;
  detail::hash_set64 once_exact_;
  detail::scalable_bloom once_bloom_;
  detail::hash_set64 twice_;
  detail::fingerprint_map first_, second_;
  std::uint32_t documents_ = 0;
};

/// What earlier documents contained: see index_kind for the storage.
///
/// Only settings that shape hashes (setting_info::shapes_hashes: mode, shingle, fold_han,
/// fold_digits, and exact_only, whose indexes hold no shingles), the Unicode version of the
/// normalizer and the index format decide whether two indexes are comparable; load() and
/// merge() refuse any mismatch.
/// Thread safety: const member functions may run concurrently; add_document() and merge()
/// need exclusive access.
class corpus_index {
 public:
  /// Index format version written in the file header; load() refuses any other.
  /// 2: sketches of every distinct paragraph, to verify near repeats against one source.
  /// 3: each sketch carries its paragraph's facts.
  /// 4: each sketch carries its paragraph's (or window's) content for the no-loss rule:
  ///    tokens in order and guards (paragraph_content), in place of the facts.
  static constexpr std::uint32_t format_version = 4;
  /// Shingles per paragraph recorded with their source, to name the source of near repeats
  /// (find_near_source()): with 4, a copy that changed a quarter of a paragraph misses all
  /// four about 1 time in 250. Costs about 100 bytes per distinct paragraph.
  static constexpr std::size_t samples_per_paragraph = 4;
  /// Shingles (their low 32 bits) kept per distinct paragraph as its sketch (exact kind):
  /// all of its window's (it and its two neighbours) when they are at most sketch_size, so
  /// that a copy merging two neighbouring lines is measured exactly; else all of its own
  /// when at most sketch_size; else its sketch_size smallest (by those 32 bits). Costs up to
  /// 128 bytes plus a 16-byte record per distinct paragraph.
  static constexpr std::size_t sketch_size = 32;
  /// Fewest shingles a sampled share may be measured on (see find_near_source()).
  static constexpr std::uint32_t min_sample = 16;
  /// Most tokens whose content a sketch keeps for the no-loss rule (verify()): a paragraph (or
  /// window) with more is never the verified source of a near repeat (its copies that are
  /// not exact stay). Content costs 4 bytes per token and 8 per guard.
  static constexpr std::size_t max_content_tokens = 4096;

  /// An empty index for documents processed with `o`. Throws errc::invalid_option when the
  /// options or the configuration are out of range (bloom without expected_items, a rate
  /// outside (0, 0.5)).
  explicit corpus_index(const options& o, const index_config& c = {});

  /// Where a paragraph with this fingerprint was first seen.
  [[nodiscard]] corpus_source find_paragraph(const fingerprint& fp) const;
  /// True when the index holds the shingle (bloom kind: may be a false positive).
  [[nodiscard]] bool contains_shingle(std::uint64_t h) const noexcept {
    return config_.kind == index_kind::exact ? shingles_.contains(h)
                                             : bloom_.contains(h ^ shingle_salt);
  }
  /// The likely source of a near repeat with these shingles (sorted, distinct): among the
  /// earlier paragraphs with samples (their samples_per_paragraph smallest shingles) among
  /// them, the one whose sketch holds the largest share of them (ties: the earliest).
  /// A complete sketch (all of the window's or the paragraph's shingles) gives the share
  /// exactly. A partial one holds every shingle of the source up to its largest entry, so
  /// the share is measured on these shingles up to that bound: an unbiased sample of them
  /// (`measured` of them, `sampled`); fewer than min_sample make no source. `samples`
  /// counts the source's samples found, `estimate` is the share. found == false when no
  /// sketched source matches. Only paragraphs of documents before `before_document`
  /// count. Exact kind only.
  [[nodiscard]] corpus_source find_near_source(const std::vector<std::uint64_t>& shingles,
                                               std::uint32_t before_document = UINT32_MAX) const;
  /// The no-loss rule (verify()) for a near repeat with this content against the source that
  /// find_near_source() named: against its sketch's window when the sketch is the window's
  /// (a copy merging two neighbouring lines), compared on the low 32 bits of token hashes.
  /// holds == false when the source has no sketch or its content was too long to keep.
  /// Exact kind only.
  [[nodiscard]] verdict verify(const paragraph_content& copy, const corpus_source& source) const;

  /// Adds one document: every paragraph's fingerprint (kept or not: "seen" means "occurred
  /// in an earlier document") and its shingles, except those `only_repeated` says occur in
  /// one document only (two-pass mode). Returns the document's ordinal.
  /// Throws errc::too_large past 2^32-2 documents or paragraphs per document.
  std::uint32_t add_document(std::string_view id, const std::vector<paragraph_features>& paras,
                             const repeat_counter* only_repeated = nullptr);

  /// The three steps of add_document(), for callers that check a document as they add it
  /// (corpus::commit()), so that each hash is looked up once:
  /// 1. begin_document(): records the id, returns the new document's ordinal.
  std::uint32_t begin_document(std::string_view id);
  /// 2. For each paragraph with characters: out[i] = where its fingerprint was seen in an
  ///    earlier document (found == false when nowhere, or only in this one); then it is
  ///    recorded (with its samples). out is resized to paras.size().
  void add_paragraphs(const std::vector<paragraph_features>& paras, std::uint32_t document,
                      std::vector<corpus_source>& out);
  /// 3. For each of the document's distinct shingles (`shingles`, index_shingles() of the
  ///    same paragraphs): present[k] = 1 when the index held shingles.distinct[k] before;
  ///    then it is added, unless `only_repeated` says it occurs in one document only
  ///    (two-pass; such a shingle is present only when the index held it before the run).
  ///    `seen` is what step 2 returned for these paragraphs: with the exact kind and no
  ///    `only_repeated`, a shingle held by a paragraph found in an earlier document is
  ///    present without a lookup (that document added all its shingles), which on text full
  ///    of boilerplate skips most lookups. Other lookups are prefetched ahead.
  ///    Throws errc::invalid_option when `shingles` cannot be the index of the paragraphs
  ///    `seen` describes (a holder past them, a bound past the holders).
  void add_shingles(const shingle_index& shingles, const std::vector<corpus_source>& seen,
                    const repeat_counter* only_repeated, std::vector<char>& present);

  /// Appends a later index (of the documents that follow this one's): the result equals the
  /// index that one run over both would have built, and saves to the same bytes. Throws
  /// errc::index_mismatch when settings, kind or Bloom shape differ.
  void merge(const corpus_index& later);

  /// The file image: header (magic, format version, kind, settings, Unicode version, item
  /// counts), sections in canonical (sorted) order, then an XXH3-64 checksum of all that
  /// precedes it. Equal indexes give equal bytes.
  [[nodiscard]] std::string serialize() const;
  /// Reads a file image. Throws errc::corrupt_index (bad magic, truncated, checksum, an
  /// inconsistent section) or errc::index_mismatch (another format version, other
  /// hash-shaping settings than `o`, another Unicode version), naming `name`.
  [[nodiscard]] static corpus_index deserialize(std::string_view bytes, const options& o,
                                                std::string_view name = "index");
  /// Writes serialize() to path atomically: a temporary file in the same folder, flushed
  /// (fsync), then renamed over path. Throws errc::io_error.
  void save(const std::string& path) const;
  /// Reads an index file. Throws errc::io_error, corrupt_index, index_mismatch.
  [[nodiscard]] static corpus_index load(const std::string& path, const options& o);

  /// Exact or Bloom.
  [[nodiscard]] index_kind kind() const noexcept { return config_.kind; }
  /// How it was built.
  [[nodiscard]] const index_config& config() const noexcept { return config_; }
  /// The options it was built with (their hash-shaping settings must match a loader's).
  [[nodiscard]] const options& settings() const noexcept { return options_; }
  /// Documents added so far.
  [[nodiscard]] std::uint32_t documents() const noexcept {
    return static_cast<std::uint32_t>(ids_.size());
  }
  /// The id given for a document ordinal.
  [[nodiscard]] const std::string& document_id(std::uint32_t ordinal) const {
    return ids_.at(ordinal);
  }
  /// Distinct shingles stored (bloom kind: estimated from the bits set, with paragraphs).
  [[nodiscard]] std::uint64_t shingles() const noexcept;
  /// Bloom kind: the filter's false-positive rate now, from its share of set bits (it passes
  /// the rate asked once more items than expected_items went in). Exact kind: 0.
  [[nodiscard]] double false_positive_rate() const noexcept {
    return config_.kind == index_kind::bloom ? bloom_.false_positive_rate() : 0.0;
  }
  /// Distinct paragraph fingerprints stored (exact kind; 0 for the bloom kind, which mixes
  /// them with the shingles).
  [[nodiscard]] std::uint64_t paragraphs() const noexcept { return paragraphs_.size(); }
  /// Bytes held by the shingle store alone (hash set or filter).
  [[nodiscard]] std::size_t shingle_bytes() const noexcept;
  /// The part of shingle_bytes() that does not grow with the shingles: the exact kind's shard
  /// directory (1 MiB); 0 for the bloom kind.
  [[nodiscard]] std::size_t shingle_directory_bytes() const noexcept;
  /// Bytes held in all (shingles, fingerprints, samples, sketches, ids). Constant time.
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

  /// The settings line recorded in headers: every hash-shaping setting as name=value, the
  /// Unicode version and the hash seeds. Two indexes are comparable iff these are equal.
  [[nodiscard]] static std::string settings_line(const options& o);

 private:
  void add_paragraph_sketch(const std::vector<paragraph_features>& paras, std::size_t i,
                            std::uint32_t document);
  // Appends a sketch and its content (`tokens` token hashes, then `guards` pairs of position
  // and id; nothing when tokens == no_content); (document, paragraph) must follow the last
  // one added.
  void add_sketch(std::uint32_t document, std::uint32_t paragraph, std::uint32_t shingles,
                  const std::uint32_t* entries, std::uint32_t count, const std::uint32_t* content,
                  std::uint32_t tokens, std::uint32_t guards, std::uint32_t tag);

  static constexpr std::uint64_t shingle_salt = 0;
  static constexpr std::uint64_t paragraph_salt = 0x7061726167726170ULL;  // "paragrap"

  // Heap bytes of a document id beyond its std::string (none within the short-string buffer).
  static std::size_t id_heap_bytes(const std::string& id) noexcept {
    return id.capacity() > 15 ? id.capacity() + 1 : 0;
  }

  options options_;
  index_config config_;
  std::vector<std::string> ids_;
  std::size_t id_bytes_ = 0;  // id_heap_bytes() of all ids_
  detail::hash_set64 shingles_;           // exact kind
  detail::fingerprint_map paragraphs_;    // exact kind: first place seen
  detail::fingerprint_map samples_;       // exact kind: smallest shingle -> first paragraph
  // Exact kind: the sketch of each distinct paragraph's first copy, in (document,
  // paragraph) order: document d's records start at sketch_from_[d] (documents past its end
  // have none), each names its entries in sketch_data_. Appended in order, found by binary
  // search within the document: no hash map to miss in.
  struct sketch_record {
    std::uint32_t paragraph;
    std::uint32_t offset;    // in sketch_data_: `count` entries, then the content
    std::uint32_t count;     // entries
    std::uint32_t shingles;  // distinct shingles of the window
    std::uint32_t tokens;    // content tokens (low 32 bits, text order), or no_content
    std::uint32_t guards;    // then this many (position, id) pairs
    std::uint32_t tag;       // leading tokens that are a source tag
  };
  static constexpr std::uint32_t no_content = 0xFFFFFFFFu;
  [[nodiscard]] const sketch_record* find_sketch(std::uint32_t document,
                                                 std::uint32_t paragraph) const noexcept;
  std::vector<std::uint32_t> sketch_from_;
  std::vector<sketch_record> sketch_records_;
  detail::chunked_store sketch_data_;
  static_assert(sketch_size + 3 * max_content_tokens <= detail::chunked_store::max_run,
                "a sketch and its content (tokens, guards of two values) fit in one run");
  std::vector<std::uint32_t> scratch_;  // add_paragraph_sketch()'s, kept for its capacity
  std::vector<std::uint32_t> scratch_guards_;
  detail::bloom_filter bloom_;            // bloom kind: shingles and paragraphs
};

}  // namespace paradedup

#endif  // PARADEDUP_CORPUS_INDEX_HPP

#ifndef PARADEDUP_CORPUS_RUN_HPP
#define PARADEDUP_CORPUS_RUN_HPP

// Corpus mode, part 3: runs corpus.hpp's steps over a stream of documents on several
// threads (oneTBB), with the same output as one thread.

#include <cstdint>
#include <functional>
#include <string>

#include "paradedup/corpus.hpp"

namespace paradedup {

/// One document travelling through run_corpus().
struct corpus_item {
  std::uint64_t position = 0;  ///< Set by run_corpus(): 0, 1, 2... in input order.
  std::string id;              ///< The id recorded in the index (set by the reader).
  std::string text;            ///< The document (set by the reader).
  bool process = true;         ///< false: not deduplicated nor added to the index (a record
                               ///< the reader could not read); handed to the writer as is.
  std::string payload;         ///< Anything the reader wants the writer to get (a JSON line).
  std::uint64_t user[4] = {};  ///< Likewise (a file, a line number, a span in the payload).
  std::string annotation;      ///< Set by the annotator, if any (per-document statistics).
  result out;                  ///< Set by run_corpus() when process is true.
  /// Set by run_corpus(): the index's memory_bytes() right after this item's commit (for
  /// progress lines, which run while later items are committed and so cannot ask the index).
  std::size_t index_bytes = 0;
};

/// Fills the next item; returns false when there is none. Called in one thread at a time,
/// in input order.
using corpus_reader = std::function<bool(corpus_item&)>;
/// Receives every item, with `out` filled, in input order, one thread at a time. It runs
/// while later items are committed: it must not touch the corpus or its index.
using corpus_writer = std::function<void(corpus_item&)>;
/// Optional: called on any thread, in parallel, for each item with process == true, before
/// its commit (for per-document work such as statistics; it may set item.annotation).
using corpus_annotator = std::function<void(corpus_item&)>;
/// Optional: called after each item is written, in input order, one thread at a time (for
/// progress lines; item.index_bytes is the index memory). Like the writer, it runs while
/// later items are committed, so it gets the item only: the corpus's index may be growing in
/// a commit meanwhile (reading its memory there would be a data race, and a read of freed
/// memory when the id list moves).
using corpus_progress = std::function<void(const corpus_item&)>;

/// Reads documents with `read`, deduplicates each against `c` and writes it with `write`.
///
/// prepare() and finish() run on up to `threads` threads (0, or more than the cores: all
/// cores); commit() runs in input order, so the output, the index and every report are the
/// same for any thread count.
/// At most 16 x threads documents are in flight, so memory holds that many documents and
/// their features (about 24 bytes per shingle plus the text).
/// Exceptions from the reader, the writer or the pipeline (errc::invalid_utf8 under
/// invalid_policy::fail) stop the run and are rethrown here; documents already written stay
/// written and committed ones stay in the index. A paradedup::error from one document's
/// prepare or commit comes back with "document ID: " before its message (same code and
/// byte offset).
void run_corpus(corpus& c, const corpus_reader& read, const corpus_writer& write,
                unsigned threads = 0, const corpus_annotator& annotate = {},
                const corpus_progress& progress = {});

/// The first pass of two-pass runs and of keep_policy::none: reads every document with
/// `read` and adds it to `counter` (items with process == false are skipped). Features are
/// computed on up to `threads` threads; counting is in input order, so the counter is the
/// same for any thread count. The second pass must read the same documents in the same order.
void count_repeats(repeat_counter& counter, const corpus_reader& read, unsigned threads = 0);

}  // namespace paradedup

#endif  // PARADEDUP_CORPUS_RUN_HPP

// corpus_run.hpp: the corpus pipeline on oneTBB.

#include "paradedup/corpus_run.hpp"

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <memory>
#include <mutex>
#include <vector>

namespace paradedup {

namespace {
// Documents in flight per thread: commits are in input order, so while one thread prepares
// a long document the others need that many shorter ones to stay busy. With 4 per thread, 2
// threads ran man pages 1.48x faster than 1 thread (a 1.3 MB page among 20 KB ones); with 16,
// 1.8x.
constexpr int documents_per_thread = 16;

struct in_flight {
  corpus_item item;
  prepared_document prepared;
};

// The per-paragraph tables of finished documents, for the next ones to fill (corpus::prepare()
// into a prepared_document keeps their storage): in steady state a run then allocates per
// paragraph only where a paragraph is longer than the one it replaces. Documents over
// max_pooled_bytes give theirs back to the allocator, so that what is kept stays below what
// the documents in flight held at once.
class table_pool {
 public:
  static constexpr std::size_t max_pooled_bytes = std::size_t{1} << 20;

  void take(prepared_document& p) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return;
    p.features = std::move(free_.back().features);
    p.shingles = std::move(free_.back().shingles);
    free_.pop_back();
  }
  void give(prepared_document& p, std::size_t text_bytes) {
    if (text_bytes > max_pooled_bytes) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back({std::move(p.features), std::move(p.shingles)});
  }

 private:
  struct tables {
    std::vector<paragraph_features> features;
    shingle_index shingles;
  };
  std::mutex mutex_;
  std::vector<tables> free_;
};

// Threads to use: 0 means all cores; more than the cores is all cores too (oneTBB would
// ignore the extra workers anyway, with a warning on stderr that -q could not silence).
int workers(unsigned threads) {
  const int cores = tbb::info::default_concurrency();
  return threads == 0 || threads > static_cast<unsigned>(cores) ? cores
                                                                 : static_cast<int>(threads);
}

// ThreadSanitizer sees no synchronization inside an uninstrumented libtbb (Debian's), so it
// would take every hand-over of an item from one pipeline stage to the next, and every run of
// a serial stage on another worker, for a race. Each stage states what oneTBB guarantees: on
// entry it acquires what the item's previous stage released and, for a serial stage, what its
// own previous run released; on exit (also by an exception) it releases them and the run's end
// point, which the caller acquires once the pipeline returns. No code in other builds.
#if defined(__SANITIZE_THREAD__)
#define PARADEDUP_TSAN_ANNOTATE 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define PARADEDUP_TSAN_ANNOTATE 1
#endif
#endif
#ifdef PARADEDUP_TSAN_ANNOTATE
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

class handoff {
 public:
  // item: the item (null for the first stage's entry); serial: the stage's own sync point,
  // or null for a parallel stage; done: the run's end point.
  handoff(const void* item, const void* serial, const void* done) noexcept
      : item_(item), serial_(serial), done_(done) {
    acquire(item_);
    acquire(serial_);
  }
  handoff(const handoff&) = delete;
  handoff& operator=(const handoff&) = delete;
  ~handoff() {
    release(item_);
    release(serial_);
    release(done_);
  }
  // The item made in the stage (the first stage's), released on exit.
  void set_item(const void* item) noexcept { item_ = item; }

  static void acquire(const void* p) noexcept {
#ifdef PARADEDUP_TSAN_ANNOTATE
    if (p != nullptr) __tsan_acquire(const_cast<void*>(p));
#else
    (void)p;
#endif
  }
  static void release(const void* p) noexcept {
#ifdef PARADEDUP_TSAN_ANNOTATE
    if (p != nullptr) __tsan_release(const_cast<void*>(p));
#else
    (void)p;
#endif
  }

 private:
  const void* item_;
  const void* serial_;
  const void* done_;
};

// Acquires the run's end point when the pipeline returns or throws.
struct run_end {
  const void* done;
  ~run_end() { handoff::acquire(done); }
};

// Runs f; a paradedup::error it throws is thrown again naming the document, which the
// message of a library call cannot ("invalid UTF-8 at byte 179" in which of a million?).
template <typename F>
void naming(const corpus_item& item, F&& f) {
  try {
    f();
  } catch (const error& e) {
    throw error(e.code(), e.byte_offset(), "document " + item.id + ": " + e.what());
  }
}
}  // namespace

void run_corpus(corpus& c, const corpus_reader& read, const corpus_writer& write,
                unsigned threads, const corpus_annotator& annotate,
                const corpus_progress& progress) {
  const int n = workers(threads);
  std::uint64_t position = 0;
  char reading = 0, committing = 0, writing = 0, done = 0;  // sync points (see handoff)
  table_pool pool;  // before `end`: destroyed after the end point is acquired
  const run_end end{&done};
  tbb::task_arena arena(n);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(documents_per_thread * n),
        tbb::make_filter<void, in_flight*>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> in_flight* {
              handoff h(nullptr, &reading, &done);
              auto f = std::make_unique<in_flight>();
              f->item.position = position;
              if (!read(f->item)) {
                fc.stop();
                return nullptr;
              }
              ++position;
              pool.take(f->prepared);
              h.set_item(f.get());
              return f.release();
            }) &
            tbb::make_filter<in_flight*, in_flight*>(
                tbb::filter_mode::parallel,
                [&](in_flight* f) {
                  const handoff h(f, nullptr, &done);
                  std::unique_ptr<in_flight> own(f);
                  if (f->item.process) {
                    naming(f->item, [&] { c.prepare(f->item.text, f->prepared); });
                    if (annotate) annotate(f->item);
                  }
                  return own.release();
                }) &
            tbb::make_filter<in_flight*, in_flight*>(
                tbb::filter_mode::serial_in_order,
                [&](in_flight* f) {
                  const handoff h(f, &committing, &done);
                  std::unique_ptr<in_flight> own(f);
                  if (f->item.process) naming(f->item, [&] { c.commit(f->prepared, f->item.id); });
                  f->item.index_bytes = c.index().memory_bytes();
                  return own.release();
                }) &
            tbb::make_filter<in_flight*, in_flight*>(
                tbb::filter_mode::parallel,
                [&](in_flight* f) {
                  const handoff h(f, nullptr, &done);
                  std::unique_ptr<in_flight> own(f);
                  if (f->item.process) f->item.out = corpus::finish(std::move(f->prepared));
                  return own.release();
                }) &
            tbb::make_filter<in_flight*, void>(tbb::filter_mode::serial_in_order,
                                               [&](in_flight* f) {
                                                 handoff::acquire(f);  // freed here: last stage
                                                 const handoff h(nullptr, &writing, &done);
                                                 std::unique_ptr<in_flight> own(f);
                                                 const std::size_t bytes = f->item.text.size();
                                                 write(f->item);
                                                 if (progress) progress(f->item);
                                                 pool.give(f->prepared, bytes);
                                               }));
  });
}

void count_repeats(repeat_counter& counter, const corpus_reader& read, unsigned threads) {
  const int n = workers(threads);
  struct doc {
    corpus_item item;
    result r;
    std::vector<paragraph_features> features;
    shingle_index shingles;
  };
  char reading = 0, counting = 0, done = 0;  // sync points (see handoff)
  const run_end end{&done};
  tbb::task_arena arena(n);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(documents_per_thread * n),
        tbb::make_filter<void, doc*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> doc* {
                                       handoff h(nullptr, &reading, &done);
                                       auto d = std::make_unique<doc>();
                                       if (!read(d->item)) {
                                         fc.stop();
                                         return nullptr;
                                       }
                                       h.set_item(d.get());
                                       return d.release();
                                     }) &
            tbb::make_filter<doc*, doc*>(tbb::filter_mode::parallel,
                                         [&](doc* d) {
                                           const handoff h(d, nullptr, &done);
                                           std::unique_ptr<doc> own(d);
                                           if (d->item.process) {
                                             naming(d->item, [&] {
                                               detail::analyze(d->item.text, counter.settings(),
                                                               d->r, d->features, d->shingles,
                                                               /*detect=*/false);
                                             });
                                           }
                                           return own.release();
                                         }) &
            tbb::make_filter<doc*, void>(tbb::filter_mode::serial_in_order, [&](doc* d) {
              handoff::acquire(d);  // freed here: the last stage
              const handoff h(nullptr, &counting, &done);
              std::unique_ptr<doc> own(d);
              if (d->item.process) {
                naming(d->item, [&] { counter.add_document(d->features, d->shingles); });
              }
            }));
  });
}

}  // namespace paradedup

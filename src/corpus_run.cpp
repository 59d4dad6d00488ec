// corpus_run.hpp: the corpus pipeline on oneTBB.

#include "paradedup/corpus_run.hpp"

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <memory>

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

// Threads to use: 0 means all cores; more than the cores is all cores too (oneTBB would
// ignore the extra workers anyway, with a warning on stderr that -q could not silence).
int workers(unsigned threads) {
  const int cores = tbb::info::default_concurrency();
  return threads == 0 || threads > static_cast<unsigned>(cores) ? cores
                                                                 : static_cast<int>(threads);
}

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
  tbb::task_arena arena(n);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(documents_per_thread * n),
        tbb::make_filter<void, in_flight*>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& fc) -> in_flight* {
              auto f = std::make_unique<in_flight>();
              f->item.position = position;
              if (!read(f->item)) {
                fc.stop();
                return nullptr;
              }
              ++position;
              return f.release();
            }) &
            tbb::make_filter<in_flight*, in_flight*>(
                tbb::filter_mode::parallel,
                [&](in_flight* f) {
                  std::unique_ptr<in_flight> own(f);
                  if (f->item.process) {
                    naming(f->item, [&] { f->prepared = c.prepare(f->item.text); });
                    if (annotate) annotate(f->item);
                  }
                  return own.release();
                }) &
            tbb::make_filter<in_flight*, in_flight*>(
                tbb::filter_mode::serial_in_order,
                [&](in_flight* f) {
                  std::unique_ptr<in_flight> own(f);
                  if (f->item.process) naming(f->item, [&] { c.commit(f->prepared, f->item.id); });
                  f->item.index_bytes = c.index().memory_bytes();
                  return own.release();
                }) &
            tbb::make_filter<in_flight*, in_flight*>(
                tbb::filter_mode::parallel,
                [&](in_flight* f) {
                  std::unique_ptr<in_flight> own(f);
                  if (f->item.process) f->item.out = corpus::finish(std::move(f->prepared));
                  return own.release();
                }) &
            tbb::make_filter<in_flight*, void>(tbb::filter_mode::serial_in_order,
                                               [&](in_flight* f) {
                                                 std::unique_ptr<in_flight> own(f);
                                                 write(f->item);
                                                 if (progress) progress(f->item);
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
  tbb::task_arena arena(n);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(documents_per_thread * n),
        tbb::make_filter<void, doc*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> doc* {
                                       auto d = std::make_unique<doc>();
                                       if (!read(d->item)) {
                                         fc.stop();
                                         return nullptr;
                                       }
                                       return d.release();
                                     }) &
            tbb::make_filter<doc*, doc*>(tbb::filter_mode::parallel,
                                         [&](doc* d) {
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
              std::unique_ptr<doc> own(d);
              if (d->item.process) {
                naming(d->item, [&] { counter.add_document(d->features, d->shingles); });
              }
            }));
  });
}

}  // namespace paradedup

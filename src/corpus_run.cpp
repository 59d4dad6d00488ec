// corpus_run.hpp: the corpus pipeline on oneTBB.

#include "paradedup/corpus_run.hpp"

#include <tbb/info.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <memory>

namespace paradedup {

namespace {
struct in_flight {
  corpus_item item;
  prepared_document prepared;
};
}  // namespace

void run_corpus(corpus& c, const corpus_reader& read, const corpus_writer& write,
                unsigned threads, const corpus_progress& progress) {
  const int n = threads == 0 ? tbb::info::default_concurrency() : static_cast<int>(threads);
  std::uint64_t position = 0;
  tbb::task_arena arena(n);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(4 * n),
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
                  if (f->item.process) f->prepared = c.prepare(f->item.text);
                  return own.release();
                }) &
            tbb::make_filter<in_flight*, in_flight*>(
                tbb::filter_mode::serial_in_order,
                [&](in_flight* f) {
                  std::unique_ptr<in_flight> own(f);
                  if (f->item.process) c.commit(f->prepared, f->item.id);
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
                                                 if (progress) progress(c, f->item);
                                               }));
  });
}

}  // namespace paradedup

// The thread-safety that the headers document, exercised so that a ThreadSanitizer build
// (scripts/test: build-tsan, the tests tagged [threads]) can check it: the free functions of
// the pipeline may run on many threads at once (shared tables are built once, scratch is
// thread_local), and a corpus's const steps (prepare(), finish()) may run on many threads
// while one thread commits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "paradedup/corpus.hpp"
#include "paradedup/deduplicate.hpp"

namespace {

std::vector<std::string> fixture_texts() {
  std::vector<std::string> out;
  for (const char* dir : {PARADEDUP_TEST_DATA, PARADEDUP_TEST_DATA "/no_loss"}) {
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".txt") paths.push_back(e.path());
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) {
      std::ifstream in(p, std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      out.push_back(s.str());
    }
  }
  return out;
}

paradedup::options replacing() {
  paradedup::options o;
  o.on_invalid = paradedup::invalid_policy::replace;
  return o;
}

}  // namespace

TEST_CASE("threads: deduplicate() on four threads at once gives the serial results",
          "[threads]") {
  // Run first in its own process (scripts/test does), this is also the first use of the
  // Traditional-Simplified table and of ICU's normalizer, on four threads at once.
  const std::vector<std::string> docs = fixture_texts();
  REQUIRE(docs.size() >= 40);
  const paradedup::options o = replacing();
  constexpr int threads = 4;
  std::vector<std::vector<std::string>> got(threads, std::vector<std::string>(docs.size()));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      // Each thread in another order, so that different documents meet at once.
      for (std::size_t k = 0; k < docs.size(); ++k) {
        const std::size_t d = (k * 7 + static_cast<std::size_t>(t) * 13) % docs.size();
        const paradedup::result r = paradedup::deduplicate(docs[d], o);
        got[t][d] = r.text + paradedup::report_json("d", r);
      }
    });
  }
  for (std::thread& th : pool) th.join();
  for (std::size_t d = 0; d < docs.size(); ++d) {
    const paradedup::result r = paradedup::deduplicate(docs[d], o);
    const std::string want = r.text + paradedup::report_json("d", r);
    for (int t = 0; t < threads; ++t) CHECK(got[t][d] == want);
  }
}

TEST_CASE("threads: a corpus's prepare() and finish() run on many threads while one commits",
          "[threads][corpus]") {
  const std::vector<std::string> docs = fixture_texts();
  const paradedup::options o = replacing();
  // Serial reference.
  std::vector<std::string> want;
  {
    paradedup::corpus c{paradedup::corpus_index{o}};
    for (std::size_t d = 0; d < docs.size(); ++d) {
      want.push_back(c.deduplicate(docs[d], "doc" + std::to_string(d)).text);
    }
  }
  // Two threads prepare the documents (const, reading the index's settings) while the main
  // thread commits those ready, in order, and a third thread finishes what was committed.
  paradedup::corpus c{paradedup::corpus_index{o}};
  std::vector<paradedup::prepared_document> prepared(docs.size());
  std::vector<paradedup::result> finished(docs.size());
  std::vector<std::thread> preparers;
  std::vector<std::atomic<bool>> ready(docs.size()), committed(docs.size());
  for (int t = 0; t < 2; ++t) {
    preparers.emplace_back([&, t] {
      for (std::size_t d = static_cast<std::size_t>(t); d < docs.size(); d += 2) {
        prepared[d] = c.prepare(docs[d]);
        ready[d].store(true, std::memory_order_release);
      }
    });
  }
  std::thread finisher([&] {
    for (std::size_t d = 0; d < docs.size(); ++d) {
      while (!committed[d].load(std::memory_order_acquire)) std::this_thread::yield();
      finished[d] = paradedup::corpus::finish(std::move(prepared[d]));
    }
  });
  for (std::size_t d = 0; d < docs.size(); ++d) {
    while (!ready[d].load(std::memory_order_acquire)) std::this_thread::yield();
    (void)c.commit(prepared[d], "doc" + std::to_string(d));
    committed[d].store(true, std::memory_order_release);
  }
  for (std::thread& th : preparers) th.join();
  finisher.join();
  for (std::size_t d = 0; d < docs.size(); ++d) CHECK(finished[d].text == want[d]);
}

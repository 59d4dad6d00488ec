#ifndef PARADEDUP_CLI_CORPUS_MODE_HPP
#define PARADEDUP_CLI_CORPUS_MODE_HPP

// `paradedup --corpus`: many documents against one index (the library's corpus.hpp and
// corpus_run.hpp); this file only reads, writes and reports.

#include <paradedup/corpus.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace paradedup_cli {

struct corpus_cli_options {
  paradedup::options opts;
  std::vector<std::string> inputs;  // "-" is standard input
  std::string output;               // empty: stdout
  std::string report;               // empty: none; "-": stderr
  bool quiet = false;
  bool strict = false;
  // Corpus flags.
  bool jsonl = false;
  std::string text_field = "text";
  std::string id_field = "id";
  bool drop_empty = false;
  bool skip_bad_records = false;  // --bad-records skip
  std::string index_path;          // --index
  bool two_pass = false;
  double bloom_rate = 0;           // 0: exact index
  std::uint64_t bloom_items = 0;   // 0: from the input size
  paradedup::keep_policy keep = paradedup::keep_policy::first;
  unsigned threads = 0;            // 0: all cores
  bool stats = false;
  bool progress = true;            // only shown when stderr is a terminal
};

// Runs corpus mode; returns the exit status.
int run_corpus_mode(const corpus_cli_options& o);

// `--merge-index A B -o C`: C = A followed by B. Returns the exit status.
int run_merge_index(const std::string& a, const std::string& b, const std::string& out,
                    const paradedup::options& opts, bool quiet);

}  // namespace paradedup_cli

#endif  // PARADEDUP_CLI_CORPUS_MODE_HPP

// `paradedup --corpus`: reading documents (form-feed separated text, or JSON Lines), running
// them through paradedup::run_corpus(), writing them back in the same form, and the index file.

#include "cli/corpus_mode.hpp"

#include <paradedup/corpus_run.hpp>
#include <paradedup/jsonl.hpp>
#include <paradedup/stats.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>  // std::count
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "cli/io.hpp"

namespace paradedup_cli {
namespace {

// Reads an input line by line, each line with its terminator ("\n"; the last line may have
// none), in 1 MiB chunks: memory holds one line plus the chunk.
class line_source {
 public:
  line_source() = default;
  line_source(const line_source&) = delete;
  line_source& operator=(const line_source&) = delete;
  ~line_source() {
    if (fd_ > 0) ::close(fd_);
  }
  bool open(const std::string& name, std::string& why) {
    fd_ = name == "-" ? 0 : ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      why = std::strerror(errno);
      return false;
    }
    struct stat st {};
    if (::fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
      why = "is a directory";
      return false;
    }
    return true;
  }
  // Next line into `line`; false at the end or on a read error (then `why` is set).
  bool next(std::string& line, std::string& why) {
    line.clear();
    for (;;) {
      const char* start = buf_.data() + pos_;
      const void* nl = std::memchr(start, '\n', buf_.size() - pos_);
      if (nl != nullptr) {
        const std::size_t n = static_cast<const char*>(nl) - start + 1;
        line.append(start, n);
        pos_ += n;
        ++line_number_;
        return true;
      }
      line.append(start, buf_.size() - pos_);
      buf_.clear();
      pos_ = 0;
      if (eof_) {
        if (line.empty()) return false;
        ++line_number_;
        return true;
      }
      buf_.resize(1 << 20);
      ssize_t got;
      do {
        got = ::read(fd_, buf_.data(), buf_.size());
      } while (got < 0 && errno == EINTR);
      if (got < 0) {
        why = std::strerror(errno);
        buf_.clear();
        eof_ = true;
        failed_ = true;
        return false;
      }
      buf_.resize(static_cast<std::size_t>(got));
      eof_ = got == 0;
    }
  }
  std::uint64_t line_number() const noexcept { return line_number_; }
  bool failed() const noexcept { return failed_; }

 private:
  int fd_ = -1;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  bool failed_ = false;
  std::uint64_t line_number_ = 0;
};

bool is_separator(std::string_view line) {
  return line == "\f\n" || line == "\f\r\n" || line == "\f";
}

std::string_view without_line_end(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  return line;
}

// Counters for the final summary.
struct totals {
  std::uint64_t documents = 0, bad_records = 0, passed_through = 0, paragraphs = 0;
  std::uint64_t removed_local = 0, removed_corpus = 0, bytes_in = 0, bytes_out = 0;
  std::uint64_t unreadable = 0, dropped_records = 0;
};

// Reads every document of every input, in order, as corpus_items. One per run of a pass.
class document_reader {
 public:
  document_reader(const corpus_cli_options& o, const std::vector<std::string>& inputs,
                  totals& t)
      : o_(o), inputs_(inputs), totals_(t), json_(o.text_field, o.id_field) {}

  bool operator()(paradedup::corpus_item& item) {
    for (;;) {
      if (!src_) {
        if (next_input_ == inputs_.size()) return false;
        name_ = inputs_[next_input_];
        display_ = display_name(o_.inputs[next_input_]);
        ++next_input_;
        src_ = std::make_unique<line_source>();
        doc_in_file_ = 0;
        std::string why;
        if (!src_->open(name_, why)) {
          std::fprintf(stderr, "paradedup: error: %s: %s\n", display_.c_str(), why.c_str());
          ++totals_.unreadable;
          src_.reset();
          continue;
        }
      }
      const bool got = o_.jsonl ? read_record(item) : read_document(item);
      if (got) return true;
      if (src_->failed()) {
        std::fprintf(stderr, "paradedup: error: %s: read failed: %s\n", display_.c_str(),
                     why_.c_str());
        ++totals_.unreadable;
      }
      src_.reset();
    }
  }

 private:
  bool read_document(paradedup::corpus_item& item) {
    item.text.clear();
    item.payload.clear();  // the separator line that follows, if any
    bool any = false;
    const std::uint64_t first_line = src_->line_number() + 1;
    while (src_->next(line_, why_)) {
      any = true;
      if (is_separator(line_)) {
        item.payload = line_;
        break;
      }
      item.text += line_;
    }
    if (!any) return false;
    ++doc_in_file_;
    item.id = doc_in_file_ == 1 && item.payload.empty() ? display_
                                                        : display_ + "#" + std::to_string(doc_in_file_);
    item.user[0] = first_line;
    item.user[3] = next_input_ - 1;
    item.process = true;
    return true;
  }

  bool read_record(paradedup::corpus_item& item) {
    if (!src_->next(item.payload, why_)) return false;
    const std::uint64_t line_no = src_->line_number();
    item.user[0] = line_no;
    item.user[3] = next_input_ - 1;
    const paradedup::jsonl_record r = json_.parse(without_line_end(item.payload));
    if (r.status != paradedup::record_status::ok) {
      std::fprintf(stderr, "paradedup: warning: %s:%llu: %s; record %s\n", display_.c_str(),
                   static_cast<unsigned long long>(line_no), r.message.c_str(),
                   o_.skip_bad_records ? "skipped" : "passed through unchanged");
      ++totals_.bad_records;
      item.process = false;
      item.text.clear();
      return true;
    }
    item.process = true;
    item.text = r.text;
    item.id = r.has_id ? r.id : display_ + ":" + std::to_string(line_no);
    item.user[1] = r.text_begin;
    item.user[2] = r.text_end;
    return true;
  }

  const corpus_cli_options& o_;
  const std::vector<std::string>& inputs_;
  totals& totals_;
  paradedup::jsonl_reader json_;
  std::size_t next_input_ = 0;
  std::unique_ptr<line_source> src_;
  std::string name_, display_, line_, why_;
  std::uint64_t doc_in_file_ = 0;
};

// Copies standard input to an unlinked temporary file, so that a two-pass run can read it
// twice. Returns the path through /proc/self/fd, or "" on failure.
std::string spool_stdin(std::string& why) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/paradedup-stdin-XXXXXX";
  const int fd = ::mkstemp(path.data());
  if (fd < 0) {
    why = std::string("cannot create a temporary file: ") + std::strerror(errno);
    return "";
  }
  ::unlink(path.c_str());
  char buf[1 << 16];
  for (;;) {
    const ssize_t got = ::read(0, buf, sizeof buf);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      why = std::strerror(errno);
      return "";
    }
    if (!write_all(fd, std::string_view(buf, static_cast<std::size_t>(got)))) {
      why = std::strerror(errno);
      return "";
    }
  }
  return "/proc/self/fd/" + std::to_string(fd);  // stays open until exit
}

// Shingles to size Bloom filters for when not told: about one per 3 bytes of input (one per
// CJK character; English has fewer), 2^30 bytes assumed for standard input.
std::uint64_t expected_items(const std::vector<std::string>& inputs) {
  std::uint64_t bytes = 0;
  for (const std::string& in : inputs) {
    struct stat s {};
    bytes += in != "-" && ::stat(in.c_str(), &s) == 0 ? static_cast<std::uint64_t>(s.st_size)
                                                       : std::uint64_t{1} << 30;
  }
  return bytes / 3 + 1024;
}

class progress_line {
 public:
  explicit progress_line(bool on) : on_(on), start_(clock::now()), last_(start_) {}
  // index_bytes: the index memory after the last document committed (corpus_item::index_bytes).
  void update(std::size_t index_bytes, const totals& t, bool final = false) {
    if (!on_) return;
    const auto now = clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double mb = static_cast<double>(t.bytes_in) / 1e6;
    const double removed = t.paragraphs ? 100.0 *
                                              static_cast<double>(t.removed_local + t.removed_corpus) /
                                              static_cast<double>(t.paragraphs)
                                        : 0.0;
    std::fprintf(stderr, "\r%llu documents, %.1f MB, %.1f MB/s, %.1f%% of paragraphs removed, index %.1f MB ",
                 static_cast<unsigned long long>(t.documents), mb, secs > 0 ? mb / secs : 0.0,
                 removed, static_cast<double>(index_bytes) / 1e6);
    if (final) std::fputc('\n', stderr);
  }

 private:
  using clock = std::chrono::steady_clock;
  bool on_;
  clock::time_point start_, last_;
};

}  // namespace

int run_merge_index(const std::string& a, const std::string& b, const std::string& out,
                    const paradedup::options& opts, bool quiet) {
  try {
    paradedup::corpus_index first = paradedup::corpus_index::load(a, opts);
    first.merge(paradedup::corpus_index::load(b, opts));
    first.save(out);
    if (!quiet) {
      std::fprintf(stderr, "paradedup: %s: %u documents, %llu shingles, %llu paragraphs\n",
                   out.c_str(), first.documents(),
                   static_cast<unsigned long long>(first.shingles()),
                   static_cast<unsigned long long>(first.paragraphs()));
    }
    return 0;
  } catch (const paradedup::error& e) {
    std::fprintf(stderr, "paradedup: error: %s\n", e.what());
    return 1;
  }
}

int run_corpus_mode(const corpus_cli_options& o) {
  std::vector<std::string> inputs = o.inputs;
  const bool two_passes = o.two_pass || o.keep == paradedup::keep_policy::none;
  std::string why;
  if (two_passes) {
    for (std::string& in : inputs) {
      if (in != "-") continue;
      in = spool_stdin(why);
      if (in.empty()) {
        std::fprintf(stderr, "paradedup: error: <stdin>: %s\n", why.c_str());
        return 1;
      }
    }
  }

  // The index: loaded when the file exists (before the first pass, so that a bad file is
  // refused at once), else made new (after it: a Bloom filter is then sized from its counts).
  std::optional<paradedup::corpus_index> loaded;
  try {
    struct stat st {};
    if (!o.index_path.empty() && ::stat(o.index_path.c_str(), &st) == 0) {
      loaded.emplace(paradedup::corpus_index::load(o.index_path, o.opts));
      if (o.bloom_rate > 0 && loaded->kind() != paradedup::index_kind::bloom) {
        std::fprintf(stderr, "paradedup: error: %s: an exact index; --bloom asks for a Bloom "
                             "one\n", o.index_path.c_str());
        return 1;
      }
    }
  } catch (const paradedup::error& e) {
    std::fprintf(stderr, "paradedup: error: %s\n", e.what());
    return 1;
  }

  // The index is saved next to itself at the end: find out now, not after the whole corpus,
  // that it cannot be (a missing or read-only folder).
  if (!o.index_path.empty()) {
    const std::size_t slash = o.index_path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : o.index_path.substr(0, slash + 1);
    std::string probe = dir + "/.paradedup-index-XXXXXX";
    const int fd = ::mkstemp(probe.data());
    if (fd < 0) {
      std::fprintf(stderr, "paradedup: error: %s: the index could not be saved there: %s\n",
                   o.index_path.c_str(), std::strerror(errno));
      return 1;
    }
    ::close(fd);
    ::unlink(probe.c_str());
  }

  totals t;
  // Pass 1 (two-pass, keep none): which shingles and paragraphs occur in two documents.
  std::unique_ptr<paradedup::repeat_counter> counter;
  if (two_passes) {
    totals first_pass;
    // Two-pass with keep first: "seen once" in a Bloom filter (14 bits per shingle instead
    // of 7.5-9.4 bytes); a false positive only stores one more shingle. keep none needs the
    // exact count: a false positive there could remove a paragraph.
    counter = std::make_unique<paradedup::repeat_counter>(
        o.opts, o.keep == paradedup::keep_policy::none ? 0 : expected_items(inputs));
    document_reader read(o, inputs, first_pass);
    try {
      paradedup::count_repeats(
          *counter, [&read](paradedup::corpus_item& it) { return read(it); }, o.threads);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "paradedup: error: %s\n", e.what());
      return 1;
    }
    if (first_pass.unreadable > 0) return 1;
    if (!o.quiet) {
      std::fprintf(stderr, "paradedup: first pass: %zu shingles occur in two documents or more "
                           "(counter memory %.1f MB)\n",
                   counter->repeated_shingles(),
                   static_cast<double>(counter->memory_bytes()) / 1e6);
    }
  }

  std::unique_ptr<paradedup::corpus> c;
  try {
    if (loaded) {
      c = std::make_unique<paradedup::corpus>(std::move(*loaded), o.keep);
      loaded.reset();
    } else {
      paradedup::index_config cfg;
      if (o.bloom_rate > 0) {
        cfg.kind = paradedup::index_kind::bloom;
        cfg.bloom_fp_rate = o.bloom_rate;
        cfg.expected_items = o.bloom_items;
        if (cfg.expected_items == 0) {
          // With a first pass, exactly what the filter will hold (a little more, so that
          // --index resumes have room); without one, an upper bound from the input: about
          // one shingle per 3 bytes of CJK text (more bytes per shingle in English).
          cfg.expected_items = counter ? counter->bloom_items() + 1024 : expected_items(inputs);
        }
      }
      c = std::make_unique<paradedup::corpus>(paradedup::corpus_index(o.opts, cfg), o.keep);
    }
  } catch (const paradedup::error& e) {
    std::fprintf(stderr, "paradedup: error: %s\n", e.what());
    return 1;
  }
  if (counter) c->use_repeats(counter.get());

  output_file out, report;
  if (!out.open(o.output, why)) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", o.output.c_str(), why.c_str());
    return 1;
  }
  if (!o.report.empty() && !report.open(o.report, why)) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", o.report.c_str(), why.c_str());
    return 1;
  }
  bool write_failed = false;
  std::string write_target;
  document_reader read(o, inputs, t);
  std::vector<std::string> displays;  // the reader's names of the inputs, for the writer
  for (const std::string& in : o.inputs) displays.push_back(display_name(in));
  progress_line progress(o.progress && !o.quiet && ::isatty(2));
  std::string line;
  auto write = [&](paradedup::corpus_item& item) {
    if (write_failed) return;
    auto put = [&](std::string_view data, const std::string& target) {
      if (!write_failed && !(target == "report" ? report : out).write(data, why)) {
        write_failed = true;
        write_target = target == "report" ? (o.report == "-" ? "<stderr>" : o.report)
                                          : (o.output.empty() ? "<stdout>" : o.output);
      }
    };
    const paradedup::result& r = item.out;
    if (!item.process) {  // a bad JSON record
      t.bytes_in += item.payload.size();
      if (o.skip_bad_records) return;
      t.bytes_out += item.payload.size();
      put(item.payload, "out");
      return;
    }
    ++t.documents;
    t.paragraphs += r.segments.paragraphs.size();
    t.removed_local += r.removed.removed.size();
    t.removed_corpus += r.from_corpus.size();
    t.passed_through += r.passed_through;
    for (const auto& d : r.diagnostics) {
      // FILE:LINE of the problem: the line of the byte in a text document, the record's line
      // in JSON Lines (the offset is then in its decoded text).
      std::uint64_t line_no = item.user[0];
      if (!o.jsonl) {
        const std::size_t end = std::min<std::size_t>(d.byte_offset, item.text.size());
        line_no += static_cast<std::uint64_t>(
            std::count(item.text.begin(), item.text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
      }
      std::fprintf(stderr, "paradedup: warning: %s:%llu: %s %s: %s\n",
                   displays[item.user[3]].c_str(), static_cast<unsigned long long>(line_no),
                   o.jsonl ? "record" : "document", item.id.c_str(), d.message.c_str());
    }
    if (o.jsonl) {
      t.bytes_in += item.payload.size();
      const bool changed = r.text.size() != item.text.size();
      if (changed && r.text.empty() && o.drop_empty) {
        ++t.dropped_records;
        return;
      }
      if (!changed && item.annotation.empty()) {
        line = item.payload;
      } else {
        paradedup::jsonl_record rec;
        rec.text_begin = static_cast<std::size_t>(item.user[1]);
        rec.text_end = static_cast<std::size_t>(item.user[2]);
        const std::string_view body = without_line_end(item.payload);
        line = paradedup::rewrite_jsonl_record(body, rec, r.text,
                                               item.annotation.empty()
                                                   ? std::string_view{}
                                                   : std::string_view(item.annotation));
        line.append(item.payload, body.size(), std::string::npos);
      }
      t.bytes_out += line.size();
      put(line, "out");
    } else {
      t.bytes_in += item.text.size() + item.payload.size();
      t.bytes_out += r.text.size() + item.payload.size();
      put(r.text, "out");
      put(item.payload, "out");
    }
    if (!o.report.empty()) {
      if (!r.passed_through) paradedup::explain_removals(item.text, c->index().settings(), item.out);
      std::string rep = paradedup::report_json(item.id, r, /*corpus=*/true);
      if (!o.jsonl && !item.annotation.empty()) {
        rep.pop_back();
        rep += ",\"stats\":" + item.annotation.substr(item.annotation.find(':') + 1) + "}";
      }
      rep.push_back('\n');
      put(rep, "report");
    }
  };
  paradedup::corpus_annotator annotate;
  if (o.stats) {
    annotate = [&](paradedup::corpus_item& item) {
      // A document that is not valid UTF-8 (passed through under --on-invalid skip, with its
      // warning) gets no statistics, rather than stopping the run.
      if (o.opts.on_invalid != paradedup::invalid_policy::replace &&
          !paradedup::validate_utf8(item.text).valid) {
        return;
      }
      item.annotation = "\"paradedup_stats\":";
      paradedup::append_stats_json(item.annotation,
                                   paradedup::repetition_statistics(item.text, o.opts));
    };
  }
  auto show_progress = [&](const paradedup::corpus_item& item) {
    progress.update(item.index_bytes, t);
  };
  try {
    if (o.keep != paradedup::keep_policy::longest) {
      paradedup::run_corpus(*c, [&read](paradedup::corpus_item& it) { return read(it); }, write,
                            o.threads, annotate, show_progress);
    } else {
      // keep longest: documents are committed longest first, then written in input order.
      // This holds the whole corpus in memory (about twice its size, plus the results).
      std::vector<paradedup::corpus_item> all;
      for (;;) {
        all.emplace_back();
        if (!read(all.back())) break;
      }
      all.pop_back();
      std::vector<std::size_t> lengths(all.size());
      for (std::size_t k = 0; k < all.size(); ++k) lengths[k] = all[k].text.size();
      const std::vector<std::size_t> order = paradedup::longest_first(lengths);
      std::size_t next = 0;
      paradedup::run_corpus(
          *c,
          [&](paradedup::corpus_item& it) {
            if (next == order.size()) return false;
            const std::uint64_t position = it.position;  // the commit order, set by run_corpus
            it = std::move(all[order[next++]]);
            it.position = position;
            return true;
          },
          [&](paradedup::corpus_item& it) { all[order[it.position]] = std::move(it); },
          o.threads, annotate, show_progress);
      for (paradedup::corpus_item& it : all) write(it);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "paradedup: error: %s\n", e.what());
    return 1;
  }
  progress.update(c->index().memory_bytes(), t, true);
  if (write_failed) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", write_target.c_str(), why.c_str());
    return 1;
  }
  if (t.unreadable > 0) {
    if (!o.output.empty()) {
      std::fprintf(stderr, "paradedup: error: %s: not written, because of the errors above\n",
                   o.output.c_str());
    }
    if (!o.index_path.empty()) {
      std::fprintf(stderr, "paradedup: error: %s: not updated, because of the errors above\n",
                   o.index_path.c_str());
    }
    return 1;
  }
  if (!out.commit(why)) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", o.output.c_str(), why.c_str());
    return 1;
  }
  if (!report.commit(why)) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", o.report.c_str(), why.c_str());
    return 1;
  }
  if (!o.index_path.empty()) {
    try {
      c->index().save(o.index_path);
    } catch (const paradedup::error& e) {
      std::fprintf(stderr, "paradedup: error: %s\n", e.what());
      return 1;
    }
  }
  if (!o.quiet) {
    const auto& ix = c->index();
    std::fprintf(stderr,
                 "paradedup: corpus: %llu documents, removed %llu of %llu paragraphs (%llu "
                 "within documents, %llu seen in earlier documents), %llu of %llu bytes; %llu "
                 "documents passed through, %llu bad records %s%s\n",
                 static_cast<unsigned long long>(t.documents),
                 static_cast<unsigned long long>(t.removed_local + t.removed_corpus),
                 static_cast<unsigned long long>(t.paragraphs),
                 static_cast<unsigned long long>(t.removed_local),
                 static_cast<unsigned long long>(t.removed_corpus),
                 static_cast<unsigned long long>(t.bytes_in - t.bytes_out),
                 static_cast<unsigned long long>(t.bytes_in),
                 static_cast<unsigned long long>(t.passed_through),
                 static_cast<unsigned long long>(t.bad_records),
                 o.skip_bad_records ? "(skipped)" : "(passed through)",
                 t.dropped_records ? (", " + std::to_string(t.dropped_records) +
                                      " records dropped as empty").c_str()
                                   : "");
    // Per shingle without the fixed shard directory, which is stated apart: on a small
    // index it would dominate the figure (1 MiB over a few shingles).
    const std::size_t directory = ix.shingle_directory_bytes();
    const std::string fixed =
        directory ? " plus a " + std::to_string(directory >> 20) + " MiB shard directory" : "";
    std::string rate;
    if (ix.kind() == paradedup::index_kind::bloom) {
      char buf[64];
      std::snprintf(buf, sizeof buf, ", false-positive rate now %.2g", ix.false_positive_rate());
      rate = buf;
    }
    std::fprintf(stderr,
                 "paradedup: index: %u documents, %llu shingles, %llu paragraphs, %.1f MB "
                 "(%s, shingle store %.2f bytes per shingle%s%s)\n",
                 ix.documents(), static_cast<unsigned long long>(ix.shingles()),
                 static_cast<unsigned long long>(ix.paragraphs()),
                 static_cast<double>(ix.memory_bytes()) / 1e6,
                 std::string(paradedup::to_string(ix.kind())).c_str(),
                 ix.shingles() ? static_cast<double>(ix.shingle_bytes() - directory) /
                                     static_cast<double>(ix.shingles())
                               : 0.0,
                 fixed.c_str(), rate.c_str());
  }
  const paradedup::corpus_index& ix = c->index();
  if (ix.kind() == paradedup::index_kind::bloom && o.bloom_rate > 0 &&
      ix.false_positive_rate() > 2 * o.bloom_rate) {
    // More items went in than it was sized for (a resumed index, or --bloom-items too low).
    std::fprintf(stderr,
                 "paradedup: warning: the Bloom filter holds more items than it was sized for: "
                 "its false-positive rate is now %.2g, not %.2g; make a new index with "
                 "--bloom-items %llu or more\n",
                 ix.false_positive_rate(), o.bloom_rate,
                 static_cast<unsigned long long>(2 * ix.shingles()));
  }
  if (o.strict && (t.bad_records > 0 || t.passed_through > 0)) return 1;
  return 0;
}

}  // namespace paradedup_cli

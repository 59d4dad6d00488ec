// paradedup: the command-line tool. A thin shell over the public API (deduplicate(),
// render_marked(), report_json(); corpus mode in cli/corpus_mode.cpp): it parses arguments,
// reads files, writes files atomically, and talks.
//
// Arguments are parsed by hand rather than with a library: the detection flags and their help
// come from the library's settings schema (paradedup::visit_settings), which a parser library
// would only wrap, and Debian's CLI parsers (CLI11, cxxopts) would add more compile time than
// this file has lines.

#include <paradedup/paradedup.hpp>

#include <signal.h>  // sigaction
#include <sys/stat.h>  // stat
#include <unistd.h>  // read, close

#include <algorithm>  // std::max, std::count
#include <cerrno>
#include <exception>
#include <cstdio>
#include <cstdlib>  // std::strtod, std::strtol
#include <cstring>  // std::strerror
#include <string>
#include <string_view>
#include <type_traits>  // std::is_same_v, std::decay_t
#include <utility>  // std::pair
#include <vector>

#include "cli/corpus_mode.hpp"
#include "cli/io.hpp"

using namespace paradedup_cli;

namespace {

constexpr const char* kUsage = R"(Usage: paradedup [OPTIONS] [FILE...]

Removes repeated paragraphs: each FILE (or standard input, when there is none or FILE is -)
is one document; the first occurrence of every paragraph is kept and later exact or near
repeats, and repeated blocks, are removed. The cleaned text goes to standard output.

Output:
  -o, --output FILE     write the cleaned text to FILE (atomically: a temporary file in
                        the same folder, then renamed) instead of standard output
      --report FILE     write a JSON report, one line per document, to FILE (- for
                        standard error): every removed paragraph with its byte span, kind
                        (exact|near|block), the kept paragraph it repeats and the similarity,
                        and every repeated block as two paragraph ranges
      --mark            print every paragraph line prefixed with 0<TAB> (kept) or 1<TAB>
                        (removed), as onion does, instead of the cleaned text
  -q, --quiet           no summary on standard error

Corpus mode (--corpus): many documents against one index, in input order. A paragraph that
an earlier document held (whether or not it was kept there) is removed too, and reported with
the document id and paragraph it matched.
      --corpus          process the inputs as one corpus; each FILE is split into documents
                        at lines holding only a form feed (a file without one is one
                        document); the output keeps those lines
      --jsonl           inputs are JSON Lines, one document per record; the output keeps
                        every record and every other field as it was, with the new text
      --text-field NAME
                        the record field holding the text [text]
      --id-field NAME   the record field naming the document [id; else FILE:LINE]
      --drop-empty      leave out records whose text became empty [kept, with empty text]
      --bad-records P   a malformed JSON line, or a record without a string text field:
                        pass (through unchanged, with a warning) or skip [pass]
      --index PATH      load the index from PATH if it exists; save it there at the end
                        (atomically), so that the next run resumes from it
      --merge-index A B
                        with -o C: write the index of A's documents followed by B's to C
      --keep P          which copy of a repeated paragraph stays: first; longest (the
                        longest document holding it: documents are compared longest first,
                        and the whole corpus is held in memory); or none (every copy goes,
                        as CCNet does; reads the inputs twice) [first]
      --two-pass        read the inputs twice and store only shingles that occur in two
                        documents or more (a smaller index, the same output)
      --bloom RATE      store the index in a Bloom filter with this false-positive rate
                        (e.g. 1e-4): 19 bits per item instead of about 8 bytes, but
                        removals can only say "approximate", and it holds no paragraph
                        to verify a near repeat against: across documents only exact
                        repeats go (with --near-rule similar, near repeats judged on
                        shingles held anywhere, pieced from several documents, go too)
      --bloom-items N   items to size the filter for [with --two-pass or --keep none: what
                        the first pass counted; else a third of the input bytes, an upper
                        bound]; the summary gives the rate the filter ends with
      --threads N       worker threads; the output is the same for any N [all cores]
      --stats           add Gopher-style repetition statistics to each record (JSON Lines,
                        as "paradedup_stats") or to each report line (as "stats")
      --no-progress     no progress line (shown only when standard error is a terminal)

Detection and bad input (defaults in brackets):
@SETTINGS@
      --strict          exit 1 when any document was skipped

  -h, --help            this help
      --version         the version

Exit status: 0 done; 1 an input could not be read or was invalid (with --strict or
--on-invalid fail; in JSON Lines a record of invalid UTF-8 is a bad record, so only --strict),
or the output could not be written; 2 usage error.
Removal is exact for exact repeats: fingerprints are 128-bit XXH3 of the normalized text, so
two different paragraphs collide with probability about n^2/2^129 among n paragraphs.
)";

struct cli_args {
  paradedup::options opts;
  bool corpus = false;
  corpus_cli_options corpus_opts;
  std::vector<std::string> merge_inputs;
  std::vector<std::string> inputs;
  std::string output;  // empty: stdout
  std::string report;  // empty: none; "-": stderr
  bool mark = false;
  bool quiet = false;
  bool strict = false;
};

// True when two output paths name one file: the same string, the same existing file, or
// the same name in the same (existing) folder. Writing both would keep only the last.
bool same_file(const std::string& a, const std::string& b) {
  if (a == b) return true;
  struct stat sa {}, sb {};
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) {
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  }
  auto split = [](const std::string& p) {
    const std::size_t slash = p.rfind('/');
    return std::make_pair(slash == std::string::npos ? std::string(".") : p.substr(0, slash + 1),
                          slash == std::string::npos ? p : p.substr(slash + 1));
  };
  const auto [da, na] = split(a);
  const auto [db, nb] = split(b);
  return na == nb && ::stat(da.c_str(), &sa) == 0 && ::stat(db.c_str(), &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

[[noreturn]] void usage_error(const std::string& what) {
  std::fprintf(stderr, "paradedup: error: %s\nTry 'paradedup --help'.\n", what.c_str());
  std::exit(2);
}

void print_help() {
  std::string settings;
  const paradedup::options defaults;
  paradedup::visit_settings(defaults, [&](const paradedup::setting_info& info, const auto&) {
    std::string left = "      " + std::string(info.flag);
    if (!info.value_name.empty()) left += " " + std::string(info.value_name);
    // Two spaces at least between a flag and its help, as help2man (the man page) reads it.
    left.resize(std::max<std::size_t>(left.size() + 2, 24), ' ');
    // Wrap the help at 92 columns, continuation lines indented like the first.
    std::string line = left;
    std::size_t at = 0;
    const std::string_view help = info.help;
    while (at < help.size()) {
      std::size_t end = help.find(' ', at);
      if (end == std::string_view::npos) end = help.size();
      const std::string_view word = help.substr(at, end - at);
      if (line.size() + word.size() > 92 && line.size() > 24) {
        line.pop_back();  // the space after the last word
        settings += line + "\n";
        line = std::string(24, ' ');
      }
      line += std::string(word) + " ";
      at = end + 1;
    }
    line.pop_back();
    settings += line + "\n";
  });
  std::string usage = kUsage;
  usage.replace(usage.find("@SETTINGS@\n"), 11, settings);
  std::fputs(usage.c_str(), stdout);
}

cli_args parse_args(int argc, char** argv) {
  cli_args a;
  a.opts.on_invalid = paradedup::invalid_policy::skip;
  bool only_files = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_files || arg == "-" || arg.empty() || arg[0] != '-') {
      a.inputs.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_files = true;
      continue;
    }
    std::string value;
    bool has_value = false;
    if (arg.rfind("--", 0) == 0) {
      const auto eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
        has_value = true;
      }
    }
    auto next = [&]() -> std::string {
      if (has_value) return value;
      if (i + 1 >= argc) usage_error(arg + " needs a value");
      return argv[++i];
    };
    auto no_value = [&] {
      if (has_value) usage_error(arg + " takes no value");
    };
    if (arg == "-h" || arg == "--help") {
      print_help();
      std::exit(0);
    } else if (arg == "--version") {
      std::printf("paradedup %d.%d.%d (library %d, Unicode %s)\n", PARADEDUP_VERSION_MAJOR,
                  PARADEDUP_VERSION_MINOR, PARADEDUP_VERSION_PATCH, paradedup::version(),
                  paradedup::unicode_version().c_str());
      std::exit(0);
    } else if (arg == "-o" || arg == "--output") {
      a.output = next();
      if (a.output.empty()) usage_error(arg + " needs a file name");
    } else if (arg == "--report") {
      a.report = next();
      if (a.report.empty()) usage_error(arg + " needs a file name");
    } else if (arg == "--mark") {
      no_value();
      a.mark = true;
    } else if (arg == "-q" || arg == "--quiet") {
      no_value();
      a.quiet = true;
    } else if (arg == "--strict") {
      no_value();
      a.strict = true;
    } else if (arg == "--corpus") {
      no_value();
      a.corpus = true;
    } else if (arg == "--jsonl") {
      no_value();
      a.corpus = a.corpus_opts.jsonl = true;
    } else if (arg == "--text-field") {
      a.corpus_opts.text_field = next();
    } else if (arg == "--id-field") {
      a.corpus_opts.id_field = next();
    } else if (arg == "--drop-empty") {
      no_value();
      a.corpus_opts.drop_empty = true;
    } else if (arg == "--bad-records") {
      const std::string v = next();
      if (v != "pass" && v != "skip") usage_error(arg + ": expected pass or skip, got '" + v + "'");
      a.corpus_opts.skip_bad_records = v == "skip";
    } else if (arg == "--index") {
      a.corpus_opts.index_path = next();
      if (a.corpus_opts.index_path.empty()) usage_error(arg + " needs a file name");
    } else if (arg == "--merge-index") {
      a.merge_inputs.push_back(next());
      if (i + 1 >= argc) usage_error(arg + " needs two index files");
      a.merge_inputs.push_back(argv[++i]);
    } else if (arg == "--keep") {
      const std::string v = next();
      if (v == "first") a.corpus_opts.keep = paradedup::keep_policy::first;
      else if (v == "longest") a.corpus_opts.keep = paradedup::keep_policy::longest;
      else if (v == "none") a.corpus_opts.keep = paradedup::keep_policy::none;
      else usage_error(arg + ": expected first, longest or none, got '" + v + "'");
    } else if (arg == "--two-pass") {
      no_value();
      a.corpus_opts.two_pass = true;
    } else if (arg == "--bloom") {
      const std::string v = next();
      if (!paradedup::detail::parse_setting(v, a.corpus_opts.bloom_rate) ||
          !(a.corpus_opts.bloom_rate > 0 && a.corpus_opts.bloom_rate < 0.5)) {
        usage_error(arg + ": expected a rate in (0, 0.5), got '" + v + "'");
      }
    } else if (arg == "--bloom-items") {
      const std::string v = next();
      std::size_t n = 0;
      if (!paradedup::detail::parse_setting(v, n) || n == 0) {
        usage_error(arg + ": expected a positive count, got '" + v + "'");
      }
      a.corpus_opts.bloom_items = n;
    } else if (arg == "--threads") {
      const std::string v = next();
      int n = 0;
      if (!paradedup::detail::parse_setting(v, n) || n < 1 || n > 1024) {
        usage_error(arg + ": expected 1..1024, got '" + v + "'");
      }
      a.corpus_opts.threads = static_cast<unsigned>(n);
    } else if (arg == "--stats") {
      no_value();
      a.corpus_opts.stats = true;
    } else if (arg == "--no-progress") {
      no_value();
      a.corpus_opts.progress = false;
    } else {
      // The detection flags, from the settings schema.
      bool matched = false;
      paradedup::visit_settings(a.opts, [&](const paradedup::setting_info& info, auto& field) {
        if (matched || info.flag != arg) return;
        matched = true;
        using field_type = std::decay_t<decltype(field)>;
        if constexpr (std::is_same_v<field_type, bool>) {
          no_value();
          // A switch sets the opposite of the default.
          field = paradedup::get_setting(paradedup::options{}, info.name) != "true";
        } else {
          const std::string v = next();
          if (!paradedup::set_setting(a.opts, info.name, v)) {
            usage_error(arg + ": invalid value '" + v + "'");
          }
        }
      });
      if (!matched) usage_error("unknown option '" + arg + "'");
    }
  }
  try {
    paradedup::validate(a.opts);
  } catch (const paradedup::error& e) {
    usage_error(e.what());
  }
  const bool corpus_flags = a.corpus_opts.drop_empty || a.corpus_opts.skip_bad_records ||
                            !a.corpus_opts.index_path.empty() || a.corpus_opts.two_pass ||
                            a.corpus_opts.bloom_rate > 0 || a.corpus_opts.bloom_items > 0 ||
                            a.corpus_opts.keep != paradedup::keep_policy::first ||
                            a.corpus_opts.threads > 0 || a.corpus_opts.stats;
  if (!a.merge_inputs.empty()) {
    if (a.output.empty()) usage_error("--merge-index A B needs -o OUTPUT");
    if (!a.inputs.empty()) usage_error("--merge-index takes no input files");
    return a;
  }
  if (corpus_flags && !a.corpus) usage_error("corpus flags need --corpus (or --jsonl)");
  if (a.corpus && a.mark) usage_error("--mark is not available with --corpus");
  if (a.corpus_opts.stats && !a.corpus_opts.jsonl && a.report.empty()) {
    usage_error("--stats needs --jsonl (statistics go into each record) or --report");
  }
  // -o, --report and --index must be three files: with one path for two, the last one
  // written would silently replace the other (the cleaned text lost, exit 0).
  const std::pair<const char*, const std::string*> outputs[] = {
      {"-o", &a.output}, {"--report", &a.report}, {"--index", &a.corpus_opts.index_path}};
  for (std::size_t x = 0; x < 3; ++x) {
    for (std::size_t y = x + 1; y < 3; ++y) {
      const std::string &p = *outputs[x].second, &q = *outputs[y].second;
      if (p.empty() || q.empty() || p == "-" || q == "-" || !same_file(p, q)) continue;
      usage_error(std::string(outputs[x].first) + " and " + outputs[y].first +
                  " name the same file: " + q);
    }
  }
  // --report and --index must not name an input: the report or the index would replace it
  // (-o may: the cleaned text goes to a temporary file that replaces the output at the end,
  // after every input was read, which is how a file is cleaned in place).
  for (const auto& [flag, path] : {outputs[1], outputs[2]}) {
    if (path->empty() || *path == "-") continue;
    for (const std::string& in : a.inputs) {
      if (in != "-" && same_file(*path, in)) {
        usage_error(std::string(flag) + " names an input file, which it would replace: " + in);
      }
    }
  }
  if (std::count(a.inputs.begin(), a.inputs.end(), "-") > 1) {
    usage_error("standard input (-) is named twice: it can be read only once");
  }
  if (a.inputs.empty()) a.inputs.push_back("-");
  if (a.corpus) {
    a.corpus_opts.opts = a.opts;
    a.corpus_opts.inputs = a.inputs;
    a.corpus_opts.output = a.output;
    a.corpus_opts.report = a.report;
    a.corpus_opts.quiet = a.quiet;
    a.corpus_opts.strict = a.strict;
  }
  return a;
}


// One line: what was removed from one document.
std::string summary_line(const std::string& name, const paradedup::result& r,
                         std::size_t in_bytes) {
  const auto& dec = r.removed;
  std::size_t exact = 0, near = 0, with_block = 0;
  for (const auto& rm : dec.removed) {
    if (rm.kind == paradedup::duplicate_kind::exact) ++exact;
    else if (rm.kind == paradedup::duplicate_kind::near) ++near;
    else ++with_block;
  }
  std::string s = display_name(name) + ": removed " + std::to_string(dec.removed.size()) +
                  " of " + std::to_string(r.segments.paragraphs.size()) + " paragraphs (" +
                  std::to_string(exact) + " exact, " + std::to_string(near) + " near, " +
                  std::to_string(with_block) + " with blocks), " +
                  std::to_string(in_bytes - r.text.size()) + " of " + std::to_string(in_bytes) +
                  " bytes";
  const auto& p = r.segments.paragraphs;
  for (const auto& b : dec.blocks) {
    s += "; lines " + std::to_string(p[b.repeat_begin].line) + "-" +
         std::to_string(p[b.repeat_last].line + p[b.repeat_last].lines - 1) + " repeat lines " +
         std::to_string(p[b.first_begin].line) + "-" +
         std::to_string(p[b.first_last].line + p[b.first_last].lines - 1);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const cli_args args = parse_args(argc, argv);
  struct sigaction sa {};
  sa.sa_handler = remove_temp_files_and_exit;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
  if (!args.merge_inputs.empty()) {
    return run_merge_index(args.merge_inputs[0], args.merge_inputs[1], args.output, args.opts,
                           args.quiet);
  }
  if (args.corpus) return run_corpus_mode(args.corpus_opts);
  std::string input, why;
  std::size_t documents = 0, skipped = 0, unreadable = 0, paragraphs = 0, removed = 0;
  std::size_t bytes_in = 0, bytes_out = 0;

  // Each document's output is written as soon as it is done: memory holds one document.
  output_file out, report;
  if (!out.open(args.output, why)) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", args.output.c_str(), why.c_str());
    return 1;
  }
  if (!args.report.empty() && !report.open(args.report, why)) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", args.report.c_str(), why.c_str());
    return 1;
  }
  auto write_error = [&](const std::string& target) {
    std::fprintf(stderr, "paradedup: error: %s: %s\n", target.c_str(), why.c_str());
    return 1;
  };

  for (const std::string& name : args.inputs) {
    int fd = -1;
    const read_status status =
        read_input(name, input, why, args.opts.max_document_bytes, fd);
    if (status == read_status::failed) {
      std::fprintf(stderr, "paradedup: error: %s: %s\n", display_name(name).c_str(),
                   why.c_str());
      ++unreadable;
      continue;
    }
    ++documents;
    if (status == read_status::too_large) {
      // Passed through unchanged, streamed: never held in memory whole.
      const std::string skipped_why = "longer than --max-document-bytes (" +
                                      std::to_string(args.opts.max_document_bytes) +
                                      "); passed through unchanged";
      std::fprintf(stderr, "paradedup: warning: %s: %s\n", display_name(name).c_str(),
                   skipped_why.c_str());
      ++skipped;
      // With --mark every line is marked kept ("0\t"), lines cut at LF.
      bool line_start = true;
      auto emit = [&](std::string_view chunk) {
        if (!args.mark) return out.write(chunk, why);
        std::string marked;
        marked.reserve(chunk.size() + chunk.size() / 16);
        for (const char c : chunk) {
          if (line_start) marked.append("0\t");
          marked.push_back(c);
          line_start = c == '\n';
        }
        return out.write(marked, why);
      };
      std::size_t total = input.size();
      bool ok = emit(input);
      char buf[1 << 16];
      while (ok) {
        const ssize_t got = ::read(fd, buf, sizeof buf);
        if (got == 0) break;
        if (got < 0) {
          if (errno == EINTR) continue;
          why = std::strerror(errno);
          ok = false;
          break;
        }
        total += static_cast<std::size_t>(got);
        ok = emit(std::string_view(buf, static_cast<std::size_t>(got)));
      }
      if (ok && args.mark && !line_start) ok = out.write("\n", why);
      if (fd > 0) ::close(fd);
      if (!ok) return write_error(display_name(name));
      bytes_in += total;
      bytes_out += total;
      if (!args.report.empty()) {  // a line for it too, saying that it was not checked
        paradedup::result unchecked;
        unchecked.passed_through = true;
        unchecked.diagnostics.push_back({paradedup::errc::too_large, 0, skipped_why});
        if (!report.write(paradedup::report_json(display_name(name), unchecked) + "\n", why)) {
          return write_error(args.report == "-" ? "<stderr>" : args.report);
        }
      }
      continue;
    }
    paradedup::result r;
    try {
      r = paradedup::deduplicate(input, args.opts);
    } catch (const paradedup::error& e) {
      std::fprintf(stderr, "paradedup: error: %s:%zu: %s\n", display_name(name).c_str(),
                   paradedup::line_number(input, e.byte_offset()), e.what());
      return 1;  // an -o or --report file is left as it was
    } catch (const std::exception& e) {  // out of memory, above all
      std::fprintf(stderr, "paradedup: error: %s: %s\n", display_name(name).c_str(), e.what());
      return 1;
    }
    for (const auto& d : r.diagnostics) {
      std::fprintf(stderr, "paradedup: warning: %s:%zu: %s\n", display_name(name).c_str(),
                   paradedup::line_number(input, d.byte_offset), d.message.c_str());
    }
    if (r.passed_through) ++skipped;
    paragraphs += r.segments.paragraphs.size();
    removed += r.removed.removed.size();
    bytes_in += input.size();
    bytes_out += r.text.size();
    const bool written =
        args.mark ? out.write(paradedup::render_marked(input, r.segments, r.removed.dropped), why)
                  : out.write(r.text, why);
    if (!written) return write_error(args.output.empty() ? "<stdout>" : args.output);
    if (!args.report.empty() &&
        !report.write(paradedup::report_json(display_name(name), r) + "\n", why)) {
      return write_error(args.report == "-" ? "<stderr>" : args.report);
    }
    if (!args.quiet) {
      std::fprintf(stderr, "paradedup: %s\n", summary_line(name, r, input.size()).c_str());
    }
  }

  if (unreadable > 0 && !args.output.empty()) {
    // Never replace an output file with a partial result.
    std::fprintf(stderr, "paradedup: error: %s: not written, because of the errors above\n",
                 args.output.c_str());
    return 1;
  }
  if (!out.commit(why)) return write_error(args.output);
  if (!report.commit(why)) return write_error(args.report);
  if (!args.quiet && documents + unreadable > 1) {
    std::fprintf(stderr,
                 "paradedup: total: %zu documents, removed %zu of %zu paragraphs, %zu of %zu "
                 "bytes; %zu skipped, %zu unreadable\n",
                 documents, removed, paragraphs, bytes_in - bytes_out, bytes_in, skipped,
                 unreadable);
  }
  if (unreadable > 0 || (args.strict && skipped > 0)) return 1;
  return 0;
}

// paradedup: the command-line tool. A thin shell over the public API (deduplicate(),
// render_marked(), report_json()): it reads files, writes files atomically, and talks.
//
// Arguments are parsed by hand rather than with a library: the detection flags and their help
// come from the library's settings schema (paradedup::visit_settings), which a parser library
// would only wrap, and Debian's CLI parsers (CLI11, cxxopts) would add more compile time than
// this file has lines.

#include <paradedup/paradedup.hpp>

#include <fcntl.h>     // open
#include <signal.h>    // sigaction
#include <sys/stat.h>  // fstat, S_ISDIR
#include <unistd.h>    // read, write, fsync, close

#include <algorithm>  // std::max
#include <cerrno>
#include <exception>
#include <cstdio>
#include <cstdlib>  // std::strtod, std::strtol
#include <cstring>  // std::strerror
#include <string>
#include <string_view>
#include <type_traits>  // std::is_same_v, std::decay_t
#include <vector>

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

Detection and bad input (defaults in brackets):
@SETTINGS@
      --strict          exit 1 when any document was skipped

  -h, --help            this help
      --version         the version

Exit status: 0 done; 1 an input could not be read or was invalid (with --strict or
--on-invalid fail), or the output could not be written; 2 usage error.
Removal is exact for exact repeats: fingerprints are 128-bit XXH3 of the normalized text, so
two different paragraphs collide with probability about n^2/2^129 among n paragraphs.
)";

struct cli_args {
  paradedup::options opts;
  std::vector<std::string> inputs;
  std::string output;  // empty: stdout
  std::string report;  // empty: none; "-": stderr
  bool mark = false;
  bool quiet = false;
  bool strict = false;
};

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
    left.resize(std::max<std::size_t>(left.size() + 1, 24), ' ');
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
  if (a.inputs.empty()) a.inputs.push_back("-");
  return a;
}

enum class read_status { ok, failed, too_large };

// Reads a whole file (or stdin for "-") into out. On failure returns failed and sets `why`.
// When the input is longer than `limit`, stops after limit + 1 bytes and returns too_large
// with the descriptor left open in `fd`, so that the caller can pass the rest through.
read_status read_input(const std::string& name, std::string& out, std::string& why,
                       std::size_t limit, int& fd) {
  out.clear();
  const bool is_stdin = name == "-";
  fd = is_stdin ? 0 : ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    why = std::strerror(errno);
    return read_status::failed;
  }
  auto fail = [&](const char* what) {
    why = what;
    if (!is_stdin) ::close(fd);
    return read_status::failed;
  };
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail("is a directory");
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
      out.reserve(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), limit + 1));
    }
  }
  char buf[1 << 16];
  while (out.size() <= limit) {
    const ssize_t got = ::read(fd, buf, std::min(sizeof buf, limit + 1 - out.size()));
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(std::strerror(errno));
    }
    out.append(buf, static_cast<std::size_t>(got));
  }
  if (out.size() > limit) return read_status::too_large;
  if (!is_stdin) ::close(fd);
  return read_status::ok;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t put = ::write(fd, data.data(), data.size());
    if (put < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(put));
  }
  return true;
}

// Temporary files to remove when a signal ends the run (SIGINT, SIGTERM, SIGHUP): the
// handler may only call async-signal-safe functions, so the names live in fixed buffers.
// (SIGKILL cannot be caught: it leaves a NAME.paradedup-XXXXXX file, and NAME intact.)
char g_temp_files[2][4096];

extern "C" void remove_temp_files_and_exit(int sig) {
  for (auto& name : g_temp_files) {
    if (name[0] != '\0') ::unlink(name);
  }
  ::_exit(128 + sig);
}

void register_temp_file(const std::string& name, bool add) {
  for (auto& slot : g_temp_files) {
    if (add && slot[0] == '\0' && name.size() < sizeof slot) {
      std::memcpy(slot, name.c_str(), name.size() + 1);
      return;
    }
    if (!add && name == slot) {
      slot[0] = '\0';
      return;
    }
  }
}

// An output written as it goes and made visible at the end: stdout (fd 1) or stderr (fd 2)
// as they are, or a file written to a temporary file in the same folder, flushed to disk and
// renamed over the target by commit(). Until commit() the previous file stays intact; a run
// that fails (or is killed) leaves it untouched.
class output_file {
 public:
  // path: a file name, or "" for stdout, or "-" for stderr.
  bool open(const std::string& path, std::string& why) {
    path_ = path;
    if (path.empty() || path == "-") {
      fd_ = path.empty() ? 1 : 2;
      return true;
    }
    tmp_ = path + ".paradedup-XXXXXX";
    fd_ = ::mkstemp(tmp_.data());
    if (fd_ < 0) {
      why = std::string("cannot create a temporary file next to it: ") + std::strerror(errno);
      tmp_.clear();
      return false;
    }
    register_temp_file(tmp_, true);
    return true;
  }
  bool write(std::string_view data, std::string& why) {
    if (write_all(fd_, data)) return true;
    why = std::strerror(errno);
    return false;
  }
  bool commit(std::string& why) {
    if (tmp_.empty()) return true;
    // The new file gets the mode of the one it replaces, or 0666 less the umask (mkstemp
    // makes 0600).
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0) {
      ::fchmod(fd_, st.st_mode & 07777);
    } else {
      const mode_t mask = ::umask(0);
      ::umask(mask);
      ::fchmod(fd_, 0666 & ~mask);
    }
    bool ok = ::fsync(fd_) == 0;
    if (!ok) why = std::strerror(errno);
    if (::close(fd_) != 0 && ok) {
      ok = false;
      why = std::strerror(errno);
    }
    fd_ = -1;
    if (ok && ::rename(tmp_.c_str(), path_.c_str()) != 0) {
      ok = false;
      why = std::strerror(errno);
    }
    if (!ok) ::unlink(tmp_.c_str());
    register_temp_file(tmp_, false);
    tmp_.clear();
    return ok;
  }
  ~output_file() {  // not committed: drop the temporary file
    if (tmp_.empty()) return;
    if (fd_ >= 0) ::close(fd_);
    ::unlink(tmp_.c_str());
    register_temp_file(tmp_, false);
  }

 private:
  std::string path_, tmp_;
  int fd_ = -1;
};

std::string display_name(const std::string& name) { return name == "-" ? "<stdin>" : name; }

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
      std::fprintf(stderr,
                   "paradedup: warning: %s: longer than --max-document-bytes (%zu); passed "
                   "through unchanged\n",
                   display_name(name).c_str(), args.opts.max_document_bytes);
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
        !report.write(paradedup::report_json(display_name(name), r.segments, r.removed) + "\n",
                      why)) {
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

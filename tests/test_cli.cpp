// End-to-end tests of the paradedup command-line tool: exit codes, messages, output files.
#include <catch2/catch.hpp>

#include <algorithm>

#include <sys/stat.h>  // chmod, mkdir
#include <sys/wait.h>  // WEXITSTATUS
#include <unistd.h>    // getpid

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#ifdef PARADEDUP_CLI

#include "cli_helpers.hpp"

using namespace cli_test;

namespace {

const std::string article = std::string(PARADEDUP_EXAMPLES_DATA) + "/article.txt";

std::string lines_of(const std::string& text, int first, int last) {
  std::istringstream in(text);
  std::string line, out;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n >= first && n <= last) out += line + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("the CLI cleans the example article and summarizes", "[cli]") {
  const run_result r = run("--report - '" + article + "'");
  REQUIRE(r.status == 0);
  const std::string in = slurp(article);
  CHECK(r.out == lines_of(in, 1, 14) + lines_of(in, 24, 27));
  CHECK(r.err.find("removed 9 of 24 paragraphs") != std::string::npos);
  CHECK(r.err.find("lines 15-23 repeat lines 3-12") != std::string::npos);
  CHECK(r.err.find("\"first_lines\":[3,12],\"repeat_lines\":[15,23]") != std::string::npos);
}

TEST_CASE("the CLI reads standard input and writes -o atomically", "[cli]") {
  const std::string out = temp_dir() + "/clean.txt";
  spit(out, "previous content\n");
  const run_result r = run("-q -o '" + out + "' -", article);
  REQUIRE(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  const std::string in = slurp(article);
  CHECK(slurp(out) == lines_of(in, 1, 14) + lines_of(in, 24, 27));
}

TEST_CASE("the CLI marks paragraphs as onion does", "[cli]") {
  const run_result r = run("-q --mark '" + article + "'");
  REQUIRE(r.status == 0);
  std::istringstream in(r.out);
  std::string line;
  int kept = 0, dropped = 0;
  while (std::getline(in, line)) {
    REQUIRE(line.size() >= 2);
    CHECK(line[1] == '\t');
    (line[0] == '0' ? kept : dropped)++;
  }
  CHECK(kept == 15);
  CHECK(dropped == 9);
}

TEST_CASE("the CLI report gives byte spans into the input", "[cli]") {
  const std::string report = temp_dir() + "/report.jsonl";
  const run_result r = run("-q --report '" + report + "' '" + article + "'");
  REQUIRE(r.status == 0);
  const std::string json = slurp(report);
  const std::string in = slurp(article);
  // The first removed paragraph is line 15, a byte-identical copy of line 3.
  const auto at = json.find("\"index\":13,\"line\":15,\"start\":");
  REQUIRE(at != std::string::npos);
  const auto start_at = json.find("\"start\":", at);
  const std::size_t start = std::stoul(json.substr(start_at + 8));
  const auto end_at = json.find("\"end\":", at);
  const std::size_t end = std::stoul(json.substr(end_at + 6));
  CHECK(in.substr(start, end - start) == lines_of(in, 3, 3).substr(0, end - start));
  CHECK(json.back() == '\n');
}

TEST_CASE("the CLI exit codes: usage 2, unreadable input 1", "[cli]") {
  SECTION("unknown option") {
    const run_result r = run("--no-such-flag");
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown option '--no-such-flag'") != std::string::npos);
  }
  SECTION("bad values") {
    CHECK(run("--threshold 1.5 /dev/null").status == 2);
    CHECK(run("--threshold abc /dev/null").status == 2);
    CHECK(run("--shingle 0 /dev/null").status == 2);
    CHECK(run("--mode paragraphs /dev/null").status == 2);
    CHECK(run("--threshold").status == 2);
  }
  SECTION("missing file") {
    const run_result r = run("'" + temp_dir() + "/does-not-exist'");
    CHECK(r.status == 1);
    CHECK(r.err.find("does-not-exist: No such file or directory") != std::string::npos);
  }
  SECTION("directory") {
    const run_result r = run("'" + temp_dir() + "'");
    CHECK(r.status == 1);
    CHECK(r.err.find("is a directory") != std::string::npos);
  }
  SECTION("a missing input does not replace the -o file") {
    const std::string out = temp_dir() + "/keep.txt";
    spit(out, "previous\n");
    const run_result r = run("-o '" + out + "' '" + article + "' '" + temp_dir() + "/nope'");
    CHECK(r.status == 1);
    CHECK(slurp(out) == "previous\n");
  }
  SECTION("help and version") {
    CHECK(run("--help").status == 0);
    const run_result v = run("--version");
    CHECK(v.status == 0);
    CHECK(v.out.rfind("paradedup ", 0) == 0);
  }
}

TEST_CASE("the CLI passes invalid UTF-8 through and names file, line and byte", "[cli]") {
  const std::string bad = temp_dir() + "/bad.txt";
  const std::string text =
      "A paragraph that is long enough to be compared.\n"
      "second line \xC3\x28 broken\n"
      "A paragraph that is long enough to be compared.\n";
  spit(bad, text);
  SECTION("skip (default): unchanged, warning, exit 0") {
    const run_result r = run("'" + bad + "'");
    CHECK(r.status == 0);
    CHECK(r.out == text);
    CHECK(r.err.find("bad.txt:2: invalid UTF-8 at byte 60") != std::string::npos);
  }
  SECTION("--strict makes the skip an error") {
    const run_result r = run("--strict '" + bad + "'");
    CHECK(r.status == 1);
    CHECK(r.out == text);
  }
  SECTION("replace: compared, bytes kept") {
    const run_result r = run("--on-invalid replace '" + bad + "'");
    CHECK(r.status == 0);
    CHECK(r.out == text.substr(0, text.rfind("A paragraph")));
  }
  SECTION("fail: error, exit 1") {
    const run_result r = run("--on-invalid fail '" + bad + "'");
    CHECK(r.status == 1);
    CHECK(r.err.find("error: ") != std::string::npos);
    CHECK(r.err.find("byte 60") != std::string::npos);
  }
}

TEST_CASE("the CLI keeps NUL bytes and empty input", "[cli]") {
  const std::string nul = temp_dir() + "/nul.txt";
  static const char raw[] = "first \0 line here, long enough\nother\n";
  const std::string text(raw, sizeof raw - 1);
  spit(nul, text);
  const run_result r = run("-q '" + nul + "'");
  CHECK(r.status == 0);
  CHECK(r.out == text);
  const std::string empty = temp_dir() + "/empty.txt";
  spit(empty, "");
  const run_result e = run("'" + empty + "'");
  CHECK(e.status == 0);
  CHECK(e.out.empty());
  CHECK(e.err.find("removed 0 of 0 paragraphs") != std::string::npos);
}

TEST_CASE("the CLI accepts every flag of the settings schema", "[cli]") {
  const std::string flags[] = {"--mode blank", "--threshold 0.9", "--shingle 4",
                               "--min-chars 10", "--no-fold-han", "--fold-digits",
                               "--exact-only", "--on-invalid replace"};
  for (const std::string& f : flags) {
    INFO(f);
    CHECK(run("-q " + f + " '" + article + "'").status == 0);
  }
  const run_result help = run("--help");
  for (const std::string& f : flags) {
    CHECK(help.out.find(f.substr(0, f.find(' '))) != std::string::npos);
  }
  // --exact-only still removes the byte-identical copy; --no-fold-han keeps a copy that
  // differs only in script.
  CHECK(run("-q --exact-only '" + article + "'").out.size() < slurp(article).size());
}

TEST_CASE("the CLI keeps the mode of the file -o replaces", "[cli][regression]") {
  const std::string out = temp_dir() + "/private.txt";
  spit(out, "old\n");
  ::chmod(out.c_str(), 0600);
  REQUIRE(run("-q -o '" + out + "' '" + article + "'").status == 0);
  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("the CLI counts lines as the library does (CR line ends)", "[cli][regression]") {
  const std::string cr = temp_dir() + "/cr.txt";
  spit(cr, "first line\rsecond line\rthird \xFF line\r");
  const run_result r = run("'" + cr + "'");
  CHECK(r.status == 0);
  CHECK(r.err.find("cr.txt:3: invalid UTF-8 at byte 29") != std::string::npos);
}

TEST_CASE("a run killed mid-write leaves the previous -o file intact", "[cli]") {
  // The CLI reads a FIFO that stays open, so it is still running when the signal comes.
  for (const std::string sig : {"TERM", "INT", "KILL"}) {
    INFO("SIG" << sig);
    const std::string dir = temp_dir() + "/kill_" + sig;
    const std::string script =
        "set -e; rm -rf '" + dir + "'; mkdir '" + dir + "'; cd '" + dir + "'; mkfifo in; " +
        "echo previous > out.txt; '" + PARADEDUP_CLI + "' -q -o out.txt in & pid=$!; " +
        "exec 3>in; printf 'some text that is long enough\\n' >&3; sleep 0.3; " +
        "kill -" + sig + " $pid; wait $pid || true; exec 3>&-; true";
    const std::string script_file = temp_dir() + "/kill.sh";
    spit(script_file, script + "\n");
    REQUIRE(std::system(("bash '" + script_file + "'").c_str()) == 0);
    CHECK(slurp(dir + "/out.txt") == "previous\n");
    if (sig != "KILL") {  // a caught signal removes the temporary file too
      const run_result ls = [&] {
        run_result r;
        r.status = std::system(("ls '" + dir + "' > '" + dir + "/../ls.txt'").c_str());
        r.out = slurp(dir + "/../ls.txt");
        return r;
      }();
      CHECK(ls.out == "in\nout.txt\n");
    }
  }
}

TEST_CASE("the CLI passes a document over --max-document-bytes through unchanged", "[cli]") {
  const std::string doc = temp_dir() + "/long.txt";
  const std::string text = "a line that repeats below\na line that repeats below\n";
  spit(doc, text);
  const run_result r = run("--max-document-bytes 10 '" + doc + "'");
  CHECK(r.status == 0);
  CHECK(r.out == text);
  CHECK(r.err.find("long.txt: longer than --max-document-bytes (10)") != std::string::npos);
  CHECK(run("--max-document-bytes 10 --strict '" + doc + "'").status == 1);
  const run_result m = run("-q --max-document-bytes 10 --mark '" + doc + "'");
  CHECK(m.out == "0\ta line that repeats below\n0\ta line that repeats below\n");
  // Under the limit, the same document is compared.
  CHECK(run("-q '" + doc + "'").out == "a line that repeats below\n");
}

TEST_CASE("the report has a line for every document, saying which were not checked", "[cli]") {
  // Review of 2026-11-30: a document over --max-document-bytes got no report line (the lines
  // no longer matched the inputs), and one skipped for invalid UTF-8 read as "no repeats".
  const std::string big = temp_dir() + "/rep_big.txt", bad = temp_dir() + "/rep_bad.txt",
                    good = temp_dir() + "/rep_good.txt";
  spit(big, std::string(100, 'x') + "\n");
  spit(bad, "A paragraph that repeats in this file.\n\xff\nA paragraph that repeats in this file.\n");
  spit(good, "short\n");
  const std::string report = temp_dir() + "/rep.jsonl";
  const run_result r = run("-q --max-document-bytes 90 --report '" + report + "' '" + big +
                           "' '" + bad + "' '" + good + "'");
  CHECK(r.status == 0);
  const std::string lines = slurp(report);
  REQUIRE(std::count(lines.begin(), lines.end(), '\n') == 3);
  std::istringstream in(lines);
  std::string first, second, third;
  std::getline(in, first);
  std::getline(in, second);
  std::getline(in, third);
  CHECK(first.find("rep_big.txt\"") != std::string::npos);
  CHECK(first.find("\"passed_through\":true,\"reason\":\"longer than --max-document-bytes (90)") !=
        std::string::npos);
  CHECK(second.find("\"passed_through\":true,\"reason\":\"invalid UTF-8 at byte 39") !=
        std::string::npos);
  CHECK(third.find("passed_through") == std::string::npos);
}

TEST_CASE("the CLI names UTF-16 input as such", "[cli]") {
  const std::string u16 = temp_dir() + "/utf16.txt";
  spit(u16, std::string("\xFF\xFEh\0i\0\n\0", 8));
  const run_result r = run("'" + u16 + "'");
  CHECK(r.status == 0);
  CHECK(r.out == std::string("\xFF\xFEh\0i\0\n\0", 8));  // passed through unchanged
  CHECK(r.err.find("utf16.txt:1: invalid UTF-8 at byte 0 (the input starts with a UTF-16 byte "
                   "order mark") != std::string::npos);
  CHECK(run("--strict '" + u16 + "'").status == 1);
}

#endif  // PARADEDUP_CLI

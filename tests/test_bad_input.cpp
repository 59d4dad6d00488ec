// The bad-input matrix (issue 4, "Hardening"), end to end through the CLI: one TEST_CASE per
// row, in single-document mode and, where the row applies, with --corpus and --jsonl. Each
// checks the exit status, that the message names the input and the byte offset or line, and
// that no byte is lost: every byte of the input that is not a repeat is in the output (an input
// without repeats, or a document or record passed through, comes back byte for byte).
// tests/bad_input_matrix.sh runs the same rows against a CLI binary and prints them as a table.
//
// Rows tested elsewhere are not repeated: test_cli.cpp (invalid UTF-8 C3 28 with skip, strict,
// replace and fail; FF in CR-terminated text; NUL bytes in text; an empty file, a missing file
// and a directory in single-document mode; UTF-16 LE with a BOM), test_cli_corpus.cpp (JSON
// Lines with text as a number and a string cut off before the line end; an index made with
// --shingle 4, truncated, bit-flipped, from format version 9, or a directory; a missing file
// in --corpus mode).
#include <catch2/catch.hpp>

#include <sys/stat.h>      // chmod, mkdir
#include <sys/wait.h>      // WEXITSTATUS
#include <unistd.h>        // geteuid

#include <algorithm>  // std::min, std::equal
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "paradedup/corpus_index.hpp"  // format_version

#ifdef PARADEDUP_CLI

#include "cli_helpers.hpp"

using namespace cli_test;

namespace {

std::string path(const std::string& name) { return temp_dir() + "/" + name; }

std::string q(const std::string& p) { return "'" + p + "'"; }

std::string cli() { return q(PARADEDUP_CLI); }

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// Runs a shell script (sh), capturing its stdout and stderr.
run_result sh(const std::string& script) {
  const std::string file = path("script.sh"), out = path("sh.out"), err = path("sh.err");
  spit(file, script + "\n");
  const int raw = std::system(("sh " + q(file) + " >" + q(out) + " 2>" + q(err)).c_str());
  run_result r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

// Two files with the same bytes, compared 1 MiB at a time (the 200 MB row).
bool same_file(const std::string& a, const std::string& b) {
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  if (!fa || !fb) return false;
  std::vector<char> ba(1 << 20), bb(1 << 20);
  for (;;) {
    fa.read(ba.data(), static_cast<std::streamsize>(ba.size()));
    fb.read(bb.data(), static_cast<std::streamsize>(bb.size()));
    if (fa.gcount() != fb.gcount()) return false;
    if (!std::equal(ba.begin(), ba.begin() + fa.gcount(), bb.begin())) return false;
    if (fa.gcount() == 0) return true;
  }
}

// Two paragraphs long enough to be removed on their own, and a third.
const std::string p1 = "A paragraph that is long enough to be compared here.\n";  // 53 bytes
const std::string p2 = "Another paragraph, also long enough to be compared.\n";
const std::string p3 = "A third paragraph that nobody has written before now.\n";

// p without its line end, for a JSON string ("\n" written as the escape \n).
std::string json_line(const std::string& p) { return p.substr(0, p.size() - 1) + "\\n"; }

std::string record(const std::string& id, const std::string& json_text) {
  return "{\"id\":\"" + id + "\",\"text\":\"" + json_text + "\"}\n";
}

// UTF-16 (little or big endian, with its byte order mark) of ASCII text.
std::string utf16(const std::string& ascii, bool little) {
  std::string s = little ? std::string("\xFF\xFE") : std::string("\xFE\xFF");
  for (const char c : ascii) {
    if (little) {
      s += c;
      s += '\0';
    } else {
      s += '\0';
      s += c;
    }
  }
  return s;
}

// A prefix that runs the CLI where permissions apply: "" for an ordinary user; as root,
// setpriv to nobody (so that a root test run still meets an unreadable file); "-" when root
// cannot run the CLI as nobody (no setpriv, or the binary is out of nobody's reach).
std::string unprivileged_prefix() {
  if (::geteuid() != 0) return "";
  const std::string prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
  if (std::system((prefix + cli() + " --version >/dev/null 2>&1").c_str()) != 0) return "-";
  return prefix;
}

// One invalid UTF-8 row: `bad` is put in the second line of a document (and of a JSON Lines
// record), at byte 57 of the document. Skip (the CLI's default) passes the document through
// unchanged, whatever repeats it holds; --strict makes that exit 1; replace compares it, and
// removes the repeat; --corpus passes that one document (the last of three, so that the file
// still ends in the bad bytes) through and still removes the repeats of the others; --jsonl
// passes the record through.
void check_invalid_utf8(const std::string& name, const std::string& bad, bool at_end) {
  const std::string file = path(name + ".txt");
  const std::string text = p1 + "bad " + bad + (at_end ? "" : " bytes\n" + p1);
  spit(file, text);
  const std::string where = name + ".txt:2: invalid UTF-8 at byte 57";

  const run_result skip = run(q(file));
  CHECK(skip.status == 0);
  CHECK(skip.out == text);
  CHECK(has(skip.err, where + "; document passed through unchanged"));
  const run_result strict = run("--strict " + q(file));
  CHECK(strict.status == 1);
  CHECK(strict.out == text);
  CHECK(has(strict.err, where));
  const run_result replace = run("--on-invalid replace " + q(file));
  CHECK(replace.status == 0);
  CHECK(replace.out == (at_end ? text : p1 + "bad " + bad + " bytes\n"));

  // The second document repeats the first; the third is the bad one.
  const std::string corpus = path(name + "_corpus.txt");
  spit(corpus, p2 + "\f\n" + p2 + p3 + "\f\n" + text);
  const run_result c = run("--corpus " + q(corpus));
  CHECK(c.status == 0);
  CHECK(c.out == p2 + "\f\n" + p3 + "\f\n" + text);
  // FILE:LINE of the bad byte: document 3 starts at line 6 (1 + separator + 2 + separator).
  CHECK(has(c.err, name + "_corpus.txt:7: document " + corpus +
                       "#3: invalid UTF-8 at byte 57"));
  CHECK(has(c.err, "1 documents passed through"));
  CHECK(run("--corpus --strict " + q(corpus)).status == 1);

  const std::string jsonl = path(name + ".jsonl");
  const std::string rec = record("r", json_line(p1) + "bad " + bad + " bytes\\n" + json_line(p1));
  const std::string good = record("g", json_line(p2) + json_line(p2));
  spit(jsonl, rec + good);
  const run_result j = run("--jsonl " + q(jsonl));
  CHECK(j.status == 0);
  CHECK(j.out == rec + record("g", json_line(p2)));
  CHECK(has(j.err, name + ".jsonl:1: invalid UTF-8 at byte " + std::to_string(rec.find(bad)) +
                       "; record passed through unchanged"));
  CHECK(has(j.err, "1 bad records (passed through)"));
}

}  // namespace

TEST_CASE("bad input: overlong UTF-8 (C0 AF, a 2-byte '/')", "[cli][bad-input]") {
  check_invalid_utf8("overlong", "\xC0\xAF", false);
}

TEST_CASE("bad input: a UTF-16 surrogate in UTF-8 (ED A0 80)", "[cli][bad-input]") {
  check_invalid_utf8("surrogate", "\xED\xA0\x80", false);
}

TEST_CASE("bad input: a sequence truncated at the end of the file (E4 B8)", "[cli][bad-input]") {
  check_invalid_utf8("truncated", "\xE4\xB8", true);
}

TEST_CASE("bad input: NUL bytes, in text and in JSON Lines", "[cli][bad-input]") {
  static const char raw[] = "A paragraph with a \0 byte, long enough to count.\n";
  const std::string nul_p(raw, sizeof raw - 1);
  SECTION("text: a NUL is a character; its paragraph's repeat is removed, the NUL kept") {
    spit(path("nul.txt"), nul_p + p2 + nul_p);
    const run_result r = run(q(path("nul.txt")));
    CHECK(r.status == 0);
    CHECK(r.out == nul_p + p2);
    CHECK(has(r.err, "nul.txt: removed 1 of 3 paragraphs"));
    spit(path("nul_corpus.txt"), nul_p + "\f\n" + p2 + nul_p);
    const run_result c = run("--corpus " + q(path("nul_corpus.txt")));
    CHECK(c.status == 0);
    CHECK(c.out == nul_p + "\f\n" + p2);
  }
  SECTION("JSON Lines: a raw NUL is invalid JSON, the record passes through") {
    const std::string head = "{\"id\":\"raw\",\"text\":\"a raw ";
    const std::string rec = head + '\0' + " byte " + json_line(p1) + "\"}\n";
    spit(path("nul.jsonl"), rec + record("g", json_line(p2) + json_line(p2)));
    const run_result r = run("--jsonl " + q(path("nul.jsonl")));
    CHECK(r.status == 0);
    CHECK(r.out == rec + record("g", json_line(p2)));
    CHECK(has(r.err, "nul.jsonl:1: malformed JSON at byte " + std::to_string(head.size()) +
                         ": control character U+0000 not escaped"));
    CHECK(has(r.err, "1 bad records (passed through)"));
    CHECK(run("--jsonl --strict " + q(path("nul.jsonl"))).status == 1);
  }
  SECTION("JSON Lines: an escaped \\u0000 is text; the record is deduplicated") {
    const std::string nul_json = "A paragraph with a \\u0000 byte, long enough to count.\\n";
    spit(path("nul_esc.jsonl"), record("e", nul_json + json_line(p2) + nul_json));
    const run_result r = run("--jsonl " + q(path("nul_esc.jsonl")));
    CHECK(r.status == 0);
    CHECK(r.out == record("e", nul_json + json_line(p2)));
    CHECK(has(r.err, "removed 1 of 3 paragraphs"));
    CHECK(has(r.err, "0 bad records"));
  }
}

TEST_CASE("bad input: a UTF-8 byte order mark, in every mode", "[cli][bad-input]") {
  const std::string bom = "\xEF\xBB\xBF";
  // The BOM stays with the first paragraph; a repeat is found across it.
  spit(path("bom.txt"), bom + p1 + p2 + p1);
  const run_result r = run(q(path("bom.txt")));
  CHECK(r.status == 0);
  CHECK(r.out == bom + p1 + p2);
  // Corpus: a document starting with a BOM repeats a paragraph of the one before; the second
  // document's BOM stays although its first paragraph goes.
  spit(path("bom_corpus.txt"), bom + p1 + p2 + "\f\n" + bom + p1 + p3);
  const run_result c = run("--corpus " + q(path("bom_corpus.txt")));
  CHECK(c.status == 0);
  CHECK(c.out == bom + p1 + p2 + "\f\n" + bom + p3);
  CHECK(has(c.err, "removed 1 of 4 paragraphs (0 within documents, 1 seen in earlier"));
  // JSON Lines: a BOM before the first record is kept; the record is read.
  const std::string rec = bom + record("b", json_line(p1) + json_line(p1));
  spit(path("bom.jsonl"), rec);
  const run_result j = run("--jsonl " + q(path("bom.jsonl")));
  CHECK(j.status == 0);
  CHECK(j.out == bom + record("b", json_line(p1)));
  CHECK(has(j.err, "0 bad records"));
}

TEST_CASE("bad input: UTF-16 (LE and BE, with a BOM) in every mode", "[cli][bad-input]") {
  for (const bool little : {true, false}) {
    const std::string name = little ? "utf16le" : "utf16be";
    INFO(name);
    // A repeated paragraph: passed through all the same, never half-deduplicated.
    const std::string text = utf16(p1 + p1, little);
    spit(path(name + ".txt"), text);
    const std::string hint = "invalid UTF-8 at byte 0 (the input starts with a UTF-16 byte "
                             "order mark";
    if (!little) {  // little endian in single-document mode: test_cli.cpp
      const run_result r = run(q(path(name + ".txt")));
      CHECK(r.status == 0);
      CHECK(r.out == text);
      CHECK(has(r.err, name + ".txt:1: " + hint));
    }
    const run_result c = run("--corpus " + q(path(name + ".txt")));
    CHECK(c.status == 0);
    CHECK(c.out == text);
    CHECK(has(c.err, name + ".txt:1: document " + path(name + ".txt") + ": " + hint));
    CHECK(has(c.err, "1 documents passed through"));
    CHECK(run("--corpus --strict " + q(path(name + ".txt"))).status == 1);
    // As JSON Lines every line is a bad record, passed through.
    const std::string json = utf16(record("u", json_line(p1)), little);
    spit(path(name + ".jsonl"), json);
    const run_result j = run("--jsonl " + q(path(name + ".jsonl")));
    CHECK(j.status == 0);
    CHECK(j.out == json);
    CHECK(has(j.err, name + ".jsonl:1: invalid UTF-8 at byte 0; record passed through"));
  }
}

TEST_CASE("bad input: a 200 MB single line (20 MB in a Debug build)", "[cli][bad-input]") {
#ifdef NDEBUG
  const std::size_t size = 200'000'000;
#else
  const std::size_t size = 20'000'000;  // ASan and no optimization: ten times less
#endif
  const std::string big = path("big_line.txt"), out = path("big_line.out");
  {
    // Words, so that every stage has work: tokens, shingles, one paragraph.
    std::string chunk;
    while (chunk.size() < (1 << 20)) chunk += "lorem ipsum dolor sit amet consectetur ";
    std::ofstream f(big, std::ios::binary);
    for (std::size_t done = 0; done < size;) {
      const std::size_t n = std::min(chunk.size(), size - done);
      f.write(chunk.data(), static_cast<std::streamsize>(n));
      done += n;
    }
    f << '\n';
  }
  const std::string bytes = std::to_string(size + 1);
  // Peak memory through /usr/bin/time when there is one (GNU time: -f %M, in KiB).
  const bool timed = std::system("/usr/bin/time -f %M true >/dev/null 2>&1") == 0;
  const std::string mem = path("big_line.mem");
  const std::string timer = timed ? "/usr/bin/time -o " + q(mem) + " -f %M " : "";
  for (const std::string mode : {"", "--corpus "}) {
    INFO("mode: " << mode);
    std::remove(out.c_str());
    const run_result r = sh(timer + cli() + " " + mode + q(big) + " >" + q(out));
    CHECK(r.status == 0);
    CHECK(same_file(big, out));
    CHECK(has(r.err, mode.empty() ? "big_line.txt: removed 0 of 1 paragraphs" : "1 documents"));
    CHECK(has(r.err, "0 of " + bytes + " bytes"));
    if (timed) {
      const std::size_t peak_kib = std::stoul("0" + slurp(mem));
      INFO("peak RSS " << peak_kib / 1024 << " MiB for a " << size / 1000000 << " MB line");
      // 3.2 to 4.6 times the line in Release (0.64 to 0.92 GB measured); at most 8 times
      // plus 0.5 GB.
#ifdef NDEBUG
      CHECK(peak_kib / 1024 < 8 * size / (1 << 20) + 512);
#endif
    }
  }
  std::remove(big.c_str());
  std::remove(out.c_str());
}

TEST_CASE("bad input: 1 million tiny paragraphs (100,000 in a Debug build)", "[cli][bad-input]") {
#ifdef NDEBUG
  const int n = 1'000'000;
#else
  const int n = 100'000;
#endif
  // Short paragraphs (fewer than 20 letters) are never removed alone, however often they
  // repeat: both inputs come back unchanged.
  std::string same, distinct;
  same.reserve(2 * static_cast<std::size_t>(n));
  for (int k = 0; k < n; ++k) same += "a\n";
  char line[32];
  for (int k = 0; k < n; ++k) {
    std::snprintf(line, sizeof line, "l%07d\n", k);
    distinct += line;
  }
  spit(path("tiny_same.txt"), same);
  spit(path("tiny_distinct.txt"), distinct);
  const std::string count = "removed 0 of " + std::to_string(n) + " paragraphs";
  const run_result a = run(q(path("tiny_same.txt")));
  CHECK(a.status == 0);
  CHECK(a.out == same);
  CHECK(has(a.err, "tiny_same.txt: " + count));
  const run_result d = run(q(path("tiny_distinct.txt")));
  CHECK(d.status == 0);
  CHECK(d.out == distinct);
  CHECK(has(d.err, "tiny_distinct.txt: " + count));
  // Corpus mode: the same paragraphs as one document (the index is not touched by them).
  const run_result c = run("--corpus " + q(path("tiny_same.txt")));
  CHECK(c.status == 0);
  CHECK(c.out == same);
  CHECK(has(c.err, count));
  std::remove(path("tiny_same.txt").c_str());
  std::remove(path("tiny_distinct.txt").c_str());
}

TEST_CASE("bad input: an empty file in corpus and JSON Lines mode", "[cli][bad-input]") {
  spit(path("empty.txt"), "");
  for (const std::string mode : {"--corpus", "--jsonl"}) {
    INFO(mode);
    const run_result r = run(mode + " " + q(path("empty.txt")));
    CHECK(r.status == 0);
    CHECK(r.out.empty());
    CHECK(has(r.err, "corpus: 0 documents"));
  }
  // Between two inputs it is nothing: the second still loses what the first held.
  spit(path("e1.txt"), p1 + p2);
  spit(path("e2.txt"), p1 + p3);
  const run_result r =
      run("--corpus " + q(path("e1.txt")) + " " + q(path("empty.txt")) + " " + q(path("e2.txt")));
  CHECK(r.status == 0);
  CHECK(r.out == p1 + p2 + p3);
  CHECK(has(r.err, "corpus: 2 documents"));
  spit(path("e.jsonl"), record("a", json_line(p1)));
  spit(path("e2.jsonl"), record("b", json_line(p1) + json_line(p3)));
  const run_result j = run("--jsonl " + q(path("e.jsonl")) + " " + q(path("empty.txt")) + " " +
                           q(path("e2.jsonl")));
  CHECK(j.status == 0);
  CHECK(j.out == record("a", json_line(p1)) + record("b", json_line(p3)));
}

TEST_CASE("bad input: a directory in corpus and JSON Lines mode", "[cli][bad-input]") {
  const std::string dir = path("a_dir");
  ::mkdir(dir.c_str(), 0755);
  spit(path("d1.txt"), p1 + p2);
  for (const std::string mode : {"--corpus", "--jsonl"}) {
    INFO(mode);
    const run_result r = run(mode + " " + q(dir));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(has(r.err, "paradedup: error: " + dir + ": is a directory"));
  }
  // After a good input: its output is written, the run fails, -o and --index are not touched.
  const run_result r = run("--corpus " + q(path("d1.txt")) + " " + q(dir));
  CHECK(r.status == 1);
  CHECK(r.out == p1 + p2);
  spit(path("d_out.txt"), "previous\n");
  const run_result o = run("--corpus -o " + q(path("d_out.txt")) + " --index " +
                           q(path("d_none.idx")) + " " + q(path("d1.txt")) + " " + q(dir));
  CHECK(o.status == 1);
  CHECK(has(o.err, path("d_out.txt") + ": not written"));
  CHECK(slurp(path("d_out.txt")) == "previous\n");
  struct stat st {};
  CHECK(::stat(path("d_none.idx").c_str(), &st) != 0);
}

TEST_CASE("bad input: a missing file in JSON Lines mode, and -o/--index left alone",
          "[cli][bad-input]") {
  const std::string missing = path("missing.jsonl");
  std::remove(missing.c_str());
  const run_result r = run("--jsonl " + q(missing));
  CHECK(r.status == 1);
  CHECK(has(r.err, "paradedup: error: " + missing + ": No such file or directory"));
  // A saved index is not updated by a run that lost an input.
  spit(path("m1.txt"), p1);
  spit(path("m2.txt"), p2);
  std::remove(path("m.idx").c_str());
  REQUIRE(run("--corpus -q --index " + q(path("m.idx")) + " " + q(path("m1.txt"))).status == 0);
  const std::string before = slurp(path("m.idx"));
  const run_result c = run("--corpus --index " + q(path("m.idx")) + " " + q(path("m2.txt")) +
                           " " + q(path("missing.txt")));
  CHECK(c.status == 1);
  CHECK(c.out == p2);  // the input that was there is not lost
  CHECK(has(c.err, path("missing.txt") + ": No such file or directory"));
  CHECK(has(c.err, path("m.idx") + ": not updated"));
  CHECK(slurp(path("m.idx")) == before);
}

TEST_CASE("bad input: an unreadable file (mode 000), in every mode", "[cli][bad-input]") {
  const std::string prefix = unprivileged_prefix();
  if (prefix == "-") {
    WARN("running as root and setpriv cannot drop privileges: unreadable files not tested");
    return;
  }
  const std::string dir = path("locked");
  ::mkdir(dir.c_str(), 0755);
  ::chmod(temp_dir().c_str(), 0755);
  const std::string secret = dir + "/secret.txt";
  spit(secret, p1 + p1);
  ::chmod(secret.c_str(), 0);
  for (const std::string mode : {"", "--corpus ", "--jsonl "}) {
    INFO("mode: " << mode);
    const run_result r = sh(prefix + cli() + " " + mode + q(secret));
    CHECK(r.status == 1);
    CHECK(r.out.empty());
    CHECK(has(r.err, "paradedup: error: " + secret + ": Permission denied"));
  }
  // An unreadable index is refused, not replaced.
  spit(path("u.txt"), p1);
  const std::string idx = dir + "/locked.idx";
  std::remove(idx.c_str());
  REQUIRE(run("--corpus -q --index " + q(idx) + " " + q(path("u.txt"))).status == 0);
  const std::string before = slurp(idx);
  ::chmod(idx.c_str(), 0);
  const run_result r = sh(prefix + cli() + " --corpus --index " + q(idx) + " " + q(path("u.txt")));
  CHECK(r.status == 1);
  CHECK(has(r.err, "paradedup: error: " + idx + ": cannot open: Permission denied"));
  ::chmod(idx.c_str(), 0644);
  CHECK(slurp(idx) == before);
  ::chmod(secret.c_str(), 0644);
}

TEST_CASE("bad input: a file that changes while it is read", "[cli][bad-input]") {
  // Lines whose every word is unique: nothing in them is a repeat.
  std::string lines;
  for (int k = 1; k <= 40; ++k) {
    const std::string w = "w" + std::to_string(k);
    lines += w + "a " + w + "b " + w + "c " + w + "d " + w + "e " + w + "f\n";
  }
  spit(path("fifo_src.txt"), lines);
  SECTION("a FIFO written line by line while the CLI reads it: all of it comes out") {
    for (const std::string mode : {"", "--corpus "}) {
      INFO("mode: " << mode);
      // After the run, opening the FIFO read-write frees a writer that no reader ever
      // met, so that `wait` cannot hang.
      const run_result r = sh("set -e; cd " + q(temp_dir()) + "; rm -f fifo; mkfifo fifo\n" +
                              "(while IFS= read -r l; do printf '%s\\n' \"$l\"; sleep 0.01; "
                              "done < fifo_src.txt > fifo) &\n" + cli() + " " + mode +
                              "fifo && status=0 || status=$?\nexec 3<>fifo; wait; exit $status");
      CHECK(r.status == 0);
      CHECK(r.out == lines);
    }
  }
  SECTION("a file appended to during the run: a prefix of it, at least what was there") {
#ifdef NDEBUG
    const int lines_at_start = 200'000;
#else
    const int lines_at_start = 50'000;
#endif
    std::string start;
    char line[32];
    for (int k = 1; k <= lines_at_start; ++k) {
      std::snprintf(line, sizeof line, "n%08d\n", k);  // fixed width: a cut line is no repeat
      start += line;
    }
    for (const std::string mode : {"", "--corpus "}) {
      INFO("mode: " << mode);
      const std::string name = mode.empty() ? "growing" : "growing_corpus";
      spit(path(name + ".txt"), start);
      std::remove(path(name + ".stop").c_str());
      // The writer appends 1000 lines every 10 ms until told to stop, then is waited for.
      const run_result r =
          sh("cd " + q(temp_dir()) + "\n" + "(k=200001; while [ ! -e " + name +
             ".stop ]; do seq -f 'n%08.0f' $k $((k + 999)); k=$((k + 1000)); sleep 0.01; "
             "done >> " + name + ".txt) & writer=$!\n" + cli() + " -q " + mode + name +
             ".txt > " + name + ".out; status=$?\ntouch " + name + ".stop; wait $writer; " +
             "exit $status");
      CHECK(r.status == 0);
      const std::string out = slurp(path(name + ".out"));
      const std::string final_text = slurp(path(name + ".txt"));
      CHECK(out.size() >= start.size());
      CHECK(final_text.compare(0, out.size(), out) == 0);  // a prefix: nothing lost or reordered
    }
  }
}

TEST_CASE("bad input: malformed JSON Lines records pass through, huge numbers do not",
          "[cli][bad-input]") {
  const std::string f = path("malformed.jsonl");
  SECTION("text that is not a string: null, object, array, boolean") {
    const std::string recs = "{\"id\":\"x\",\"text\":null}\n{\"id\":\"y\",\"text\":{\"a\":1}}\n"
                             "{\"id\":\"z\",\"text\":[\"a\"]}\n{\"id\":\"t\",\"text\":true}\n";
    spit(f, recs);
    const run_result r = run("--jsonl " + q(f));
    CHECK(r.status == 0);
    CHECK(r.out == recs);
    CHECK(has(r.err, "malformed.jsonl:1: field \"text\" at byte 17 is null, not a string"));
    CHECK(has(r.err, "malformed.jsonl:2: field \"text\" at byte 17 is an object, not a string"));
    CHECK(has(r.err, "malformed.jsonl:3: field \"text\" at byte 17 is an array, not a string"));
    CHECK(has(r.err, "malformed.jsonl:4: field \"text\" at byte 17 is a boolean, not a string"));
    CHECK(has(r.err, "4 bad records (passed through)"));
    const run_result skip = run("--jsonl -q --bad-records skip " + q(f));
    CHECK(skip.status == 0);
    CHECK(skip.out.empty());
  }
  SECTION("a last line truncated mid-string, without a line end: kept as it was") {
    const std::string good = record("g", json_line(p1) + json_line(p1));
    const std::string cut = "{\"id\":\"cut\",\"text\":\"A paragraph that is long enou";
    const std::string cut_object = "{\"id\":\"obj\",\"text\":\"abc\",\n";
    spit(f, good + cut_object + cut);
    const run_result r = run("--jsonl " + q(f));
    CHECK(r.status == 0);
    CHECK(r.out == record("g", json_line(p1)) + cut_object + cut);  // still no final line end
    CHECK(has(r.err, "malformed.jsonl:2: malformed JSON at byte "));
    CHECK(has(r.err, "malformed.jsonl:3: malformed JSON at byte 19: string not closed"));
    CHECK(run("--jsonl -q --strict " + q(f)).status == 1);
  }
  SECTION("huge numbers in other fields: 1e999999, -1e-999999, a 400-digit integer") {
    const std::string digits(400, '9');
    const std::string head = "{\"id\":\"h\",\"big\":1e999999,\"small\":-1e-999999,\"n\":" + digits +
                             ",\"text\":\"";
    const std::string tail = "\",\"m\":-" + digits + "}\n";
    spit(f, head + json_line(p1) + json_line(p2) + json_line(p1) + tail);
    const run_result r = run("--jsonl " + q(f));
    CHECK(r.status == 0);
    CHECK(r.out == head + json_line(p1) + json_line(p2) + tail);  // processed like any record
    CHECK(has(r.err, "removed 1 of 3 paragraphs"));
    CHECK(has(r.err, "0 bad records"));
    // A 400-digit id names the document.
    spit(f, "{\"id\":" + digits + ",\"text\":\"" + json_line(p1) + json_line(p1) + "\"}\n");
    const run_result id = run("--jsonl -q --report - " + q(f));
    CHECK(id.status == 0);
    CHECK(has(id.err, "{\"document\":\"" + digits + "\""));
  }
  SECTION("100000-deep nesting: before the text, after it, and never closed") {
    const std::string open(100000, '['), close(100000, ']');
    const std::string before = "{\"id\":\"d\",\"meta\":" + open + close + ",\"text\":\"x\"}\n";
    const std::string after = "{\"id\":\"e\",\"text\":\"x\",\"meta\":" + open + close + "}\n";
    const std::string unclosed = open + "\n";
    const std::string good = record("g", json_line(p1) + json_line(p1));
    spit(f, before + after + unclosed + good);
    const run_result r = run("--jsonl " + q(f));
    CHECK(r.status == 0);
    CHECK(r.out == before + after + unclosed + record("g", json_line(p1)));
    // The first bracket past the limit: the object is level 1, the 1024th '[' level 1025.
    CHECK(has(r.err, "malformed.jsonl:1: malformed JSON at byte " +
                         std::to_string(before.find('[') + 1023) +
                         ": arrays and objects nested deeper than 1024 levels"));
    CHECK(has(r.err, "malformed.jsonl:2: malformed JSON at byte "));
    CHECK(has(r.err, "malformed.jsonl:3: malformed JSON at byte "));
    CHECK(has(r.err, "3 bad records (passed through)"));
  }
}

TEST_CASE("bad input: index files that cannot be used are refused and left as they were",
          "[cli][bad-input]") {
  spit(path("ix.txt"), p1 + p2);
  const std::string good_idx = path("good.idx");
  std::remove(good_idx.c_str());
  REQUIRE(run("--corpus -q --index " + q(good_idx) + " " + q(path("ix.txt"))).status == 0);
  const std::string good = slurp(good_idx);
  REQUIRE(good.size() > 64);

  struct bad_index {
    std::string name, bytes, flags, message;
  };
  std::string flipped = good, last_flipped = good, future = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x10);
  last_flipped.back() = static_cast<char>(last_flipped.back() ^ 1);
  future[8] = static_cast<char>(paradedup::corpus_index::format_version + 1);
  const std::vector<bad_index> rows = {
      {"truncated.idx", good.substr(0, good.size() - 1), "", "corrupt index"},
      {"header_only.idx", good.substr(0, 16), "", "corrupt index"},
      {"flipped.idx", flipped, "", "corrupt index: checksum mismatch"},
      {"checksum_flipped.idx", last_flipped, "", "corrupt index: checksum mismatch"},
      {"future.idx", future, "",
       "index format version " + std::to_string(paradedup::corpus_index::format_version + 1) +
           ", this build reads version " +
           std::to_string(paradedup::corpus_index::format_version)},
      {"settings.idx", good, "--fold-digits ", "index made with other settings"},
      {"kind.idx", good, "--bloom 1e-3 ", "an exact index; --bloom asks for a Bloom one"},
      {"text.idx", "not an index at all\n", "", "corrupt index at byte 0: not a paradedup index"},
      {"empty.idx", "", "", "corrupt index at byte 0: not a paradedup index"},
  };
  for (const bad_index& row : rows) {
    INFO(row.name);
    const std::string idx = path(row.name), out = path("ix_out.txt");
    spit(idx, row.bytes);
    spit(out, "previous\n");
    const run_result r = run("--corpus " + row.flags + "-o " + q(out) + " --index " + q(idx) +
                             " " + q(path("ix.txt")));
    CHECK(r.status == 1);
    CHECK(has(r.err, "paradedup: error: " + idx + ": " + row.message));
    CHECK(slurp(idx) == row.bytes);          // the index is left as it was
    CHECK(slurp(out) == "previous\n");       // and so is the output
    if (row.flags.empty()) {                 // --merge-index refuses it too, either side
      std::remove(path("merged.idx").c_str());
      const run_result m = run("--merge-index " + q(good_idx) + " " + q(idx) + " -o " +
                               q(path("merged.idx")));
      CHECK(m.status == 1);
      CHECK(has(m.err, "paradedup: error: " + idx + ": " + row.message));
      struct stat st {};
      CHECK(::stat(path("merged.idx").c_str(), &st) != 0);
    }
  }
  // A directory as --merge-index input (as --index: test_cli_corpus.cpp).
  const run_result d = run("--merge-index " + q(temp_dir()) + " " + q(good_idx) + " -o " +
                           q(path("merged.idx")));
  CHECK(d.status == 1);
  CHECK(has(d.err, temp_dir() + ": is a directory, not an index file"));
  CHECK(slurp(good_idx) == good);
}

#endif  // PARADEDUP_CLI

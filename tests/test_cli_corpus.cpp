// End-to-end tests of `paradedup --corpus` and `--jsonl`: documents, output form, index files,
// resume and merge, thread counts, keep policies, bad records.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "cli_helpers.hpp"

#ifdef PARADEDUP_CLI

using namespace cli_test;

namespace {

std::string path(const std::string& name) { return temp_dir() + "/" + name; }

std::string q(const std::string& p) { return "'" + p + "'"; }

// Documents sharing boilerplate, a reprinted paragraph, and Chinese in both scripts.
const std::vector<std::string> docs = {
    "Local council approves the new budget for the coming year after a long debate.\n"
    "All rights reserved. Reproduction without permission is prohibited by law.\n",
    "Heavy rain is expected across the region for the rest of the week, forecasters say.\n"
    "The agency reported that exports grew by four percent in the third quarter.\n"
    "All rights reserved. Reproduction without permission is prohibited by law.\n",
    "国务院今天召开常务会议，部署进一步扩大内需、促进经济平稳增长的措施。\n"
    "The agency reported that exports grew by four percent in the third quarter.\n",
    "國務院今天召開常務會議，部署進一步擴大內需、促進經濟平穩增長的措施。\n"
    "A brand new paragraph that nobody has written before in this corpus at all.\n"};

std::string joined(std::size_t from, std::size_t to) {
  std::string s;
  for (std::size_t d = from; d < to; ++d) {
    if (d > from) s += "\f\n";
    s += docs[d];
  }
  return s;
}

}  // namespace

TEST_CASE("corpus CLI: removes what earlier documents held, keeps form feeds", "[cli][corpus]") {
  spit(path("c.txt"), joined(0, 4));
  const run_result r = run("--corpus --report - " + q(path("c.txt")));
  REQUIRE(r.status == 0);
  CHECK(r.out ==
        "Local council approves the new budget for the coming year after a long debate.\n"
        "All rights reserved. Reproduction without permission is prohibited by law.\n"
        "\f\n"
        "Heavy rain is expected across the region for the rest of the week, forecasters say.\n"
        "The agency reported that exports grew by four percent in the third quarter.\n"
        "\f\n"
        "国务院今天召开常务会议，部署进一步扩大内需、促进经济平稳增长的措施。\n"
        "\f\n"
        "A brand new paragraph that nobody has written before in this corpus at all.\n");
  // Provenance: document ids are FILE#N; the Traditional copy names the Simplified one.
  CHECK(r.err.find("\"source\":{\"document\":\"" + path("c.txt") +
                   "#1\",\"document_index\":0,\"paragraph\":1}") != std::string::npos);
  CHECK(r.err.find("\"source\":{\"document\":\"" + path("c.txt") +
                   "#3\",\"document_index\":2,\"paragraph\":0}") != std::string::npos);
  CHECK(r.err.find("4 documents, removed 3 of 9 paragraphs") != std::string::npos);
  // The index line states bytes per shingle without the fixed shard directory, and the
  // directory apart (a few shingles must not read as thousands of bytes each).
  const auto at = r.err.find("(exact, shingle store ");
  REQUIRE(at != std::string::npos);
  const double per_shingle = std::stod(r.err.substr(at + 22));
  CHECK(per_shingle > 6.0);
  CHECK(per_shingle < 100.0);
  CHECK(r.err.find(" bytes per shingle plus a 1 MiB shard directory)") != std::string::npos);
}

TEST_CASE("corpus CLI: the same output and index for 1 and 2 threads", "[cli][corpus][threads]") {
  std::string big;
  for (int k = 0; k < 40; ++k) big += (k ? "\f\n" : "") + joined(0, 4);
  spit(path("t.txt"), big);
  const run_result one = run("--corpus -q --threads 1 --index " + q(path("t1.idx")) + " " +
                             q(path("t.txt")));
  const run_result two = run("--corpus -q --threads 2 --index " + q(path("t2.idx")) + " " +
                             q(path("t.txt")));
  REQUIRE(one.status == 0);
  REQUIRE(two.status == 0);
  CHECK(one.out == two.out);
  CHECK(slurp(path("t1.idx")) == slurp(path("t2.idx")));
  // More threads than any machine here has: all cores, the same output, and stderr stays
  // empty under -q (oneTBB warned about the workers it would not start).
  const run_result many = run("--corpus -q --threads 64 " + q(path("t.txt")));
  REQUIRE(many.status == 0);
  CHECK(many.out == one.out);
  CHECK(many.err.empty());
}

TEST_CASE("corpus CLI: resuming from a saved index equals one run; merged shards equal the whole",
          "[cli][corpus]") {
  spit(path("all.txt"), joined(0, 4));
  spit(path("h1.txt"), joined(0, 2));
  spit(path("h2.txt"), joined(2, 4));
  std::remove(path("all.idx").c_str());
  std::remove(path("resume.idx").c_str());
  std::remove(path("s1.idx").c_str());
  std::remove(path("s2.idx").c_str());
  const run_result whole = run("--corpus -q --index " + q(path("all.idx")) + " " +
                               q(path("all.txt")));
  REQUIRE(whole.status == 0);
  const run_result first = run("--corpus -q --index " + q(path("resume.idx")) + " " +
                               q(path("h1.txt")));
  const run_result second = run("--corpus -q --index " + q(path("resume.idx")) + " " +
                                q(path("h2.txt")));
  REQUIRE(first.status == 0);
  REQUIRE(second.status == 0);
  CHECK(first.out + "\f\n" + second.out == whole.out);
  // Shards indexed separately, then merged: the same bytes as the resumed index (the same
  // documents under the same ids).
  (void)run("--corpus -q --index " + q(path("s1.idx")) + " " + q(path("h1.txt")));
  (void)run("--corpus -q --index " + q(path("s2.idx")) + " " + q(path("h2.txt")));
  const run_result merged = run("--merge-index " + q(path("s1.idx")) + " " + q(path("s2.idx")) +
                                " -o " + q(path("merged.idx")));
  REQUIRE(merged.status == 0);
  CHECK(slurp(path("merged.idx")) == slurp(path("resume.idx")));
}

TEST_CASE("corpus CLI: index files made otherwise, damaged or from the future are refused",
          "[cli][corpus]") {
  spit(path("d.txt"), joined(0, 2));
  std::remove(path("s4.idx").c_str());
  REQUIRE(run("--corpus -q --shingle 4 --index " + q(path("s4.idx")) + " " + q(path("d.txt")))
              .status == 0);
  const std::string good = slurp(path("s4.idx"));
  const run_result other = run("--corpus -q --index " + q(path("s4.idx")) + " " + q(path("d.txt")));
  CHECK(other.status == 1);
  CHECK(other.err.find("index made with other settings") != std::string::npos);
  CHECK(other.err.find("shingle=4") != std::string::npos);
  CHECK(slurp(path("s4.idx")) == good);  // untouched

  spit(path("trunc.idx"), good.substr(0, good.size() / 2));
  const run_result trunc =
      run("--corpus -q --shingle 4 --index " + q(path("trunc.idx")) + " " + q(path("d.txt")));
  CHECK(trunc.status == 1);
  CHECK(trunc.err.find("corrupt index") != std::string::npos);
  CHECK(slurp(path("trunc.idx")) == good.substr(0, good.size() / 2));

  std::string flipped = good;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 1);
  spit(path("flip.idx"), flipped);
  const run_result flip =
      run("--corpus -q --shingle 4 --index " + q(path("flip.idx")) + " " + q(path("d.txt")));
  CHECK(flip.status == 1);
  CHECK(flip.err.find("checksum mismatch") != std::string::npos);

  std::string future = good;
  future[8] = 9;
  spit(path("future.idx"), future);
  const run_result fut =
      run("--corpus -q --shingle 4 --index " + q(path("future.idx")) + " " + q(path("d.txt")));
  CHECK(fut.status == 1);
  CHECK(fut.err.find("format version 9") != std::string::npos);

  const run_result dir = run("--corpus -q --index " + q(temp_dir()) + " " + q(path("d.txt")));
  CHECK(dir.status == 1);
  CHECK(dir.err.find("is a directory") != std::string::npos);
}

TEST_CASE("corpus CLI: JSON Lines keep other fields, pass bad records through, count them",
          "[cli][corpus]") {
  const std::string rec1 =
      "{\"id\":\"a\",\"meta\":{\"n\":1,\"big\":1e999},\"text\":\"First story about the river "
      "and the town.\\nAll rights reserved. Reproduction without permission is prohibited.\\n\"}";
  const std::string rec2 =
      "{\"text\":\"All rights reserved. Reproduction without permission is prohibited.\\n\", "
      "\"id\": \"b\", \"tags\": [1, 2, {\"x\": null}]}";
  const std::string bad1 = "{\"id\":\"c\",\"text\":42}";
  const std::string bad2 = "{\"id\":\"d\",\"text\":\"cut off";
  spit(path("r.jsonl"), rec1 + "\n" + bad1 + "\n" + rec2 + "\n" + bad2 + "\n");
  const run_result r = run("--jsonl --report " + q(path("r.report")) + " " + q(path("r.jsonl")));
  REQUIRE(r.status == 0);
  CHECK(r.out == rec1 + "\n" + bad1 + "\n" +
                     "{\"text\":\"\", \"id\": \"b\", \"tags\": [1, 2, {\"x\": null}]}\n" + bad2 +
                     "\n");
  CHECK(r.err.find("r.jsonl:2: ") != std::string::npos);
  CHECK(r.err.find("r.jsonl:4: ") != std::string::npos);
  CHECK(r.err.find("2 bad records (passed through)") != std::string::npos);
  CHECK(slurp(path("r.report")).find("\"document\":\"a\"") != std::string::npos);

  const run_result skip = run("--jsonl -q --bad-records skip --drop-empty " + q(path("r.jsonl")));
  CHECK(skip.status == 0);
  CHECK(skip.out == rec1 + "\n");
  const run_result strict = run("--jsonl -q --strict " + q(path("r.jsonl")));
  CHECK(strict.status == 1);

  // --stats adds the statistics to each record.
  const run_result stats = run("--jsonl -q --stats " + q(path("r.jsonl")));
  CHECK(stats.status == 0);
  CHECK(stats.out.find("\"paradedup_stats\":{") != std::string::npos);
}

TEST_CASE("corpus CLI: keep none, two-pass, Bloom, standard input", "[cli][corpus]") {
  spit(path("k.txt"), joined(0, 4));
  const run_result none = run("--corpus -q --keep none " + q(path("k.txt")));
  REQUIRE(none.status == 0);
  // The boilerplate and the reprinted paragraph go from every document; the Chinese pair too.
  CHECK(none.out.find("All rights reserved") == std::string::npos);
  CHECK(none.out.find("exports grew") == std::string::npos);
  CHECK(none.out.find("国务院") == std::string::npos);
  CHECK(none.out.find("Local council") != std::string::npos);

  const run_result one = run("--corpus -q " + q(path("k.txt")));
  const run_result two = run("--corpus -q --two-pass " + q(path("k.txt")));
  const run_result in = run("--corpus -q --two-pass -", path("k.txt"));
  const run_result bloom = run("--corpus --report - --bloom 1e-4 " + q(path("k.txt")));
  REQUIRE(one.status == 0);
  CHECK(two.out == one.out);
  CHECK(in.out == one.out);
  CHECK(bloom.out == one.out);
  CHECK(bloom.err.find("\"approximate\":true,\"source\":null") != std::string::npos);

  // keep longest: the longer document keeps the shared paragraph, in either order.
  const std::string shared = "A shared paragraph, long enough to be removed on its own.\n";
  const std::string longer = "The longer document opens with a paragraph of its own words.\n";
  spit(path("l1.txt"), shared + "\f\n" + longer + shared);
  spit(path("l2.txt"), longer + shared + "\f\n" + shared);
  const run_result l1 = run("--corpus -q --keep longest " + q(path("l1.txt")));
  const run_result l2 = run("--corpus -q --keep longest --threads 1 " + q(path("l2.txt")));
  CHECK(l1.out == "\f\n" + longer + shared);
  CHECK(l2.out == longer + shared + "\f\n");

  const run_result usage = run("--keep none " + q(path("k.txt")));
  CHECK(usage.status == 2);
  const run_result missing = run("--corpus -q " + q(path("k.txt")) + " " + q(path("nope.txt")));
  CHECK(missing.status == 1);
  CHECK(missing.err.find("nope.txt") != std::string::npos);
}

TEST_CASE("corpus CLI: a two-pass Bloom index is sized from its first pass, an overfull one warns",
          "[cli][corpus]") {
  // 60 documents of 4 lines: one line of boilerplate, three of their own words.
  const char* const words[] = {"amber", "birch", "cobalt", "dune",  "ember", "fjord", "grove",
                               "heron", "inlet", "juniper", "kelp", "lichen", "moss", "nettle"};
  unsigned state = 12345;
  auto word = [&] {
    state = state * 1103515245u + 12345u;
    return std::string(words[(state >> 16) % 14]);
  };
  std::string text;
  for (int d = 0; d < 60; ++d) {
    if (d > 0) text += "\f\n";
    text += "Copyright the example authors; every right reserved for this page.\n";
    for (int k = 0; k < 3; ++k) {
      for (int w = 0; w < 12; ++w) text += word() + (w < 11 ? " " : ".\n");
    }
  }
  spit(path("bl.txt"), text);
  std::remove(path("bl1.idx").c_str());
  std::remove(path("bl2.idx").c_str());
  const run_result one = run("--corpus --bloom 1e-4 --index " + q(path("bl1.idx")) + " " +
                             q(path("bl.txt")));
  const run_result two = run("--corpus --bloom 1e-4 --two-pass --index " + q(path("bl2.idx")) +
                             " " + q(path("bl.txt")));
  REQUIRE(one.status == 0);
  REQUIRE(two.status == 0);
  CHECK(two.out == one.out);
  CHECK(one.out.find("every right reserved") == one.out.rfind("every right reserved"));
  // Without a first pass, sized from the input bytes (a third of them: an upper bound); with
  // one, from the items it will hold: the boilerplate's shingles and the paragraphs.
  const std::size_t size1 = slurp(path("bl1.idx")).size();
  const std::size_t size2 = slurp(path("bl2.idx")).size();
  CHECK(size2 * 2 < size1);  // 6.4 KB against 19.2 KB, each with 3 KB of document ids
  CHECK(one.err.find("false-positive rate now") != std::string::npos);
  CHECK(two.err.find("false-positive rate now") != std::string::npos);
  CHECK(one.err.find("warning") == std::string::npos);
  CHECK(two.err.find("warning") == std::string::npos);

  // Far more items than it was sized for: the rate it now has is said, with the way out.
  const run_result over = run("--corpus -q --bloom 1e-3 --bloom-items 20 " + q(path("bl.txt")));
  REQUIRE(over.status == 0);
  CHECK(over.out.size() <= one.out.size());  // saturated: its false positives remove more
  CHECK(over.err.find("warning: the Bloom filter holds more items than it was sized for") !=
        std::string::npos);
  CHECK(over.err.find("--bloom-items") != std::string::npos);
}

TEST_CASE("corpus CLI: --stats passes a document of invalid UTF-8 through, without stats",
          "[cli][corpus]") {
  const std::string good = "A first document, valid and long enough to be counted here.\n";
  const std::string bad = "A second one with a stray byte \xff in it, passed through.\n";
  spit(path("si.txt"), good + "\f\n" + bad);
  const run_result r = run("--corpus --stats --report - " + q(path("si.txt")));
  REQUIRE(r.status == 0);
  CHECK(r.out == good + "\f\n" + bad);
  CHECK(r.err.find("warning") != std::string::npos);
  // The good document's report line has its statistics; the bad one's has none.
  const std::size_t first = r.err.find("{\"document\"");
  const std::size_t second = r.err.find("{\"document\"", first + 1);
  REQUIRE(second != std::string::npos);
  const std::string line1 = r.err.substr(first, second - first);
  const std::string line2 = r.err.substr(second, r.err.find('\n', second) - second);
  CHECK(line1.find("\"stats\":") != std::string::npos);
  CHECK(line2.find("\"stats\":") == std::string::npos);
}

TEST_CASE("corpus CLI: a two-pass run resumed from an index finds near repeats of it",
          "[cli][corpus]") {
  // Found by a review: the second pass took a shingle seen in one document of its own run for
  // new, even when the loaded index held it, so near repeats of indexed text stayed.
  const std::string para =
      "The committee met on Tuesday evening to discuss the annual budget, the new proposals "
      "for the library building, the repairs to the old bridge over the river, the summer "
      "festival schedule and the hiring of two more teachers for the primary school in the ";
  spit(path("tp1.txt"), para + "downtown district.\n");
  spit(path("tp2.txt"), "Completely unrelated opening line about gardening tomatoes here.\n" +
                            para + "district.\n");  // "downtown" left out
  // A Bloom index holds no source to verify a near repeat against (the no-loss rule): near
  // repeats across documents go with it only under --near-rule similar.
  for (const std::string extra :
       {"", "--bloom 1e-4 --bloom-items 100000 --near-rule similar "}) {
    for (const char* name : {"tp_a.idx", "tp_b.idx"}) std::remove(path(name).c_str());
    REQUIRE(run("--corpus -q " + extra + "--index " + q(path("tp_a.idx")) + " " +
                q(path("tp1.txt"))).status == 0);
    REQUIRE(run("--corpus -q " + extra + "--index " + q(path("tp_b.idx")) + " " +
                q(path("tp1.txt"))).status == 0);
    const run_result one = run("--corpus -q " + extra + "--index " + q(path("tp_a.idx")) + " " +
                               q(path("tp2.txt")));
    const run_result two = run("--corpus -q --two-pass " + extra + "--index " +
                               q(path("tp_b.idx")) + " " + q(path("tp2.txt")));
    REQUIRE(one.status == 0);
    CHECK(one.out == "Completely unrelated opening line about gardening tomatoes here.\n");
    CHECK(two.out == one.out);
  }
  std::remove(path("tp_c.idx").c_str());
  REQUIRE(run("--corpus -q --bloom 1e-4 --bloom-items 100000 --index " + q(path("tp_c.idx")) +
              " " + q(path("tp1.txt"))).status == 0);
  const run_result safe = run("--corpus -q --bloom 1e-4 --bloom-items 100000 --index " +
                              q(path("tp_c.idx")) + " " + q(path("tp2.txt")));
  CHECK(safe.out == slurp(path("tp2.txt")));
}

TEST_CASE("corpus CLI: one path for two outputs is refused, an index that cannot be saved too",
          "[cli][corpus]") {
  // Found by a review: -o X --index X left the index in X and lost the text, with exit 0.
  spit(path("two.txt"), joined(0, 2));
  spit(path("keep.out"), "untouched\n");
  const std::string in = q(path("two.txt"));
  const std::string out = q(path("keep.out"));
  const run_result a = run("--corpus -q --index " + out + " -o " + out + " " + in);
  const run_result b = run("-q --report " + out + " -o " + out + " " + in);
  const run_result c = run("--corpus -q --report " + out + " --index " + out + " " + in);
  // The same file under another name.
  const run_result d = run("-q --report " + q(temp_dir() + "/./keep.out") + " -o " + out + " " + in);
  for (const run_result* r : {&a, &b, &c, &d}) {
    CHECK(r->status == 2);
    CHECK(r->err.find("name the same file") != std::string::npos);
  }
  // Standard input twice: the second would silently be an empty document.
  const run_result twice = run("--corpus -q - -", path("two.txt"));
  CHECK(twice.status == 2);
  CHECK(twice.err.find("standard input (-) is named twice") != std::string::npos);
  CHECK(slurp(path("keep.out")) == "untouched\n");
  // An index in a folder that does not exist: refused before any document is read, and -o
  // is not written.
  const run_result e = run("--corpus -q --index " + q(path("no/such/dir/x.idx")) + " -o " + out +
                           " " + in);
  CHECK(e.status == 1);
  CHECK(e.err.find("the index could not be saved there") != std::string::npos);
  CHECK(slurp(path("keep.out")) == "untouched\n");
}

TEST_CASE("CLI: --report or --index naming an input is refused, -o may clean in place",
          "[cli][corpus]") {
  // Found by a review: --report naming the second input replaced it with the report, exit 0.
  const std::string line = "A paragraph that is long enough to be removed when it repeats.\n";
  const std::string text = line + line + "Another line here.\n";
  spit(path("in_a.txt"), "First file.\n");
  spit(path("in_b.txt"), text);
  const std::string a = q(path("in_a.txt")), b = q(path("in_b.txt"));
  const run_result report = run("-q --report " + b + " " + a + " " + b);
  const run_result report_other_name = run("-q --report " + q(temp_dir() + "/./in_b.txt") + " " + b);
  const run_result index = run("--corpus -q --index " + b + " " + a + " " + b);
  for (const run_result* r : {&report, &report_other_name, &index}) {
    CHECK(r->status == 2);
    CHECK(r->err.find("names an input file, which it would replace") != std::string::npos);
  }
  CHECK(slurp(path("in_b.txt")) == text);
  // -o onto its input cleans it in place.
  const run_result in_place = run("-q -o " + b + " " + b);
  CHECK(in_place.status == 0);
  CHECK(slurp(path("in_b.txt")) == line + "Another line here.\n");
}

TEST_CASE("corpus CLI: an error in one document names it", "[cli][corpus]") {
  // It used to say only "invalid UTF-8 at byte 31", of which document it did not say.
  spit(path("fail.txt"), joined(0, 1) + "\f\nA second document with \xff in it.\n");
  const run_result r = run("--corpus -q --on-invalid fail " + q(path("fail.txt")));
  CHECK(r.status == 1);
  CHECK(r.err.find("error: document " + path("fail.txt") + "#2: invalid UTF-8 at byte 23") !=
        std::string::npos);
}

TEST_CASE("corpus CLI: report lines stay valid JSON for file names that are not UTF-8",
          "[cli][corpus]") {
  const std::string name = path("name\xff.txt");
  spit(name, joined(0, 2));
  for (const char* mode : {"", "--corpus "}) {
    const run_result r = run(std::string(mode) + "-q --report - " + q(name));
    REQUIRE(r.status == 0);
    CHECK(r.err.find("name\xEF\xBF\xBD.txt") != std::string::npos);  // U+FFFD
    CHECK(r.err.find('\xff') == std::string::npos);
  }
  std::remove(name.c_str());
}

TEST_CASE("corpus CLI: a run killed mid-way leaves -o, --report and --index as they were",
          "[cli][corpus]") {
  spit(path("seed.txt"), joined(0, 2));
  std::remove(path("kill.idx").c_str());
  REQUIRE(run("--corpus -q --index " + q(path("kill.idx")) + " " + q(path("seed.txt"))).status ==
          0);
  const std::string index_before = slurp(path("kill.idx"));
  // The CLI reads a FIFO that stays open, so it is still running when the signal comes.
  for (const std::string sig : {"TERM", "INT", "KILL"}) {
    INFO("SIG" << sig);
    const std::string dir = path("ckill_" + sig);
    const std::string script =
        "set -e; rm -rf '" + dir + "'; mkdir '" + dir + "'; cd '" + dir + "'; mkfifo in; " +
        "echo previous > out.txt; echo old report > rep.txt; cp '" + path("kill.idx") +
        "' ix.idx; '" + PARADEDUP_CLI + "' --corpus -q -o out.txt --report rep.txt --index " +
        "ix.idx in & pid=$!; exec 3>in; printf 'some text that is long enough\\n\\f\\n' >&3; " +
        "sleep 0.3; kill -" + sig + " $pid; wait $pid || true; exec 3>&-; true";
    spit(path("ckill.sh"), script + "\n");
    REQUIRE(std::system(("bash '" + path("ckill.sh") + "'").c_str()) == 0);
    CHECK(slurp(dir + "/out.txt") == "previous\n");
    CHECK(slurp(dir + "/rep.txt") == "old report\n");
    CHECK(slurp(dir + "/ix.idx") == index_before);
  }
}

#endif  // PARADEDUP_CLI

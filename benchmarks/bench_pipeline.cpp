// Throughput of the paradedup pipeline on real text, next to its baselines.
//
//   (1) deduplicate() of examples/data/article.txt: microseconds per article; the one-time
//       costs (Traditional->Simplified table, ICU data load) are reported apart.
//   (2) canonicalize() + shingle_hashes() per paragraph of a corpus (MB/s, paragraphs/s),
//       with its two parts timed alone, next to
//   (3) XXH3_64bits alone over the same paragraphs, and
//   (4) ICU NFKC_Casefold normalizeUTF8 alone over the same paragraphs.
// Every number is the best of --runs runs. Results are checked against the slow references
// of bench_common.hpp; a mismatch prints FAIL and exits 1, so fast-but-wrong cannot pass.
//
// Usage: bench_pipeline [--corpus DIR] [--article FILE] [--runs N] [--smoke]
//   DIR is the output of benchmarks/make_corpus.sh (default: the build's bench corpus);
//   --smoke runs once over the small texts in benchmarks/data/smoke, for ctest.

#include <unicode/bytestream.h>  // icu::StringByteSink
#include <unicode/normalizer2.h>

#include <cmath>    // std::fabs
#include <cstdio>   // std::printf
#include <cstdlib>  // std::atoi
#include <cstring>  // std::strcmp
#include <string>
#include <string_view>
#include <vector>

#include "bench_common.hpp"


namespace {

using bench::fail;
using bench::failures;

volatile std::size_t sink;  // keeps the timed loops from being optimized away

struct corpus {
  std::string label;
  std::vector<bench::document> docs;
  std::vector<std::string_view> paragraphs;
  std::size_t bytes = 0;  // paragraph bytes (what the MB/s figures divide)
  std::size_t ascii = 0;  // paragraphs that take the ASCII fast path
};

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

corpus load_corpus(const std::string& label, const std::vector<std::filesystem::path>& dirs) {
  corpus c;
  c.label = label;
  for (const auto& d : dirs) {
    auto docs = bench::load_dir(d);
    for (auto& doc : docs) c.docs.push_back(std::move(doc));
  }
  for (const auto& doc : c.docs) {
    const auto check = paradedup::validate_utf8(doc.text);
    if (!check.valid) {
      throw std::runtime_error(doc.name + ": invalid UTF-8 at byte " +
                               std::to_string(check.error_offset));
    }
    const auto seg = paradedup::split_paragraphs(doc.text);
    for (const auto& p : seg.paragraphs) {
      const std::string_view body(doc.text.data() + p.begin, p.end - p.begin);
      c.paragraphs.push_back(body);
      c.bytes += body.size();
      c.ascii += is_ascii(body) ? 1 : 0;
    }
  }
  return c;
}

// A copy of s that shares part of its text: its first ~3/4 (cut at a code point boundary)
// followed by new words, for containment checks with a non-trivial answer.
std::string edited_copy(std::string_view s) {
  std::size_t cut = s.size() * 3 / 4;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + " appended words for the check";
}

// Checks canonicalize() and shingle_hashes() on every k-th paragraph against the references.
void check_corpus(const corpus& c, int n, std::size_t samples) {
  const paradedup::options o;
  const std::size_t step = std::max<std::size_t>(1, c.paragraphs.size() / samples);
  std::size_t checked = 0;
  const int failures_before = failures;
  for (std::size_t i = 0; i < c.paragraphs.size(); i += step) {
    const std::string_view p = c.paragraphs[i];
    std::string canon;
    const std::size_t kept = paradedup::canonicalize(p, o, canon);
    std::size_t ref_kept = 0;
    const std::string ref = bench::reference_canonicalize(p, o.fold_han, &ref_kept);
    if (canon != ref) {
      fail(c.label + " paragraph " + std::to_string(i) + ": canonicalize gives \"" + canon +
           "\", reference \"" + ref + "\"");
      continue;
    }
    if (kept != ref_kept) {
      fail(c.label + " paragraph " + std::to_string(i) + ": canonicalize counts " +
           std::to_string(kept) + " characters in \"" + canon + "\", reference " +
           std::to_string(ref_kept));
    }
    const auto hashes = paradedup::shingle_hashes(canon, n);
    const auto ref_set = bench::reference_shingles(ref, n);
    if (hashes.size() != ref_set.size()) {
      fail(c.label + " paragraph " + std::to_string(i) + ": " + std::to_string(hashes.size()) +
           " distinct shingle hashes, reference " + std::to_string(ref_set.size()) +
           " distinct shingles");
    }
    // Containment through hashes equals containment through string shingles, against the
    // next paragraph and against an edited copy.
    const std::string others[] = {
        std::string(i + 1 < c.paragraphs.size() ? c.paragraphs[i + 1] : c.paragraphs[0]),
        edited_copy(p)};
    for (const std::string& other : others) {
      const std::string oc = paradedup::canonicalize(other, o);
      const auto oh = paradedup::shingle_hashes(oc, n);
      const auto os = bench::reference_shingles(bench::reference_canonicalize(other, true), n);
      for (int dir = 0; dir < 2; ++dir) {
        const double fast =
            dir ? bench::hashed_containment(oh, hashes) : bench::hashed_containment(hashes, oh);
        const double slow = dir ? bench::reference_containment(os, ref_set)
                                : bench::reference_containment(ref_set, os);
        if (std::fabs(fast - slow) > 1e-12) {
          fail(c.label + " paragraph " + std::to_string(i) + ": containment " +
               std::to_string(fast) + " from hashes, " + std::to_string(slow) +
               " from string shingles");
        }
      }
    }
    ++checked;
  }
  std::printf(
      "check %-3s %zu sampled paragraphs against the slow reference (canonical form and "
      "its character count, shingle count, containment): %d mismatch(es)\n",
      c.label.c_str(), checked, failures - failures_before);
}

// Checks a deduplicate() result against a slow reference: every removal names a kept earlier
// paragraph, with the similarity the string shingles give; a paragraph whose canonical text
// equals a kept earlier one's is removed.
void check_article(std::string_view text, const paradedup::result& r, const paradedup::options& o) {
  const auto& paras = r.segments.paragraphs;
  std::vector<std::string> canon;
  std::vector<std::size_t> chars;
  std::vector<std::set<std::string>> sh;
  for (const auto& p : paras) {
    std::size_t k = 0;
    canon.push_back(
        bench::reference_canonicalize(text.substr(p.begin, p.end - p.begin), o.fold_han, &k));
    chars.push_back(k);
    sh.push_back(bench::reference_shingles(canon.back(), o.shingle));
  }
  for (const auto& rm : r.removed.removed) {
    const std::string at = "article paragraph " + std::to_string(rm.index) + ": ";
    if (rm.duplicate_of >= rm.index || r.removed.dropped[rm.duplicate_of]) {
      fail(at + "removed as a repeat of a paragraph that is not a kept earlier one");
      continue;
    }
    if (rm.merged && (rm.also_of >= rm.index || r.removed.dropped[rm.also_of])) {
      fail(at + "merged with a paragraph that is not a kept earlier one");
      continue;
    }
    if (rm.kind == paradedup::duplicate_kind::exact) {
      if (canon[rm.index] != canon[rm.duplicate_of]) fail(at + "exact, but texts differ");
      continue;
    }
    if (rm.kind == paradedup::duplicate_kind::block) {
      if (chars[rm.index] >= static_cast<std::size_t>(o.min_chars) && !rm.in_block) {
        fail(at + "kind block, but neither short nor in a block");
      }
      continue;
    }
    const double ref =
        rm.merged ? bench::reference_containment2(sh[rm.index], sh[rm.duplicate_of], sh[rm.also_of])
                  : bench::reference_containment(sh[rm.index], sh[rm.duplicate_of]);
    if (std::fabs(ref - rm.similarity) > 1e-9) {
      fail(at + "similarity " + std::to_string(rm.similarity) + ", reference " +
           std::to_string(ref));
    }
    if (ref < o.threshold) fail(at + "near, but below the threshold");
  }
  for (std::size_t i = 0; i < paras.size(); ++i) {
    if (r.removed.dropped[i] || chars[i] == 0) continue;
    for (std::size_t j = 0; j < i; ++j) {
      if (!r.removed.dropped[j] && canon[j] == canon[i] &&
          chars[i] >= static_cast<std::size_t>(o.min_chars)) {
        fail("article paragraph " + std::to_string(i) + " repeats kept paragraph " +
             std::to_string(j) + " exactly but is kept");
        break;
      }
    }
  }
}

std::string line_ranges(const paradedup::result& r) {
  std::string out;
  std::size_t i = 0;
  const auto& removed = r.removed.removed;
  while (i < removed.size()) {
    std::size_t j = i;
    const auto& paras = r.segments.paragraphs;
    while (j + 1 < removed.size() && removed[j + 1].index == removed[j].index + 1) ++j;
    const auto& first = paras[removed[i].index];
    const auto& last = paras[removed[j].index];
    if (!out.empty()) out += ", ";
    out += std::to_string(first.line);
    if (last.line + last.lines - 1 != first.line) {
      out += "-" + std::to_string(last.line + last.lines - 1);
    }
    i = j + 1;
  }
  return out.empty() ? "none" : out;
}

void print_row(const char* stage, const corpus& c, double seconds) {
  const double mb = static_cast<double>(c.bytes) / 1e6;
  std::printf("| %-8s | %-34s | %9.1f | %12.0f | %8.3f |\n", c.label.c_str(), stage, mb / seconds,
              static_cast<double>(c.paragraphs.size()) / seconds, seconds * 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_dir = PARADEDUP_BENCH_CORPUS;
  std::string article_path = PARADEDUP_BENCH_ARTICLE;
  int runs = 5;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--smoke") {
      smoke = true;
    } else if (a == "--corpus" && i + 1 < argc) {
      corpus_dir = argv[++i];
    } else if (a == "--article" && i + 1 < argc) {
      article_path = argv[++i];
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr,
                   "usage: bench_pipeline [--corpus DIR] [--article FILE] [--runs N] "
                   "[--smoke]\n");
      return 2;
    }
  }
  if (smoke) {
    corpus_dir = PARADEDUP_BENCH_SMOKE;
    runs = 1;
  }

  try {
    std::printf("paradedup bench_pipeline%s\n%s", smoke ? " --smoke" : "",
                bench::build_description().c_str());
    std::printf("runs: best of %d\n\n", runs);

    // One-time costs, first thing, so that nothing before has paid them.
    const double t_han = bench::best_of(1, [] { sink = paradedup::fold_han(U'\u5F8C'); });
    const double t_icu = bench::best_of(
        1, [] { sink = paradedup::canonicalize("\xC3\xA9", paradedup::options{}).size(); });
    std::printf(
        "one-time: Traditional->Simplified table build %.1f ms; first ICU "
        "normalization (data load) %.3f ms\n\n",
        t_han * 1e3, t_icu * 1e3);
    if (paradedup::fold_han(U'\u5F8C') != U'\u540E') fail("fold_han(U+5F8C) is not U+540E");

    // (1) The defining article through deduplicate().
    const paradedup::options o;
    if (std::filesystem::exists(article_path)) {
      const std::string article = bench::read_file(article_path);
      paradedup::result r = paradedup::deduplicate(article, o);
      check_article(article, r, o);
      // Enough iterations for ~0.1 s per run (a few in smoke mode).
      std::size_t iters = 1;
      if (!smoke) {
        while (bench::best_of(1, [&] {
                 for (std::size_t k = 0; k < iters; ++k) {
                   sink = paradedup::deduplicate(article, o).text.size();
                 }
               }) < 0.1) {
          iters *= 2;
        }
      }
      const double t = bench::best_of(runs, [&] {
        for (std::size_t k = 0; k < iters; ++k) {
          sink = paradedup::deduplicate(article, o).text.size();
        }
      });
      const double us = t / static_cast<double>(iters) * 1e6;
      std::printf("(1) deduplicate(%s): %zu bytes, %zu paragraphs, %zu removed (lines %s)\n",
                  std::filesystem::path(article_path).filename().string().c_str(), article.size(),
                  r.segments.paragraphs.size(), r.removed.removed.size(), line_ranges(r).c_str());
      std::printf("    %.1f us/article (%.1f MB/s), best of %d runs of %zu articles\n\n", us,
                  static_cast<double>(article.size()) / us, runs, iters);
    } else {
      std::printf("(1) skipped: %s not found\n\n", article_path.c_str());
    }

    // (2)-(4) per corpus.
    const std::filesystem::path root(corpus_dir);
    std::vector<corpus> corpora;
    corpora.push_back(load_corpus("en", {root / "en"}));
    corpora.push_back(load_corpus("zh", {root / "zh-cn", root / "zh-tw"}));
    corpora.push_back(load_corpus("ja", {root / "ja"}));
    std::printf("corpus %s (paragraphs by split_paragraphs, mode auto):\n", corpus_dir.c_str());
    for (const corpus& c : corpora) {
      std::printf(
          "  %-3s %4zu documents, %9zu paragraph bytes, %7zu paragraphs (%.1f%% pure "
          "ASCII), shingle n=%d\n",
          c.label.c_str(), c.docs.size(), c.bytes, c.paragraphs.size(),
          100.0 * static_cast<double>(c.ascii) / static_cast<double>(c.paragraphs.size()),
          o.shingle);
    }
    std::printf(
        "\n| corpus   | stage                              |      MB/s | paragraphs/s "
        "| best ms  |\n|----------|------------------------------------|-----------|"
        "--------------|----------|\n");

    UErrorCode st = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(st);
    if (U_FAILURE(st)) throw std::runtime_error("ICU NFKC_Casefold unavailable");

    std::vector<double> ratio;
    for (const corpus& c : corpora) {
      std::string canon;
      std::vector<std::uint64_t> shingles;
      const double t_full = bench::best_of(runs, [&] {
        std::size_t s = 0;
        for (std::string_view p : c.paragraphs) {
          paradedup::canonicalize(p, o, canon);
          shingles.clear();
          paradedup::shingle_hashes(canon, o.shingle, shingles);
          s += shingles.size();
        }
        sink = s;
      });
      const double t_canon = bench::best_of(runs, [&] {
        std::size_t s = 0;
        for (std::string_view p : c.paragraphs) s += paradedup::canonicalize(p, o, canon);
        sink = s;
      });
      std::vector<std::string> canons;
      canons.reserve(c.paragraphs.size());
      for (std::string_view p : c.paragraphs) canons.push_back(paradedup::canonicalize(p, o));
      const double t_shingle = bench::best_of(runs, [&] {
        std::size_t s = 0;
        for (const std::string& cs : canons) {
          shingles.clear();
          paradedup::shingle_hashes(cs, o.shingle, shingles);
          s += shingles.size();
        }
        sink = s;
      });
      const double t_xxh = bench::best_of(runs, [&] {
        std::uint64_t s = 0;
        for (std::string_view p : c.paragraphs) s ^= XXH3_64bits(p.data(), p.size());
        sink = static_cast<std::size_t>(s);
      });
      std::string normalized;
      const double t_nfkc = bench::best_of(runs, [&] {
        std::size_t s = 0;
        for (std::string_view p : c.paragraphs) {
          normalized.clear();
          icu::StringByteSink<std::string> bytes(&normalized);
          UErrorCode e = U_ZERO_ERROR;
          nfkc->normalizeUTF8(0, icu::StringPiece(p.data(), static_cast<int32_t>(p.size())), bytes,
                              nullptr, e);
          if (U_FAILURE(e)) throw std::runtime_error("ICU normalizeUTF8 failed");
          s += normalized.size();
        }
        sink = s;
      });
      print_row("(2) canonicalize + shingle_hashes", c, t_full);
      print_row("    canonicalize alone", c, t_canon);
      print_row("    shingle_hashes alone", c, t_shingle);
      print_row("(3) XXH3_64bits alone", c, t_xxh);
      print_row("(4) ICU NFKC_Casefold alone", c, t_nfkc);
      ratio.push_back(t_nfkc / t_full);
    }
    std::printf(
        "\nratio (2)/(4), throughput of canonicalize + shingle_hashes over ICU "
        "normalization alone:");
    for (std::size_t i = 0; i < corpora.size(); ++i) {
      std::printf(" %s %.2f", corpora[i].label.c_str(), ratio[i]);
    }
    std::printf("\n\n");

    for (const corpus& c : corpora) check_corpus(c, o.shingle, smoke ? 1000 : 300);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_pipeline: error: %s\n", e.what());
    return 1;
  }
  if (failures) {
    std::printf("%d check(s) FAILED\n", failures);
    return 1;
  }
  std::printf("all checks passed\n");
  return 0;
}

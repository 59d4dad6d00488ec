// Measures how well each shingle size n separates near copies from distinct paragraphs, on
// real text (the corpus of benchmarks/make_corpus.sh), to choose options::shingle and
// options::threshold. See docs/tuning.md for the results and how to read them.
//
// (i)  False-positive side: distinct paragraphs of one document (canonical forms differ).
//      - pairs: similarity(A, B) = share of A's shingles found in B, over every ordered pair;
//      - per paragraph, against the EARLIER paragraphs of its document, as detection sees it:
//        best1 = the best single earlier paragraph; det = what find_duplicates() tests (best1,
//        or the best paragraph merged with its better neighbour when each holds a quarter);
//        any = the union of all earlier paragraphs (the aggregate "seen anywhere before").
// (ii) Near copies made from each sampled paragraph: punctuation width swapped, rewrapped,
//      one word or character edited, a sentence appended or removed, Traditional<->Simplified
//      (ICU transliterators), and all of these at once; similarity = share of the copy's
//      shingles found in the original (the copy comes later, as a repeat does).
// Paragraphs with fewer than 20 normalized characters (options::min_chars) are reported apart.
// Shingles come from the library (canonicalize, shingle_hashes); a sample is checked against
// the slow string-shingle reference, and the detection measure against find_duplicates().
//
// Usage: tune_shingles [--corpus DIR] [--copies N] [--smoke]
//   --copies: paragraphs sampled per language for (ii) (default 3000).

#include <unicode/translit.h>
#include <unicode/uchar.h>  // u_isalnum, u_isUWhiteSpace

#include <algorithm>  // std::sort, std::max
#include <cmath>      // std::fabs
#include <cstdio>
#include <cstdlib>  // std::atoi
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "bench_common.hpp"


namespace {

using bench::fail;
using bench::failures;

const std::size_t min_chars = static_cast<std::size_t>(paradedup::options{}.min_chars);
// Thresholds reported, in hundredths (integer tests: overlap * 100 >= t * size).
const int thresholds[] = {50, 60, 70, 75, 80, 85, 90};
constexpr int n_thresholds = sizeof(thresholds) / sizeof(thresholds[0]);

// Deterministic on every platform (std:: distributions are not): splitmix64.
struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n ? static_cast<std::size_t>(next() % n) : 0; }
};

struct para {
  std::size_t doc = 0;
  std::string_view raw;
  std::string canonical;
  std::size_t chars = 0;
  std::size_t tokens = 0;    // for_each_token() tokens of the canonical form
  std::size_t canon_id = 0;  // equal canonical forms, equal ids (within the language)
};

// Paragraph length classes, in tokens (words; characters of Chinese and Japanese).
constexpr int n_buckets = 5;
const char* const bucket_names[n_buckets] = {"1-9", "10-19", "20-39", "40-79", "80+"};
int bucket(std::size_t tokens) {
  return tokens < 10 ? 0 : tokens < 20 ? 1 : tokens < 40 ? 2 : tokens < 80 ? 3 : 4;
}

struct language {
  std::string label;
  std::vector<bench::document> docs;
  std::vector<para> paras;  // non-empty paragraphs, document order
  std::vector<std::pair<std::size_t, std::size_t>> doc_range;  // [begin, end) into paras
};

language load_language(const std::string& label, const std::filesystem::path& dir) {
  language l;
  l.label = label;
  l.docs = bench::load_dir(dir);
  std::unordered_map<std::string, std::size_t> ids;
  const paradedup::options o;
  for (std::size_t d = 0; d < l.docs.size(); ++d) {
    const std::string& text = l.docs[d].text;
    if (!paradedup::validate_utf8(text).valid) {
      throw std::runtime_error(l.docs[d].name + ": invalid UTF-8");
    }
    const std::size_t begin = l.paras.size();
    for (const auto& p : paradedup::split_paragraphs(text).paragraphs) {
      para q;
      q.doc = d;
      q.raw = std::string_view(text.data() + p.begin, p.end - p.begin);
      paradedup::canonicalize(q.raw, o, q.canonical);
      // Code points other than the separating spaces: what canonicalize() documents as its
      // result (counted here, so that a miscount there cannot skew the short/long split).
      q.chars = 0;
      for (char c : q.canonical)
        q.chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 && c != ' ';
      paradedup::for_each_token(q.canonical, [&](std::string_view) { ++q.tokens; });
      // Symbols-only paragraphs stay (so that "adjacent" means what it means to detection)
      // but are never compared, as in find_duplicates().
      q.canon_id = ids.emplace(q.canonical, ids.size()).first->second;
      l.paras.push_back(std::move(q));
    }
    l.doc_range.emplace_back(begin, l.paras.size());
  }
  return l;
}

// --- statistics ------------------------------------------------------------------------------

// Similarities with 1e-4 resolution for percentiles; exact threshold counts.
struct histogram {
  std::vector<std::uint64_t> bins = std::vector<std::uint64_t>(10001, 0);
  std::uint64_t total = 0;
  std::uint64_t at_least[n_thresholds] = {};
  std::uint32_t max_num = 0, max_den = 1;

  void add(std::uint32_t num, std::uint32_t den, std::uint64_t count = 1) {
    if (count == 0) return;
    bins[static_cast<std::size_t>(static_cast<std::uint64_t>(num) * 10000 / den)] += count;
    total += count;
    for (int k = 0; k < n_thresholds; ++k) {
      if (static_cast<std::uint64_t>(num) * 100 >=
          static_cast<std::uint64_t>(thresholds[k]) * den) {
        at_least[k] += count;
      }
    }
    if (static_cast<std::uint64_t>(num) * max_den > static_cast<std::uint64_t>(max_num) * den) {
      max_num = num;
      max_den = den;
    }
  }
  // Lower edge of the bin holding the q-quantile.
  double quantile(double q) const {
    if (total == 0) return 0.0;
    const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
    std::uint64_t cum = 0;
    for (std::size_t b = 0; b < bins.size(); ++b) {
      cum += bins[b];
      if (cum >= std::max<std::uint64_t>(rank, 1)) return static_cast<double>(b) / 10000.0;
    }
    return 1.0;
  }
  double max() const { return static_cast<double>(max_num) / max_den; }
  double share(int k) const {
    return total ? 100.0 * static_cast<double>(at_least[k]) / static_cast<double>(total) : 0.0;
  }
};

// Threshold counts only (no percentiles), for the many small classes.
struct counts {
  std::uint64_t total = 0;
  std::uint64_t at_least[n_thresholds] = {};
  void add(std::uint64_t num, std::uint64_t den) {
    ++total;
    for (int k = 0; k < n_thresholds; ++k) {
      at_least[k] += num * 100 >= static_cast<std::uint64_t>(thresholds[k]) * den;
    }
  }
  // Percentage at or above threshold k; negative when empty.
  double share(int k) const {
    return total ? 100.0 * static_cast<double>(at_least[k]) / static_cast<double>(total) : -1;
  }
};

std::string pct(double v) {
  char buf[32];
  if (v == 0.0) return "0";
  if (v < 0.01) {
    std::snprintf(buf, sizeof buf, "%.4f", v);
  } else if (v < 1) {
    std::snprintf(buf, sizeof buf, "%.3f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  }
  return buf;
}

void print_fp_header(const char* what) {
  std::printf("\n%s\n\n| lang | n | count | p99 | p99.9 | max |", what);
  for (int t : thresholds) std::printf(" >=%.2f %% |", t / 100.0);
  std::printf("\n|---|---|---|---|---|---|");
  for (int k = 0; k < n_thresholds; ++k) std::printf("---|");
  std::printf("\n");
}

void print_fp_row(const std::string& lang, int n, const histogram& h) {
  std::printf("| %s | %d | %llu | %.3f | %.3f | %.3f |", lang.c_str(), n,
              static_cast<unsigned long long>(h.total), h.quantile(0.99), h.quantile(0.999),
              h.max());
  for (int k = 0; k < n_thresholds; ++k) std::printf(" %s |", pct(h.share(k)).c_str());
  std::printf("\n");
}

// --- (i) distinct paragraphs of one document ----------------------------------------------

struct fp_result {
  histogram pairs_long, pairs_short;  // by the length of A (the one that would be dropped)
  histogram best1, det, any;          // per paragraph, long paragraphs only
  histogram det_short;                // per paragraph, short ones
  counts det_bucket[n_buckets];       // per paragraph, all lengths, by tokens
  std::size_t exact_repeats = 0;      // paragraphs with an earlier exact twin (skipped)
  // Highest det paragraphs, for inspection: (share, paragraph, best match).
  std::vector<std::tuple<double, std::size_t, std::size_t>> top;
  std::vector<char> flagged;  // per paragraph: det >= 0.8 (for the cross-check)
};

// Measures (i) for one language and one n; sh[i] are paragraph i's shingles.
fp_result measure_fp(const language& l, const std::vector<std::vector<std::uint64_t>>& sh) {
  fp_result r;
  r.flagged.assign(l.paras.size(), 0);
  std::vector<std::uint32_t> overlap(l.paras.size(), 0);
  std::vector<std::size_t> touched;
  for (const auto& [begin, end] : l.doc_range) {
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> postings;
    std::unordered_map<std::size_t, std::size_t> id_count;  // canonical id -> paragraphs
    std::size_t nonempty = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (sh[i].empty()) continue;
      for (std::uint64_t s : sh[i]) postings[s].push_back(static_cast<std::uint32_t>(i));
      ++id_count[l.paras[i].canon_id];
      ++nonempty;
    }
    std::unordered_map<std::size_t, std::size_t> seen_ids;  // canonical ids met so far
    for (std::size_t i = begin; i < end; ++i) {
      if (sh[i].empty()) continue;
      const para& a = l.paras[i];
      const auto size = static_cast<std::uint32_t>(sh[i].size());
      const bool is_long = a.chars >= min_chars;
      touched.clear();
      for (std::uint64_t s : sh[i]) {
        for (std::uint32_t j : postings[s]) {
          if (j == i || l.paras[j].canon_id == a.canon_id) continue;
          if (overlap[j]++ == 0) touched.push_back(j);
        }
      }
      // Pairs (A = i, B = any other distinct paragraph of the document).
      histogram& ph = is_long ? r.pairs_long : r.pairs_short;
      const std::size_t others = nonempty - id_count[a.canon_id];
      for (std::size_t j : touched) ph.add(overlap[j], size);
      ph.add(0, 1, others - touched.size());

      // Per paragraph, against the earlier ones, by find_duplicates()'s rule: the best single
      // earlier paragraph a (ties: the earliest), or a merged with its better neighbour b
      // (a-1 or a+1, earlier than i) when each holds at least a quarter of the shingles.
      const bool repeat = seen_ids.count(a.canon_id) > 0;
      seen_ids[a.canon_id] = i;
      if (repeat) {
        ++r.exact_repeats;
      } else {
        std::sort(touched.begin(), touched.end());
        std::size_t best = end;
        for (std::size_t j : touched) {
          if (j > i) break;
          if (best == end || overlap[j] > overlap[best]) best = j;
        }
        const std::uint32_t in_best = best == end ? 0 : overlap[best];
        std::size_t nb = best;
        if (best != end) {
          for (std::size_t q : {best - 1, best + 1}) {
            if (q < begin || q >= i || q == best || overlap[q] == 0) continue;
            if (nb == best || overlap[q] > overlap[nb]) nb = q;
          }
          if (nb != best && (overlap[nb] * 4ULL < size || in_best * 4ULL < size)) nb = best;
        }
        std::uint32_t in_two = 0, in_any = 0;
        for (std::uint64_t s : sh[i]) {
          bool two = false, any = false;
          for (std::uint32_t j : postings[s]) {
            if (j >= i) break;  // postings are in paragraph order
            if (l.paras[j].canon_id == a.canon_id) continue;
            any = true;
            if (j == best || j == nb) two = true;
          }
          in_two += two;
          in_any += any;
        }
        const std::uint32_t in_det = nb != best ? in_two : in_best;
        if (is_long) {
          r.best1.add(in_best, size);
          r.det.add(in_det, size);
          r.any.add(in_any, size);
          const double share = static_cast<double>(in_det) / size;
          if (share >= 0.5) r.top.emplace_back(share, i, best);
        } else {
          r.det_short.add(in_det, size);
        }
        r.det_bucket[bucket(a.tokens)].add(in_det, size);
        r.flagged[i] = static_cast<std::uint64_t>(in_det) * 100 >= 80ULL * size;
      }
      for (std::size_t j : touched) overlap[j] = 0;
    }
  }
  std::sort(r.top.begin(), r.top.end(),
            [](const auto& x, const auto& y) { return std::get<0>(x) > std::get<0>(y); });
  return r;
}

// find_duplicates() at threshold 0.8 must flag (exact repeats aside) what det >= 0.8 flags.
void cross_check_detection(const language& l, int n, const fp_result& r) {
  paradedup::options o;
  o.shingle = n;
  o.threshold = 0.8;
  std::size_t differ = 0, flagged = 0, explained = 0;
  for (const auto& [begin, end] : l.doc_range) {
    std::vector<paradedup::paragraph_features> f(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      f[i - begin].exact = paradedup::exact_fingerprint(l.paras[i].canonical);
      f[i - begin].shingles = paradedup::shingle_hashes(l.paras[i].canonical, n);
      f[i - begin].chars = l.paras[i].chars;
    }
    const auto d = paradedup::find_duplicates(f, o);
    std::unordered_map<std::uint64_t, std::size_t> seen;  // shingle -> earlier paragraphs
    for (std::size_t i = begin; i < end; ++i) {
      const auto kind = d.matches[i - begin].kind;
      bool capped = false;  // a shingle already in 64 earlier paragraphs (the library's cap)
      for (std::uint64_t s : f[i - begin].shingles) capped |= seen[s] >= 64;
      for (std::uint64_t s : f[i - begin].shingles) ++seen[s];
      if (kind == paradedup::duplicate_kind::exact || l.paras[i].chars == 0) continue;
      const bool lib = kind == paradedup::duplicate_kind::near;
      flagged += lib;
      if (lib != static_cast<bool>(r.flagged[i])) {
        ++differ;
        explained += capped;
      }
    }
  }
  std::printf(
      "cross-check %s n=%d: find_duplicates flags %zu near duplicates at 0.8; "
      "%zu paragraph(s) differ from this tool's detection measure, %zu of them with a "
      "shingle already in 64 earlier paragraphs (the library's postings cap)\n",
      l.label.c_str(), n, flagged, differ, explained);
}

// Slow reference for the pairs: string shingles of the reference canonical form.
void reference_check(const language& l, int n, const std::vector<std::vector<std::uint64_t>>& sh,
                     std::size_t samples) {
  rng g{0x5EED0000ULL + static_cast<std::uint64_t>(n)};
  std::size_t checked = 0;
  for (std::size_t k = 0; k < samples && l.paras.size() > 1; ++k) {
    const std::size_t di = g.below(l.doc_range.size());
    const auto [begin, end] = l.doc_range[di];
    if (end - begin < 2) continue;
    const std::size_t i = begin + g.below(end - begin);
    std::size_t j = begin + g.below(end - begin - 1);
    if (j >= i) ++j;
    if (l.paras[i].chars == 0) continue;
    const std::string ci = bench::reference_canonicalize(l.paras[i].raw, true);
    const std::string cj = bench::reference_canonicalize(l.paras[j].raw, true);
    if (ci != l.paras[i].canonical) {
      fail(l.label + ": canonical form of paragraph " + std::to_string(i) + " differs");
      continue;
    }
    const auto si = bench::reference_shingles(ci, n), sj = bench::reference_shingles(cj, n);
    const double slow = bench::reference_containment(si, sj);
    const double fast = bench::hashed_containment(sh[i], sh[j]);
    if (std::fabs(slow - fast) > 1e-12 || si.size() != sh[i].size()) {
      fail(l.label + " n=" + std::to_string(n) + ": pair (" + std::to_string(i) + ", " +
           std::to_string(j) + ") similarity " + std::to_string(fast) + ", reference " +
           std::to_string(slow));
    }
    ++checked;
  }
  std::printf("reference %s n=%d: %zu sampled pairs agree with string shingles\n", l.label.c_str(),
              n, checked);
}

// --- (ii) simulated near copies --------------------------------------------------------------

char32_t cp_at(std::string_view s, std::size_t& i) {
  return paradedup::detail::next_code_point(s, i);
}

bool is_space_cp(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
         u_isUWhiteSpace(static_cast<UChar32>(c));
}

// ASCII punctuation <-> full-width forms; 。 -> . and 、 -> , (and back in the other direction).
std::string swap_punctuation(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = cp_at(s, i);
    const bool ascii_punct = c >= 0x21 && c <= 0x7E && !(c >= '0' && c <= '9') &&
                             !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
    const char32_t wide = c >= 0xFF01 && c <= 0xFF5E ? c - 0xFF01 + 0x21 : 0;
    const bool wide_punct = wide && !(wide >= '0' && wide <= '9') &&
                            !(wide >= 'A' && wide <= 'Z') && !(wide >= 'a' && wide <= 'z');
    if (ascii_punct) {
      c = c == '.' ? U'\u3002' : c == ',' ? U'\uFF0C' : c - 0x21 + 0xFF01;
    } else if (wide_punct) {
      c = wide;
    } else if (c == U'\u3002') {
      c = '.';
    } else if (c == U'\u3001') {
      c = ',';
    }
    paradedup::detail::append_utf8(out, c);
  }
  return out;
}

int width_of(char32_t c) { return paradedup::detail::display_width(c); }

// Joins the lines into one and wraps it again at 60 columns with a 2-space indent, breaking at
// spaces or between two characters of scripts written without spaces (as a wrapping tool
// for CJK text would), with runs of spaces collapsed.
std::string rewrap(std::string_view s) {
  // One logical line: a run of spaces becomes one space, except a line break between two
  // spaceless characters, which was a wrap inside a CJK run and joins without space.
  std::u32string line;
  bool newline = false, had_space = false;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = cp_at(s, i);
    if (is_space_cp(c)) {
      newline |= c == '\n' || c == '\r';
      had_space = true;
      continue;
    }
    if (had_space && !line.empty() &&
        !(newline && paradedup::detail::is_spaceless(line.back()) &&
          paradedup::detail::is_spaceless(c))) {
      line.push_back(' ');
    }
    had_space = newline = false;
    line.push_back(c);
  }
  std::string out = "  ";
  int col = 2;
  for (std::size_t k = 0; k < line.size(); ++k) {
    const char32_t c = line[k];
    // Width of what would go on the line before the next break opportunity.
    if (c == ' ') {
      std::size_t e = k + 1;
      int w = 0;
      while (e < line.size() && line[e] != ' ' &&
             !(paradedup::detail::is_spaceless(line[e]) && e > k + 1)) {
        w += width_of(line[e]);
        ++e;
      }
      if (col + 1 + w > 60) {
        out += "\n  ";
        col = 2;
        continue;
      }
      out.push_back(' ');
      ++col;
      continue;
    }
    if (paradedup::detail::is_spaceless(c) && k > 0 &&
        paradedup::detail::is_spaceless(line[k - 1]) && col + width_of(c) > 60) {
      out += "\n  ";
      col = 2;
    }
    paradedup::detail::append_utf8(out, c);
    col += width_of(c);
  }
  return out;
}

// Replaces one randomly chosen unit: a word (a run of letters and digits of scripts written
// with spaces) becomes another word, or one character of a spaceless script becomes U+67D0.
std::string edit_one(std::string_view s, rng& g) {
  struct unit {
    std::size_t begin, end;
    bool spaceless;
  };
  std::vector<unit> units;
  std::size_t word = std::string_view::npos;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t at = i;
    const char32_t c = cp_at(s, i);
    const bool alnum = u_isalnum(static_cast<UChar32>(c)) != 0;
    const bool spaceless = paradedup::detail::is_spaceless(c);
    if (!alnum || spaceless) {
      if (word != std::string_view::npos) units.push_back({word, at, false});
      word = std::string_view::npos;
      if (alnum) units.push_back({at, i, true});
      continue;
    }
    if (word == std::string_view::npos) word = at;
  }
  if (word != std::string_view::npos) units.push_back({word, s.size(), false});
  if (units.empty()) return std::string(s);
  const unit u = units[g.below(units.size())];
  std::string out(s.substr(0, u.begin));
  const std::string_view old = s.substr(u.begin, u.end - u.begin);
  if (u.spaceless) {
    out += old == "\xE6\x9F\x90" ? "\xE7\x94\xB2" : "\xE6\x9F\x90";  // 某, else 甲
  } else {
    out += old == "edited" ? "changed" : "edited";
  }
  out += s.substr(u.end);
  return out;
}

// Sentence spans: ends after . ! ? followed by a space or the end, or after 。！？.
std::vector<std::pair<std::size_t, std::size_t>> sentences(std::string_view s) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = cp_at(s, i);
    bool end = false;
    if (c == '.' || c == '!' || c == '?') {
      end = i >= s.size() || s[i] == ' ' || s[i] == '\n';
    } else if (c == U'\u3002' || c == U'\uFF01' || c == U'\uFF1F') {
      end = true;
    }
    if (end) {
      out.emplace_back(start, i);
      start = i;
    }
  }
  if (start < s.size()) {
    bool blank = true;
    for (std::size_t k = start; k < s.size(); ++k) blank &= s[k] == ' ' || s[k] == '\n';
    if (!blank) out.emplace_back(start, s.size());
  }
  return out;
}

std::string transliterate(icu::Transliterator& t, std::string_view s) {
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  t.transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

enum variant {
  v_punct,
  v_rewrap,
  v_edit,
  v_edit3,
  v_append,
  v_remove,
  v_script,
  v_script_nofold,
  v_combo,
  v_count
};
const char* const variant_names[v_count] = {
    "punctuation width swapped",
    "rewrapped at 60 columns",
    "one word/character edited",
    "three words/characters edited",
    "one sentence appended",
    "one sentence removed",
    "Traditional<->Simplified",
    "Trad<->Simp, fold_han off",
    "combined: 1 edit + punctuation + rewrap (+ script for zh)"};

struct copy_stats {
  std::vector<double> sims;
  histogram h;
  counts by_length[n_buckets];  // by the original's tokens (long and short together)
};

void print_copy_header(const char* what) {
  std::printf("\n%s\n\n| lang | variant | n | count | min | p1 | p5 | median |", what);
  for (int t : thresholds) std::printf(" >=%.2f %% |", t / 100.0);
  std::printf("\n|---|---|---|---|---|---|---|---|");
  for (int k = 0; k < n_thresholds; ++k) std::printf("---|");
  std::printf("\n");
}

void print_copy_row(const std::string& lang, int v, int n, copy_stats& c) {
  if (c.sims.empty()) return;
  std::sort(c.sims.begin(), c.sims.end());
  auto q = [&](double p) {
    return c.sims[std::min(c.sims.size() - 1,
                           static_cast<std::size_t>(p * static_cast<double>(c.sims.size())))];
  };
  std::printf("| %s | %s | %d | %zu | %.3f | %.3f | %.3f | %.3f |", lang.c_str(), variant_names[v],
              n, c.sims.size(), c.sims.front(), q(0.01), q(0.05), q(0.5));
  for (int k = 0; k < n_thresholds; ++k) std::printf(" %s |", pct(c.h.share(k)).c_str());
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_dir = PARADEDUP_BENCH_CORPUS;
  std::size_t copies = 3000;
  bool smoke = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--smoke") {
      smoke = true;
    } else if (a == "--corpus" && i + 1 < argc) {
      corpus_dir = argv[++i];
    } else if (a == "--copies" && i + 1 < argc) {
      copies = static_cast<std::size_t>(std::max(1, std::atoi(argv[++i])));
    } else {
      std::fprintf(stderr, "usage: tune_shingles [--corpus DIR] [--copies N] [--smoke]\n");
      return 2;
    }
  }
  if (smoke) corpus_dir = PARADEDUP_BENCH_SMOKE;
  const std::vector<int> ns =
      smoke ? std::vector<int>{3, 5} : std::vector<int>{2, 3, 4, 5, 6, 7, 8};

  try {
    std::printf("paradedup tune_shingles%s\n%s", smoke ? " --smoke" : "",
                bench::build_description().c_str());
    const std::filesystem::path root(corpus_dir);
    std::vector<language> langs;
    for (const char* l : {"en", "zh-cn", "zh-tw", "ja"})
      langs.push_back(load_language(l, root / l));
    std::printf(
        "corpus %s: paragraphs by split_paragraphs (auto), canonicalize() defaults; "
        "short = fewer than %zu normalized characters\n",
        corpus_dir.c_str(), min_chars);
    for (const language& l : langs) {
      std::size_t shorts = 0, bytes = 0, nonempty = 0;
      std::vector<std::size_t> long_tokens;
      for (const para& p : l.paras) {
        if (p.chars == 0) continue;
        ++nonempty;
        shorts += p.chars < min_chars;
        bytes += p.raw.size();
        if (p.chars >= min_chars) long_tokens.push_back(p.tokens);
      }
      std::sort(long_tokens.begin(), long_tokens.end());
      const std::size_t median = long_tokens.empty() ? 0 : long_tokens[long_tokens.size() / 2];
      std::printf(
          "  %-5s %4zu documents, %7zu non-empty paragraphs (%zu short), %zu bytes; "
          "long paragraphs have a median of %zu tokens\n",
          l.label.c_str(), l.docs.size(), nonempty, shorts, bytes, median);
    }

    // ---- (i) ----
    std::map<std::pair<std::string, int>, fp_result> fp;
    for (const language& l : langs) {
      for (int n : ns) {
        std::vector<std::vector<std::uint64_t>> sh(l.paras.size());
        for (std::size_t i = 0; i < l.paras.size(); ++i) {
          paradedup::shingle_hashes(l.paras[i].canonical, n, sh[i]);
        }
        fp[{l.label, n}] = measure_fp(l, sh);
        if (n == 5 || smoke) {
          reference_check(l, n, sh, smoke ? 50 : 200);
          cross_check_detection(l, n, fp[{l.label, n}]);
        }
      }
    }
    std::printf("\n## (i) Distinct paragraphs of the same document\n");
    std::printf(
        "\nParagraphs that repeat an earlier one of their document exactly (left out "
        "of the per-paragraph measures):");
    for (const language& l : langs) {
      std::printf(" %s %zu", l.label.c_str(), fp[{l.label, ns.front()}].exact_repeats);
    }
    std::printf("\n");
    print_fp_header(
        "Pairs, A long (>= 20 chars): share of A's shingles in B, every ordered "
        "pair of distinct paragraphs of a document");
    for (const language& l : langs) {
      for (int n : ns) print_fp_row(l.label, n, fp[{l.label, n}].pairs_long);
    }
    print_fp_header("Pairs, A short (< 20 chars)");
    for (const language& l : langs) {
      for (int n : ns) print_fp_row(l.label, n, fp[{l.label, n}].pairs_short);
    }
    print_fp_header("Per long paragraph, best single earlier paragraph (best1)");
    for (const language& l : langs) {
      for (int n : ns) print_fp_row(l.label, n, fp[{l.label, n}].best1);
    }
    print_fp_header(
        "Per long paragraph, detection's measure (det: best1, or best + adjacent "
        "neighbour when merged)");
    for (const language& l : langs) {
      for (int n : ns) print_fp_row(l.label, n, fp[{l.label, n}].det);
    }
    print_fp_header("Per long paragraph, union of ALL earlier paragraphs of the document (any)");
    for (const language& l : langs) {
      for (int n : ns) print_fp_row(l.label, n, fp[{l.label, n}].any);
    }
    print_fp_header("Per short paragraph, det");
    for (const language& l : langs) {
      for (int n : ns) print_fp_row(l.label, n, fp[{l.label, n}].det_short);
    }
    // The highest-scoring distinct long paragraphs at n=5, to judge by eye whether they are
    // real repeats (boilerplate, templated lines) or false positives.
    const int show_n = 5;
    std::printf("\nHighest det at n=%d (canonical text, cut at 90 bytes):\n", show_n);
    for (const language& l : langs) {
      const auto& top = fp[{l.label, show_n}].top;
      std::size_t above = 0;
      for (const auto& t : top) above += std::get<0>(t) >= 0.8;
      std::printf("  %s: %zu long paragraphs with det >= 0.8\n", l.label.c_str(), above);
      // Evenly spaced through those >= 0.8, highest first: a sample, not just the extremes.
      const std::size_t shown = std::min<std::size_t>(above, smoke ? 2 : 12);
      for (std::size_t m = 0; m < shown; ++m) {
        const std::size_t k = m * above / shown;
        const auto& [share, i, b] = top[k];
        auto cut = [](const std::string& c) {
          std::size_t e = std::min<std::size_t>(c.size(), 90);
          while (e < c.size() && (static_cast<unsigned char>(c[e]) & 0xC0) == 0x80) ++e;
          return c.substr(0, e);
        };
        std::printf("    %.3f %zu tokens, %s #%zu \"%s\"\n          vs #%zu \"%s\"\n", share,
                    l.paras[i].tokens, l.docs[l.paras[i].doc].name.c_str(), i,
                    cut(l.paras[i].canonical).c_str(), b, cut(l.paras[b].canonical).c_str());
      }
    }

    // ---- (ii) ----
    UErrorCode st = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t2s(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, st));
    std::unique_ptr<icu::Transliterator> s2t(
        icu::Transliterator::createInstance("Simplified-Traditional", UTRANS_FORWARD, st));
    if (U_FAILURE(st)) throw std::runtime_error("ICU transliterators unavailable");
    paradedup::options nofold;
    nofold.fold_han = false;

    // stats[lang][long/short][variant][n index]
    std::map<std::string, std::vector<std::vector<std::vector<copy_stats>>>> stats;
    for (const language& l : langs) {
      auto& ls = stats[l.label];
      ls.assign(2,
                std::vector<std::vector<copy_stats>>(v_count, std::vector<copy_stats>(ns.size())));
      const bool chinese = l.label == "zh-cn" || l.label == "zh-tw";
      icu::Transliterator& conv = l.label == "zh-tw" ? *t2s : *s2t;
      const std::size_t step = std::max<std::size_t>(1, l.paras.size() / copies);
      for (std::size_t i = 0; i < l.paras.size(); i += step) {
        const para& p = l.paras[i];
        if (p.chars == 0) continue;
        const int cls = p.chars >= min_chars ? 0 : 1;
        std::string made[v_count];
        bool have[v_count] = {};
        rng g{0xC0FFEEULL ^ (static_cast<std::uint64_t>(i) * 0x100000001B3ULL)};
        made[v_punct] = swap_punctuation(p.raw);
        made[v_rewrap] = rewrap(p.raw);
        made[v_edit] = edit_one(p.raw, g);
        made[v_edit3] = edit_one(edit_one(edit_one(p.raw, g), g), g);
        have[v_punct] = have[v_rewrap] = have[v_edit] = have[v_edit3] = true;
        {
          // A sentence of another paragraph, appended.
          for (int tries = 0; tries < 10 && !have[v_append]; ++tries) {
            const para& o = l.paras[g.below(l.paras.size())];
            if (&o == &p || o.chars == 0) continue;
            const auto ss = sentences(o.raw);
            if (ss.empty()) continue;
            const std::string_view sent = o.raw.substr(ss[0].first, ss[0].second - ss[0].first);
            if (paradedup::canonicalize(sent).empty()) continue;
            made[v_append] = std::string(p.raw) + (l.label == "en" ? " " : "") + std::string(sent);
            have[v_append] = true;
          }
          const auto ss = sentences(p.raw);
          if (ss.size() >= 2) {
            const auto cut = ss[g.below(ss.size())];
            made[v_remove] =
                std::string(p.raw.substr(0, cut.first)) + std::string(p.raw.substr(cut.second));
            have[v_remove] = !paradedup::canonicalize(made[v_remove]).empty();
          }
        }
        std::string base = std::string(p.raw);
        if (chinese) {
          made[v_script] = made[v_script_nofold] = transliterate(conv, p.raw);
          have[v_script] = have[v_script_nofold] = true;
          base = made[v_script];
        }
        made[v_combo] = rewrap(swap_punctuation(edit_one(base, g)));
        have[v_combo] = true;

        std::string canon_copy, canon_nofold_orig;
        if (chinese) paradedup::canonicalize(p.raw, nofold, canon_nofold_orig);
        for (int v = 0; v < v_count; ++v) {
          if (!have[v]) continue;
          const bool no_fold = v == v_script_nofold;
          paradedup::canonicalize(made[v], no_fold ? nofold : paradedup::options{}, canon_copy);
          for (std::size_t k = 0; k < ns.size(); ++k) {
            const auto a = paradedup::shingle_hashes(canon_copy, ns[k]);
            const auto b =
                paradedup::shingle_hashes(no_fold ? canon_nofold_orig : p.canonical, ns[k]);
            std::size_t common = 0;
            for (std::uint64_t x : a) common += std::binary_search(b.begin(), b.end(), x);
            copy_stats& c = ls[cls][v][k];
            const double sim =
                a.empty() ? 0.0 : static_cast<double>(common) / static_cast<double>(a.size());
            c.sims.push_back(sim);
            ls[0][v][k].by_length[bucket(p.tokens)].add(common, std::max<std::size_t>(a.size(), 1));
            c.h.add(static_cast<std::uint32_t>(common),
                    static_cast<std::uint32_t>(std::max<std::size_t>(a.size(), 1)));
            if (smoke && v == v_edit && k == 0 && cls == 0) {
              // Reference for one variant: string shingles of the reference forms.
              const auto ra =
                  bench::reference_shingles(bench::reference_canonicalize(made[v], true), ns[k]);
              const auto rb =
                  bench::reference_shingles(bench::reference_canonicalize(p.raw, true), ns[k]);
              if (std::fabs(bench::reference_containment(ra, rb) - sim) > 1e-12) {
                fail(l.label + ": edited copy similarity differs from the reference");
              }
            }
          }
        }
      }
    }
    std::printf(
        "\n## (ii) Simulated near copies (share of the copy's shingles in the "
        "original)\n");
    for (int cls = 0; cls < 2; ++cls) {
      print_copy_header(cls == 0 ? "Long paragraphs (>= 20 chars)"
                                 : "Short paragraphs (< 20 chars)");
      for (const language& l : langs) {
        for (int v = 0; v < v_count; ++v) {
          for (std::size_t k = 0; k < ns.size(); ++k) {
            print_copy_row(l.label, v, ns[k], stats[l.label][cls][v][k]);
          }
        }
      }
    }

    // ---- Summary: false positives against recall, long paragraphs ----
    // Rates are averaged over the four languages, each counting the same (the English corpus
    // is larger, and mostly copyright files).
    auto macro = [&](auto rate) {
      double sum = 0;
      int count = 0;
      for (const language& l : langs) {
        const double r = rate(l);
        if (r >= 0) {
          sum += r;
          ++count;
        }
      }
      return count ? pct(sum / count) : std::string("-");
    };
    auto rate_of = [](std::uint64_t hit, std::uint64_t total) {
      return total ? 100.0 * static_cast<double>(hit) / static_cast<double>(total) : -1.0;
    };
    std::printf(
        "\n## Summary, long paragraphs (>= 20 chars); rates averaged over the 4 "
        "languages\n\nFP = distinct paragraphs whose det >= t (what detection would "
        "wrongly drop); FP any = the same with the union of all earlier paragraphs; "
        "recall = share of copies with similarity >= t.\n"
        "\n| n | t | FP %% det | FP %% any | recall edit | recall 3 edits | recall append | "
        "recall remove | recall Trad<->Simp | recall combo |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n");
    for (std::size_t k = 0; k < ns.size(); ++k) {
      for (int t = 0; t < n_thresholds; ++t) {
        auto recall = [&](int v) {
          return macro([&](const language& l) {
            const auto& c = stats[l.label][0][v][k];
            return rate_of(c.h.at_least[t], c.h.total);
          });
        };
        std::printf("| %d | %.2f | %s | %s | %s | %s | %s | %s | %s | %s |\n", ns[k],
                    thresholds[t] / 100.0, macro([&](const language& l) {
                                             const fp_result& r = fp[{l.label, ns[k]}];
                                             return rate_of(r.det.at_least[t], r.det.total);
                                           }).c_str(),
                    macro([&](const language& l) {
                      const fp_result& r = fp[{l.label, ns[k]}];
                      return rate_of(r.any.at_least[t], r.any.total);
                    }).c_str(),
                    recall(v_edit).c_str(), recall(v_edit3).c_str(), recall(v_append).c_str(),
                    recall(v_remove).c_str(), recall(v_script).c_str(), recall(v_combo).c_str());
      }
    }

    // ---- By paragraph length: a one-token edit changes n of the T+n-1 shingles ----
    const int shown[] = {2, 4, 6};  // thresholds 0.70, 0.80, 0.90
    std::printf(
        "\n## By paragraph length in tokens (all paragraphs, short ones included); "
        "rates averaged over the 4 languages\n\n| n | tokens | paragraphs |");
    for (int t : shown) std::printf(" FP %% >=%.2f |", thresholds[t] / 100.0);
    for (int t : shown) std::printf(" edit recall %% >=%.2f |", thresholds[t] / 100.0);
    std::printf(" append recall %% >=0.80 |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (std::size_t k = 0; k < ns.size(); ++k) {
      for (int b = 0; b < n_buckets; ++b) {
        std::uint64_t paragraphs = 0;
        for (const language& l : langs) paragraphs += fp[{l.label, ns[k]}].det_bucket[b].total;
        std::printf("| %d | %s | %llu |", ns[k], bucket_names[b],
                    static_cast<unsigned long long>(paragraphs));
        for (int t : shown) {
          std::printf(" %s |", macro([&](const language& l) {
                                 return fp[{l.label, ns[k]}].det_bucket[b].share(t);
                               }).c_str());
        }
        for (int t : shown) {
          std::printf(" %s |", macro([&](const language& l) {
                                 return stats[l.label][0][v_edit][k].by_length[b].share(t);
                               }).c_str());
        }
        std::printf(" %s |\n", macro([&](const language& l) {
                                 return stats[l.label][0][v_append][k].by_length[b].share(4);
                               }).c_str());
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tune_shingles: error: %s\n", e.what());
    return 1;
  }
  if (failures) {
    std::printf("\n%d check(s) FAILED\n", failures);
    return 1;
  }
  std::printf("\nall checks passed\n");
  return 0;
}

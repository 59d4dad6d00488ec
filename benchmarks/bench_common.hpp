#ifndef PARADEDUP_BENCH_COMMON_HPP
#define PARADEDUP_BENCH_COMMON_HPP

// Shared by bench_pipeline.cpp and tune_shingles.cpp: corpus loading, timing, the build
// description printed next to every number, and the slow references that results are checked
// against. Benchmarks may use ICU directly (the library's headers may not).

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>  // u_charType, U_GET_GC_MASK
#include <unicode/unistr.h>
#include <unicode/uvernum.h>  // U_ICU_VERSION

#include <algorithm>  // std::sort, std::min
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>  // std::istreambuf_iterator
#include <memory>    // std::unique_ptr
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>  // std::thread::hardware_concurrency
#include <vector>

#include "paradedup/paradedup.hpp"

#ifndef PARADEDUP_BENCH_FLAGS
#define PARADEDUP_BENCH_FLAGS "unknown"
#endif
#ifndef PARADEDUP_BENCH_BUILD_TYPE
#define PARADEDUP_BENCH_BUILD_TYPE "unknown"
#endif

// Default locations, overridden by benchmarks/CMakeLists.txt.
#ifndef PARADEDUP_BENCH_CORPUS
#define PARADEDUP_BENCH_CORPUS "corpus"
#endif
#ifndef PARADEDUP_BENCH_ARTICLE
#define PARADEDUP_BENCH_ARTICLE "examples/data/article.txt"
#endif
#ifndef PARADEDUP_BENCH_SMOKE
#define PARADEDUP_BENCH_SMOKE "benchmarks/data/smoke"
#endif

namespace bench {

/// Checks that failed, over the whole run: a benchmark exits 1 when any did.
inline int failures = 0;

/// Records a failed check; prints the first ten in full.
inline void fail(const std::string& what) {
  if (++failures <= 10) std::printf("FAIL: %s\n", what.c_str());
}

/// One document of the corpus: a file of benchmarks/make_corpus.sh output.
struct document {
  std::string name;
  std::string text;
};

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + p.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The documents of one corpus directory (e.g. CORPUS/en), in file name order.
inline std::vector<document> load_dir(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error(dir.string() +
                             " is not a directory: run benchmarks/make_corpus.sh first "
                             "(or `cmake --build BUILD --target bench_corpus`)");
  }
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<document> out;
  for (const auto& f : files) out.push_back({f.filename().string(), read_file(f)});
  return out;
}

/// Seconds of the fastest of `runs` calls of f().
template <typename F>
double best_of(int runs, F&& f) {
  double best = 1e300;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    const auto t1 = std::chrono::steady_clock::now();
    best = std::min(best, std::chrono::duration<double>(t1 - t0).count());
  }
  return best;
}

inline std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

// The 1-minute load average: timings on a busy machine are noisy, so it is printed with them.
inline std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first.empty() ? "unknown" : first;
}

/// Compiler, flags, library versions and machine: printed above every table.
inline std::string build_description() {
  std::ostringstream s;
#if defined(__clang__)
  s << "compiler: clang " << __clang_major__ << '.' << __clang_minor__ << '.'
    << __clang_patchlevel__ << '\n';
#elif defined(__GNUC__)
  s << "compiler: GCC " << __VERSION__ << '\n';
#else
  s << "compiler: unknown\n";
#endif
  s << "build: " << PARADEDUP_BENCH_BUILD_TYPE << ", flags: " << PARADEDUP_BENCH_FLAGS << '\n';
  s << "paradedup " << PARADEDUP_VERSION_MAJOR << '.' << PARADEDUP_VERSION_MINOR << '.'
    << PARADEDUP_VERSION_PATCH << ", ICU " << U_ICU_VERSION << " (Unicode "
    << paradedup::unicode_version() << "), xxHash " << XXH_VERSION_MAJOR << '.' << XXH_VERSION_MINOR
    << '.' << XXH_VERSION_RELEASE << '\n';
  s << "machine: " << cpu_model() << ", " << std::thread::hardware_concurrency()
    << " hardware threads (single-threaded runs), load average " << load_average() << '\n';
  return s.str();
}

// ---------------------------------------------------------------------------------------------
// Slow references. They follow the documentation of canonicalize() and shingle_hashes(), by
// another route: ICU's UTF-16 API, one transliterator call per character, string shingles in
// a std::set.

inline const icu::Normalizer2& reference_nfkc_cf() {
  UErrorCode st = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(st);
  if (U_FAILURE(st) || n == nullptr) throw std::runtime_error("ICU NFKC_Casefold unavailable");
  return *n;
}

inline icu::Transliterator& reference_t2s() {
  static std::unique_ptr<icu::Transliterator> t = [] {
    UErrorCode st = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> p(
        icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, st));
    if (U_FAILURE(st) || !p) throw std::runtime_error("ICU Traditional-Simplified unavailable");
    return p;
  }();
  return *t;
}

/// canonicalize() as its comment specifies it, with default options except fold_han.
inline std::string reference_canonicalize(std::string_view utf8, bool fold_han,
                                          std::size_t* kept_out = nullptr) {
  UErrorCode st = U_ZERO_ERROR;
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  const icu::UnicodeString norm = reference_nfkc_cf().normalize(in, st);
  if (U_FAILURE(st)) throw std::runtime_error("ICU normalize failed");
  std::string out;
  std::size_t kept = 0;
  bool pending = false, last_spaced = false, last_digit = false;
  for (int32_t i = 0; i < norm.length(); i = norm.moveIndex32(i, 1)) {
    const UChar32 c = norm.char32At(i);
    const auto mask = U_GET_GC_MASK(c);
    if ((mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) == 0) {
      // . , : - / between two ASCII digits is kept (numbers stay one token).
      const int32_t next = norm.moveIndex32(i, 1);
      const UChar32 after = next < norm.length() ? norm.char32At(next) : 0;
      if (!pending && last_digit && (c == '.' || c == ',' || c == ':' || c == '-' || c == '/') &&
          after >= '0' && after <= '9') {
        out.push_back(static_cast<char>(c));
        continue;
      }
      pending = true;
      continue;
    }
    last_digit = c >= '0' && c <= '9';
    const bool spaceless = paradedup::detail::is_spaceless(static_cast<char32_t>(c));
    const bool mark = (mask & U_GC_M_MASK) != 0;
    UChar32 cp = c;
    if (spaceless && fold_han) {
      icu::UnicodeString one(c);
      reference_t2s().transliterate(one);
      if (one.countChar32() == 1) cp = one.char32At(0);
    }
    if (pending && last_spaced && !spaceless && !mark) out.push_back(' ');
    pending = false;
    if (!mark) last_spaced = !spaceless;
    icu::UnicodeString(cp).toUTF8String(out);
    ++kept;
  }
  if (kept_out) *kept_out = kept;
  return out;
}

/// Tokens of a canonical string, as for_each_token() documents them: a space separates; a
/// character of a script written without spaces is a token alone; other runs are words.
inline std::vector<std::string> reference_tokens(const std::string& canonical) {
  std::vector<std::string> out;
  std::string word;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(canonical);
  for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
    const UChar32 c = u.char32At(i);
    std::string ch;
    icu::UnicodeString(c).toUTF8String(ch);
    if (c == ' ') {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else if (paradedup::detail::is_spaceless(static_cast<char32_t>(c))) {
      if (!word.empty()) out.push_back(word);
      word.clear();
      out.push_back(ch);
    } else {
      word += ch;
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

/// Shingles as shingle_hashes() documents them, as strings: n consecutive tokens of the
/// paragraph padded with n-1 boundary tokens on each side (none for a paragraph without
/// tokens). "\x02" stands for the boundary (canonical text has no control character).
inline std::set<std::string> reference_shingles(const std::string& canonical, int n) {
  std::set<std::string> out;
  const std::vector<std::string> tokens = reference_tokens(canonical);
  if (tokens.empty()) return out;
  std::vector<std::string> seq(static_cast<std::size_t>(n - 1), "\x02");
  seq.insert(seq.end(), tokens.begin(), tokens.end());
  seq.insert(seq.end(), static_cast<std::size_t>(n - 1), "\x02");
  for (std::size_t s = 0; s + static_cast<std::size_t>(n) <= seq.size(); ++s) {
    std::string key;
    for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k) {
      key += seq[s + k];
      key += '\x1F';
    }
    out.insert(key);
  }
  return out;
}

/// Share of a's elements found in b.
template <typename Set>
double reference_containment(const Set& a, const Set& b) {
  if (a.empty()) return 0.0;
  std::size_t common = 0;
  for (const auto& x : a) common += b.count(x);
  return static_cast<double>(common) / static_cast<double>(a.size());
}

/// Share of a's elements found in b or c.
template <typename Set>
double reference_containment2(const Set& a, const Set& b, const Set& c) {
  if (a.empty()) return 0.0;
  std::size_t common = 0;
  for (const auto& x : a) common += (b.count(x) || c.count(x)) ? 1 : 0;
  return static_cast<double>(common) / static_cast<double>(a.size());
}

/// Share of sorted distinct a found in sorted distinct b (the library's measure).
inline double hashed_containment(const std::vector<std::uint64_t>& a,
                                 const std::vector<std::uint64_t>& b) {
  if (a.empty()) return 0.0;
  std::size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size());
}

}  // namespace bench

#endif  // PARADEDUP_BENCH_COMMON_HPP

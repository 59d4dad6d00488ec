#ifndef PARADEDUP_STATS_HPP
#define PARADEDUP_STATS_HPP

// Per-document repetition statistics: the thirteen figures of the Gopher repetition rules
// (Rae et al. 2021, "Scaling Language Models: Methods, Analysis & Insights from Training
// Gopher", appendix A, table A1), counted on paradedup's canonical form and tokens so that they
// mean the same on Chinese and Japanese (one token per character) as on English (one token per
// word). docs/stats.md works through an English and a Chinese example.

#include <algorithm>  // std::min
#include <cstddef>    // std::size_t
#include <cstdint>
#include <cstdio>  // std::snprintf
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>  // std::move
#include <vector>

#include "paradedup/deduplicate.hpp"  // detail::replace_invalid_utf8
#include "paradedup/detail/hash.hpp"
#include "paradedup/error.hpp"
#include "paradedup/fingerprint.hpp"
#include "paradedup/normalize.hpp"
#include "paradedup/options.hpp"
#include "paradedup/segment.hpp"
#include "paradedup/tokenize.hpp"
#include "paradedup/utf8.hpp"

namespace paradedup {

/// Repetition statistics of one document (see repetition_statistics() for the exact rules).
///
/// "Characters" everywhere means characters of the canonical form (canonicalize()): letters,
/// marks and digits after NFKC case folding (and Traditional->Simplified folding with
/// options::fold_han). Punctuation, symbols and spacing never count; a Chinese character
/// counts 1, like a Latin letter. Every fraction is 0 when its denominator is 0 (never NaN).
struct repetition_stats {
  std::size_t lines = 0;          ///< Lines with at least one character (blank and
                                  ///< punctuation-only lines are not counted).
  std::size_t paragraphs = 0;     ///< Blank-line-separated paragraphs with at least one character.
  std::size_t tokens = 0;         ///< Tokens (for_each_token): words, or one CJK/Thai character.
  std::size_t chars = 0;          ///< Characters of the whole document (the sum over its tokens).
  double dup_line_frac = 0;       ///< Repeated lines / lines.
  double dup_line_char_frac = 0;  ///< Characters of repeated lines / characters of all lines.
  double dup_para_frac = 0;       ///< Repeated paragraphs / paragraphs.
  double dup_para_char_frac = 0;  ///< Characters of repeated paragraphs / of all paragraphs.
  /// [k] for n = k + 2 (2, 3, 4): occurrences x characters of the most frequent n-gram of
  /// tokens, over chars. May exceed 1 when its occurrences overlap ("ha ha ha ha").
  double top_ngram_char_frac[3] = {};
  /// [k] for n = k + 5 (5..10): characters of the tokens covered by some n-gram of tokens that
  /// occurs at least twice (first occurrence included, each token once), over chars.
  double dup_ngram_char_frac[6] = {};
};

namespace detail {

/// Characters of a token of a canonical form: its code points, without the number joiners
/// (. , : - / kept between digits, which canonicalize() does not count either). So the sum
/// over the tokens of a canonical form equals the count canonicalize() returned for it.
[[nodiscard]] inline std::size_t token_chars(std::string_view token) noexcept {
  std::size_t n = 0;
  for (const char ch : token) {
    const auto c = static_cast<unsigned char>(ch);
    // In a canonical form an ASCII byte other than a letter or digit is a number joiner.
    if ((c & 0xC0) != 0x80 && !(c < 0x80 && is_number_joiner(c))) ++n;
  }
  return n;
}

/// Counts 64-bit keys (already uniform hashes) in an open-addressing table that doubles when
/// half full, so its size follows the number of distinct keys, not of occurrences. A key and
/// its count share a slot: one cache miss per lookup.
class key_counter {
 public:
  /// Empties the table and sizes it for `expected` distinct keys (it grows past that).
  void reset(std::size_t expected) {
    std::size_t cap = 16;
    while (cap < 2 * expected) cap *= 2;
    slots_.assign(cap, slot{});
    size_ = 0;
  }
  /// Counts one occurrence of key.
  void add(std::uint64_t key) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    slot& e = slots_[find(key)];
    if (e.count == 0) {
      e.key = key;
      ++size_;
    }
    ++e.count;
  }
  /// Occurrences of key so far (0 if never added).
  [[nodiscard]] std::size_t count(std::uint64_t key) const noexcept {
    return slots_[find(key)].count;
  }
  /// Distinct keys so far.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  struct slot {
    std::uint64_t key = 0;
    std::size_t count = 0;  // 0: empty
  };
  std::size_t find(std::uint64_t key) const noexcept {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(key) & mask;
    while (slots_[i].count != 0 && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void grow() {
    std::vector<slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : 2 * old.size(), slot{});
    for (const slot& e : old) {
      if (e.count != 0) slots_[find(e.key)] = e;
    }
  }
  std::vector<slot> slots_;
  std::size_t size_ = 0;
};

/// Duplicate counting for lines or paragraphs: the first occurrence of a canonical form is
/// not a duplicate, every later one is (as datatrove's find_duplicates).
struct item_tally {
  std::unordered_set<fingerprint, fingerprint_hash> seen;
  std::size_t items = 0, dups = 0, chars = 0, dup_chars = 0;

  void add(std::string_view canonical, std::size_t kept) {
    if (canonical.empty()) return;  // nothing to compare: punctuation or symbols only
    ++items;
    chars += kept;
    if (!seen.insert(exact_fingerprint(canonical)).second) {
      ++dups;
      dup_chars += kept;
    }
  }
};

[[nodiscard]] inline double fraction(std::size_t part, std::size_t whole) noexcept {
  return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

/// The n-gram figures of s from the token hashes `th` and token characters `tc`.
///
/// An n-gram that occurs twice has its (n-1)-gram prefix and its (n-1)-gram suffix occur
/// twice too, so only the positions where both do are counted (candidates); every other
/// n-gram occurs once. On text with little repetition the tables shrink to nearly nothing
/// from n = 3 on. Each counted n-gram is keyed by XXH3-64 of its n token hashes.
inline void ngram_statistics(const std::vector<std::uint64_t>& th,
                             const std::vector<std::size_t>& tc, repetition_stats& s) {
  const std::size_t t = th.size();
  if (t < 2 || s.chars == 0) return;
  key_counter table;
  table.reset(0);  // grows with the distinct keys
  for (const std::uint64_t h : th) table.add(h);
  std::vector<char> dup(t), next_dup;  // dup[i]: the (n-1)-gram at i occurs at least twice
  for (std::size_t i = 0; i < t; ++i) dup[i] = table.count(th[i]) >= 2;

  std::vector<std::size_t> candidates;
  std::vector<std::uint64_t> keys;  // keys[k]: hash of the n-gram at candidates[k]
  for (std::size_t n = 2; n <= 10 && n <= t; ++n) {
    const std::size_t m = t - n + 1;  // n-grams
    candidates.clear();
    keys.clear();
    for (std::size_t i = 0; i < m; ++i) {
      if (!dup[i] || !dup[i + 1]) continue;
      const auto* bytes = reinterpret_cast<const char*>(th.data() + i);
      candidates.push_back(i);
      keys.push_back(hash64(std::string_view(bytes, n * sizeof(std::uint64_t))));
    }
    // About as many distinct n-grams as (n-1)-grams: sized once, not doubled up from 16.
    table.reset(std::min(candidates.size(), table.size()));
    for (const std::uint64_t k : keys) table.add(k);
    next_dup.assign(m, 0);
    std::size_t top_count = 1, top_at = 0;  // no n-gram occurs twice: the first one (datatrove)
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      const std::size_t c = table.count(keys[k]);
      if (c >= 2) next_dup[candidates[k]] = 1;
      if (c > top_count) {  // strictly: ties go to the earliest first occurrence (datatrove)
        top_count = c;
        top_at = candidates[k];
      }
    }
    if (n <= 4) {
      std::size_t top_chars = 0;
      for (std::size_t i = top_at; i < top_at + n; ++i) top_chars += tc[i];
      s.top_ngram_char_frac[n - 2] = fraction(top_count * top_chars, s.chars);
    }
    if (n >= 5) {
      std::size_t covered = 0, end = 0;  // tokens [.., end) are inside a repeated n-gram
      for (std::size_t i = 0; i < t; ++i) {
        if (i < m && next_dup[i]) end = i + n;
        if (i < end) covered += tc[i];
      }
      s.dup_ngram_char_frac[n - 5] = fraction(covered, s.chars);
    }
    dup.swap(next_dup);
  }
}

}  // namespace detail

/// Repetition statistics of one document: the Gopher rules' thirteen figures (datatrove's
/// GopherRepetitionFilter), on canonical forms and paradedup tokens.
///
/// Items. Lines: the non-blank lines (split_paragraphs(text, segment_mode::lines); line ends
/// LF, CR LF, CR, NEL, U+2028, U+2029). Paragraphs: split_paragraphs(text, segment_mode::blank),
/// runs of non-blank lines. Each item's canonical form comes from canonicalize(item, o); an
/// item whose canonical form is empty (punctuation or symbols only) is not counted at all.
///
/// Duplicate lines and paragraphs: two items are equal when their canonical forms are (so
/// "Hello, world!" repeats "hello world", and with o.fold_han a Traditional Chinese line
/// repeats its Simplified form). The first
/// occurrence is not a duplicate, every later one is. dup_*_frac = duplicates / items;
/// dup_*_char_frac = characters of the duplicates / characters of all items, the characters
/// of an item being the count canonicalize() returns (letters, marks, digits).
///
/// Tokens: for_each_token() over the canonical form of each paragraph, in document order, the
/// paragraphs' sequences concatenated (n-grams run across paragraph ends, as datatrove's do
/// across the whole text; no token spans two paragraphs). The characters of a token are its
/// code points except the number joiners . , : - / ("1.2.2-2" has 4), so `chars`, the sum over
/// all tokens, equals the sum of the paragraphs' canonicalize() counts (and of the lines').
///
/// top_ngram_char_frac[n-2], n = 2, 3, 4: take the n-gram (n consecutive tokens) occurring most
/// often, ties to the one occurring first; the figure is its occurrences x its characters /
/// chars. When no n-gram occurs twice, that is the document's first n-gram, once (datatrove's
/// find_top_duplicate does the same; RedPajama-V2 reports 0 there). Overlapping occurrences
/// all count, so the figure can exceed 1. 0 with fewer than n tokens.
///
/// dup_ngram_char_frac[n-5], n = 5..10: the characters of every token that lies inside at
/// least one occurrence of an n-gram occurring two or more times (first occurrence included;
/// a token covered by several counts once), over chars (RedPajama-V2's definition).
/// datatrove's find_all_duplicate differs: it scans left to right, counts only later
/// occurrences and jumps n tokens after each, so a text written out twice scores 1.0 here and
/// about 0.5 there. 0 with fewer than n tokens.
///
/// Options read: fold_han, fold_digits (through canonicalize()) and on_invalid; the others
/// (mode, threshold, shingle, ...) do not apply.
/// Errors: invalid UTF-8 throws paradedup::error(errc::invalid_utf8, offset of the first bad
/// byte) under invalid_policy::fail and skip (a skipped document has no statistics); under
/// replace each bad byte is read as U+FFFD (a symbol: a word break). errc::unicode_backend as
/// canonicalize().
/// Cost: linear in practice. canonicalize() once per paragraph and once more per line of a
/// multi-line paragraph; one hash-table pass over the tokens, then, for each n, only over the
/// positions whose (n-1)-grams repeat. Equal n-grams are found by 64-bit hashes: two different
/// n-grams are merged with probability about k^2/2^65 among k repeated ones. Memory: up to
/// about 100 bytes per token at the peak (the 2-gram table of a text whose 2-grams are nearly
/// all distinct), plus the canonical form of the longest paragraph. Throughput: 20-27 MB/s of
/// input on English and Chinese, a 10 MB document in 0.7 s (docs/stats.md, "Cost").
/// ICU-backed through canonicalize(): needs paradedup::paradedup.
///
/// Example:
///   auto s = paradedup::repetition_statistics("Buy now!\nA line.\nBuy now.\n");
///   // s.lines == 3 ("buy now", "a line", "buy now"); s.dup_line_frac == 1/3.0;
///   // s.dup_line_char_frac == 6/17.0 (the repeat's 6 letters of 6 + 5 + 6)
[[nodiscard]] inline repetition_stats repetition_statistics(std::string_view text,
                                                            const options& o = {}) {
  std::string clean;
  const utf8_check check = validate_utf8(text);
  if (!check.valid) {
    if (o.on_invalid != invalid_policy::replace) {
      throw error(errc::invalid_utf8, check.error_offset,
                  "invalid UTF-8 at byte " + std::to_string(check.error_offset));
    }
    clean = detail::replace_invalid_utf8(text);
    text = clean;
  }
  repetition_stats s;
  detail::item_tally lines, paragraphs;
  std::vector<std::uint64_t> token_hashes;
  std::vector<std::size_t> token_chars;
  std::string canonical, line_canonical;
  for (const paragraph& p : split_paragraphs(text, segment_mode::blank).paragraphs) {
    const std::size_t kept = canonicalize(text.substr(p.begin, p.end - p.begin), o, canonical);
    paragraphs.add(canonical, kept);
    if (p.lines == 1) {
      lines.add(canonical, kept);
    } else {
      for (const auto& l : detail::split_lines(text.substr(0, p.end), p.begin)) {
        const std::size_t k =
            canonicalize(text.substr(l.begin, l.end - l.begin), o, line_canonical);
        lines.add(line_canonical, k);
      }
    }
    for_each_token(canonical, [&](std::string_view token) {
      token_hashes.push_back(detail::hash64(token));
      token_chars.push_back(detail::token_chars(token));
      s.chars += token_chars.back();
    });
  }
  s.lines = lines.items;
  s.paragraphs = paragraphs.items;
  s.tokens = token_hashes.size();
  s.dup_line_frac = detail::fraction(lines.dups, lines.items);
  s.dup_line_char_frac = detail::fraction(lines.dup_chars, lines.chars);
  s.dup_para_frac = detail::fraction(paragraphs.dups, paragraphs.items);
  s.dup_para_char_frac = detail::fraction(paragraphs.dup_chars, paragraphs.chars);
  detail::ngram_statistics(token_hashes, token_chars, s);
  return s;
}

/// Appends s to out as one JSON object on one line (no newline), keys in this order:
/// "lines", "paragraphs", "tokens", "chars" (integers), then the fractions "dup_line_frac",
/// "dup_line_char_frac", "dup_para_frac", "dup_para_char_frac", "top_2gram_char_frac",
/// "top_3gram_char_frac", "top_4gram_char_frac", "dup_5gram_char_frac", ...,
/// "dup_10gram_char_frac", each with 6 decimals ("0.333333"). The key names are stable.
/// Header-only; does not need ICU.
inline void append_stats_json(std::string& out, const repetition_stats& s) {
  bool first = true;
  auto key = [&](const char* name) {
    out.append(first ? "\"" : ",\"");
    first = false;
    out.append(name);
    out.append("\":");
  };
  auto fixed = [&](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    out.append(buf);
  };
  out.push_back('{');
  key("lines");
  out.append(std::to_string(s.lines));
  key("paragraphs");
  out.append(std::to_string(s.paragraphs));
  key("tokens");
  out.append(std::to_string(s.tokens));
  key("chars");
  out.append(std::to_string(s.chars));
  key("dup_line_frac");
  fixed(s.dup_line_frac);
  key("dup_line_char_frac");
  fixed(s.dup_line_char_frac);
  key("dup_para_frac");
  fixed(s.dup_para_frac);
  key("dup_para_char_frac");
  fixed(s.dup_para_char_frac);
  char name[32];
  for (int n = 2; n <= 4; ++n) {
    std::snprintf(name, sizeof name, "top_%dgram_char_frac", n);
    key(name);
    fixed(s.top_ngram_char_frac[n - 2]);
  }
  for (int n = 5; n <= 10; ++n) {
    std::snprintf(name, sizeof name, "dup_%dgram_char_frac", n);
    key(name);
    fixed(s.dup_ngram_char_frac[n - 5]);
  }
  out.push_back('}');
}

}  // namespace paradedup

#endif  // PARADEDUP_STATS_HPP

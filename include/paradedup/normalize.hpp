#ifndef PARADEDUP_NORMALIZE_HPP
#define PARADEDUP_NORMALIZE_HPP

// Stage 2 of the pipeline: the canonical form of a paragraph, used for comparison only.
// Output is always rebuilt from the original bytes, never from this form.

#include <cstddef>  // std::size_t
#include <cstdint>
#include <cstring>  // std::memcpy
#include <string>
#include <string_view>

#include "paradedup/options.hpp"
#include "paradedup/utf8.hpp"

namespace paradedup {

/// Writes the canonical form of `utf8` into `out` (replacing its contents) and returns the
/// number of code points kept (letters, marks, digits; the spaces are not counted).
///
/// The canonical form: NFKC with case folding (Unicode NFKC_Casefold, so full-width and
/// half-width forms, ligatures and case all fold); then every punctuation, symbol, separator,
/// control and format character (general categories P*, S*, Z*, C*) is dropped; one ASCII
/// space marks a dropped run between two characters of scripts written with spaces, so that
/// words stay apart ("a, b" -> "a b") while Chinese and Japanese run together
/// ("你好，世界" -> "你好世界"). Exceptions, so that numbers keep their meaning:
///   - . , : - / between two digits is kept, so that versions, times and dates stay whole
///     ("1.2.2-2", "10:30"; see detail::is_number_joiner);
///   - a math or currency symbol (Sm, Sc; not | or ~) or % ‰ ‱ next to a number, across
///     spaces only, is kept as a word of its own, and a minus sign ('-' right before a digit
///     and not right after a letter or digit) as the start of its number: "x > 10" ->
///     "x > 10", "$100" -> "$ 100", "-5000" -> "-5000", "50%" -> "50 %"
///     (detail::number_symbol_at). Without them "x > 10" and "x < 10", "-5℃" and "5℃",
///     "$100" and "€100" were exact repeats (review of 2026-11-30). These symbols are not
///     counted as kept characters.
/// With o.fold_han, Traditional Chinese characters become Simplified (fold_han()); with
/// o.fold_digits, every decimal digit becomes '0'.
/// Pure-ASCII input takes a fast path that never enters ICU and gives the same result.
///
/// Requires: utf8 is valid UTF-8 (see validate_utf8).
/// Throws paradedup::error(errc::unicode_backend) if ICU cannot load its normalization data.
/// Cost: linear; ~157 MB/s on mostly-ASCII English, ~117 MB/s on Chinese and Japanese
/// (benchmarks/bench_pipeline).
/// ICU-backed: defined in src/unicode_icu.cpp, needs paradedup::paradedup.
///
/// Example:
///   std::string c;
///   paradedup::canonicalize("Ｄｅｅｐ-Seek 發布！", {}, c);  // c == "deep seek发布"
std::size_t canonicalize(std::string_view utf8, const options& o, std::string& out);

/// Convenience form of canonicalize() returning the canonical string.
/// ICU-backed: defined in src/unicode_icu.cpp, needs paradedup::paradedup.
[[nodiscard]] std::string canonicalize(std::string_view utf8, const options& o = {});

/// The Simplified form of a Traditional Chinese character, or c itself when there is none
/// (or when the Traditional-to-Simplified mapping is not one character to one character).
/// The table is derived from ICU's Traditional-Simplified transliterator over the CJK Unified
/// Ideographs (and Ext. A) and the Compatibility Ideographs at build time (2,853 pairs with
/// ICU 72); a process running against another ICU version derives it again from that one at
/// the first Han character (about 75 ms, once). Lookups are a table read.
/// Thread-safe.
/// ICU-backed: defined in src/unicode_icu.cpp, needs paradedup::paradedup.
[[nodiscard]] char32_t fold_han(char32_t c);

/// The Unicode version of the ICU data that canonicalize() uses ("15.0"). Recorded in
/// fingerprint files: a different version may canonicalize some characters differently.
/// ICU-backed: defined in src/unicode_icu.cpp, needs paradedup::paradedup.
[[nodiscard]] std::string unicode_version();

namespace detail {

/// Punctuation kept between two digits, so that a version, a time, a date or a decimal stays
/// one token ("1.2.2-2.2", "10:30", "2024/01/02", "3,14"): split into digits, "1.2.2-2.2" and
/// "1.2.2-2" would share nearly all their shingles (repeated digits collapse in a set).
constexpr bool is_number_joiner(char32_t c) noexcept {
  return c == '.' || c == ',' || c == ':' || c == '-' || c == '/';
}

/// Version of the canonical form: changes whenever canonicalize() gives another result for
/// some input, so that fingerprints made before (index files) are refused, not mixed.
/// 2: symbols next to numbers kept (2026-11-30).
inline constexpr int canonical_form_version = 2;

/// Whether the symbol at [at, end) of normalized text s is kept (see canonicalize()), given
/// that it is a math or currency symbol (other than | and ~) or % ‰ ‱ (`number_like`): true
/// when the nearest character before or after it, across spaces, tabs and the ASCII
/// comparison characters < = > ! (so that both halves of ">=" count), is an ASCII digit.
/// A '-' is kept as a minus sign when a digit follows right after it and no ASCII letter or
/// digit comes right before it ("-5", "(-5)"; not "x-5"; "1-2" is a joiner).
inline bool number_symbol_at(std::string_view s, std::size_t at, std::size_t end,
                             bool number_like) noexcept {
  auto digit = [&](std::size_t k) { return s[k] >= '0' && s[k] <= '9'; };
  if (!number_like) {
    if (s[at] != '-' || end >= s.size() || !digit(end)) return false;
    if (at == 0) return true;
    const auto p = static_cast<unsigned char>(s[at - 1]);
    return !((p >= '0' && p <= '9') || (p >= 'a' && p <= 'z') || (p >= 'A' && p <= 'Z'));
  }
  auto skipped = [&](std::size_t k) {
    const char c = s[k];
    return c == ' ' || c == '\t' || c == '<' || c == '=' || c == '>' || c == '!';
  };
  std::size_t b = at;
  while (b > 0 && skipped(b - 1)) --b;
  if (b > 0 && digit(b - 1)) return true;
  std::size_t e = end;
  while (e < s.size() && skipped(e)) ++e;
  return e < s.size() && digit(e);
}

/// The ASCII fast path of canonicalize(): returns false (and leaves out unspecified) when
/// `text` holds a non-ASCII byte. Header-only; gives exactly what the ICU path gives.
inline bool canonicalize_ascii(std::string_view text, const options& o, std::string& out,
                               std::size_t& kept) {
  // Written for speed (it is most of the work on English text): a class table, and output
  // through a pointer into a buffer sized for the worst case, trimmed at the end.
  enum : unsigned char { other = 0, letter = 1, upper = 2, digit = 3, high = 4 };
  static constexpr auto table = [] {
    struct t {
      unsigned char c[256] = {};
    } r;
    for (int c = 0; c < 256; ++c) {
      r.c[c] = c >= 0x80               ? high
               : c >= 'a' && c <= 'z'  ? letter
               : c >= 'A' && c <= 'Z'  ? upper
               : c >= '0' && c <= '9'  ? digit
                                       : other;
    }
    return r;
  }();
  // A paragraph with a non-ASCII byte goes to the Unicode path whole: find that out first,
  // 8 bytes at a time, rather than after canonicalizing the part before it.
  {
    std::size_t k = 0;
    std::uint64_t any = 0;
    for (; k + 8 <= text.size(); k += 8) {
      std::uint64_t x;
      std::memcpy(&x, text.data() + k, 8);
      any |= x;
    }
    for (; k < text.size(); ++k) any |= static_cast<unsigned char>(text[k]);
    if (any & 0x8080808080808080ULL) return false;
  }
  // Letters, digits and joiners are written one for one and a space only in place of a
  // dropped byte, so the text's size is enough, but for kept symbols: each can add two bytes
  // (a space before it, one after), and makes room for them itself.
  out.resize(text.size());
  char* first = out.data();
  char* w = first;
  kept = 0;
  bool pending_space = false;
  bool last_digit = false;  // the last character written is a digit
  const std::size_t n = text.size();
  for (std::size_t k = 0; k < n; ++k) {
    auto c = static_cast<unsigned char>(text[k]);
    const unsigned char cls = table.c[c];
    if (cls == other) {
      if (c == ' ') {  // runs of spaces (indentation, columns) 8 at a time
        pending_space = true;
        while (k + 9 <= n) {
          std::uint64_t x;
          std::memcpy(&x, text.data() + k + 1, 8);
          if (x != 0x2020202020202020ULL) break;
          k += 8;
        }
        continue;
      }
      if (!pending_space && last_digit && is_number_joiner(c) && k + 1 < n &&
          table.c[static_cast<unsigned char>(text[k + 1])] == digit) {
        *w++ = static_cast<char>(c);  // "1.2.2-2", "10:30": one token
        continue;
      }
      // The ASCII math and currency symbols (Sm, Sc) but | and ~, and %; or a minus sign.
      const bool number_like = c == '+' || c == '<' || c == '=' || c == '>' || c == '$' || c == '%';
      if ((number_like || c == '-') && number_symbol_at(text, k, k + 1, number_like)) {
        const auto used = static_cast<std::size_t>(w - first);
        if (used + (n - k) + 2 > out.size()) {
          out.resize(used + 2 * (n - k) + 8);
          first = out.data();
          w = first + used;
        }
        if (w != first) *w++ = ' ';  // a word of its own; a minus sign starts its number's
        *w++ = static_cast<char>(c);
        last_digit = false;
        pending_space = number_like;
        continue;
      }
      pending_space = true;
      continue;
    }
    if (cls == letter || cls == upper) {  // a run of letters: the common case, one loop
      if (pending_space && w != first) *w++ = ' ';
      pending_space = false;
      last_digit = false;
      std::size_t j = k;
      unsigned char t = cls;
      do {
        const auto d = static_cast<unsigned char>(text[j]);
        *w++ = static_cast<char>(t == upper ? d + ('a' - 'A') : d);
        if (++j == n) break;
        t = table.c[static_cast<unsigned char>(text[j])];
      } while (t == letter || t == upper);
      kept += j - k;
      k = j - 1;
      continue;
    }
    if (cls == high) {
      out.clear();
      return false;
    }
    last_digit = cls == digit;
    if (pending_space && w != first) *w++ = ' ';
    pending_space = false;
    if (cls == upper) c = static_cast<unsigned char>(c + ('a' - 'A'));
    if (cls == digit && o.fold_digits) c = '0';
    *w++ = static_cast<char>(c);
    ++kept;
  }
  out.resize(static_cast<std::size_t>(w - first));
  return true;
}

}  // namespace detail
}  // namespace paradedup

#endif  // PARADEDUP_NORMALIZE_HPP

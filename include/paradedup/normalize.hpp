#ifndef PARADEDUP_NORMALIZE_HPP
#define PARADEDUP_NORMALIZE_HPP

// Stage 2 of the pipeline: the canonical form of a paragraph, used for comparison only.
// Output is always rebuilt from the original bytes, never from this form.

#include <cstddef>  // std::size_t
#include <cstdint>
#include <cstring>  // std::memcpy
#include <utility>  // std::pair
#include <algorithm>  // std::min
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
///     "$100" and "€100" would be exact repeats. These symbols are not counted as kept
///     characters.
/// Markup is not content: HTML character references are read as the characters they stand
/// for ("&quot;" as '"', "&#8217;" as U+2019) and HTML tags ("<p>", "</a>") as a space,
/// before anything else (detail::decode_markup), so that a copy left HTML-escaped compares
/// equal to its source.
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
/// 2: symbols next to numbers kept. 3: HTML character references decoded, HTML tags dropped.
inline constexpr int canonical_form_version = 3;

/// The code point of an HTML character reference at s[at] ('&'), and its length in bytes;
/// 0 when there is none there. Numeric references (&#8217; &#x2019;) of any scalar value but
/// NUL and surrogates; named ones of the HTML 4 set that scraped text carries (quotes,
/// dashes, spaces, the Latin-1 signs, currency), each written with its ';'.
inline char32_t html_reference_at(std::string_view s, std::size_t at, std::size_t& length) noexcept {
  length = 0;
  const std::size_t end = s.find(';', at + 1);
  if (end == std::string_view::npos || end - at < 3 || end - at > 10) return 0;
  const std::string_view body = s.substr(at + 1, end - at - 1);
  char32_t cp = 0;
  if (body[0] == '#') {
    const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    const std::size_t first = hex ? 2 : 1;
    if (first >= body.size()) return 0;
    for (std::size_t k = first; k < body.size(); ++k) {
      const char c = body[k];
      unsigned d;
      if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
      else if (hex && c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
      else if (hex && c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
      else return 0;
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) return 0;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  } else {
    static constexpr struct {
      std::string_view name;
      char32_t cp;
    } names[] = {
        {"amp", '&'},       {"lt", '<'},         {"gt", '>'},         {"quot", '"'},
        {"apos", '\''},     {"nbsp", 0xA0},      {"ndash", 0x2013},   {"mdash", 0x2014},
        {"lsquo", 0x2018},  {"rsquo", 0x2019},   {"sbquo", 0x201A},   {"ldquo", 0x201C},
        {"rdquo", 0x201D},  {"bdquo", 0x201E},   {"hellip", 0x2026},  {"middot", 0xB7},
        {"bull", 0x2022},   {"laquo", 0xAB},     {"raquo", 0xBB},     {"copy", 0xA9},
        {"reg", 0xAE},      {"trade", 0x2122},   {"deg", 0xB0},       {"plusmn", 0xB1},
        {"times", 0xD7},    {"divide", 0xF7},    {"euro", 0x20AC},    {"pound", 0xA3},
        {"yen", 0xA5},      {"cent", 0xA2},      {"sect", 0xA7},      {"para", 0xB6},
        {"shy", 0xAD},      {"ensp", 0x2002},    {"emsp", 0x2003},    {"thinsp", 0x2009},
        {"zwj", 0x200D},    {"zwnj", 0x200C},    {"minus", 0x2212},   {"frac12", 0xBD},
        {"frac14", 0xBC},   {"frac34", 0xBE},    {"iexcl", 0xA1},     {"iquest", 0xBF},
    };
    for (const auto& n : names) {
      if (n.name == body) cp = n.cp;
    }
    if (cp == 0) return 0;
  }
  length = end - at + 1;
  return cp;
}

/// Length of an HTML tag at s[at] ('<'): '<', an optional '/', the name of a common HTML
/// element (p, br, a, b, i, em, strong, span, div, li, h1-h6, td, img, ...: the list below),
/// then '>', '/' or a space, and no '<' up to the closing '>' within 300 bytes; 0 when there
/// is none. Only known element names: "<file>", "<package>", "<john@example.org>" and
/// "x < 10" are content (placeholders, addresses, comparisons), not markup.
inline std::size_t html_tag_at(std::string_view s, std::size_t at) noexcept {
  std::size_t k = at + 1;
  if (k < s.size() && s[k] == '/') ++k;
  const std::size_t name_begin = k;
  while (k < s.size() && k - name_begin < 12 &&
         ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
          (s[k] >= '1' && s[k] <= '6'))) {
    ++k;
  }
  if (k == name_begin || k >= s.size() || !(s[k] == '>' || s[k] == '/' || s[k] == ' ')) {
    return 0;
  }
  char name[12];
  const std::size_t n = k - name_begin;
  for (std::size_t j = 0; j < n; ++j) {
    const char c = s[name_begin + j];
    name[j] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
  }
  static constexpr std::string_view elements[] = {
      "p",       "br",      "a",      "b",      "i",     "u",          "s",
      "em",      "strong",  "span",   "div",    "li",    "ul",         "ol",
      "dl",      "dt",      "dd",     "h1",     "h2",    "h3",         "h4",
      "h5",      "h6",      "td",     "tr",     "th",    "tbody",      "thead",
      "table",   "img",     "hr",     "sup",    "sub",   "small",      "big",
      "font",    "strike",  "del",    "ins",    "mark",  "abbr",       "cite",
      "wbr",     "nobr",    "center", "figure", "tt",    "blockquote", "figcaption",
      "section", "article", "header", "footer", "nav",   "iframe",     "noscript"};
  bool known = false;
  for (std::string_view e : elements) known |= e == std::string_view(name, n);
  if (!known) return 0;
  for (; k < s.size() && k - at < 300; ++k) {
    if (s[k] == '<' || s[k] == '\n') return 0;
    if (s[k] == '>') return k - at + 1;
  }
  return 0;
}

/// Markup is not content: when `text` holds an HTML character reference or tag, writes to
/// `out` the text with each reference replaced by its character and each tag by a space, and
/// returns true; else returns false (out untouched). A scraped copy left HTML-escaped
/// ("&quot;Debian&quot; &amp; more") then compares equal to its source. References are
/// decoded once: "&amp;lt;" is "&lt;", not "<". Cost: two memchr scans on text without '&'
/// or '<'.
inline bool decode_markup(std::string_view text, std::string& out) {
  const std::size_t amp = text.find('&'), lt = text.find('<');
  if (amp == std::string_view::npos && lt == std::string_view::npos) return false;
  bool changed = false;
  std::size_t copied = 0;
  for (std::size_t k = std::min(amp, lt); k < text.size(); ++k) {
    const char c = text[k];
    if (c != '&' && c != '<') continue;
    std::size_t length = 0;
    char32_t cp = 0;
    if (c == '&') {
      cp = html_reference_at(text, k, length);
    } else {
      length = html_tag_at(text, k);
      cp = ' ';
    }
    if (length == 0) continue;
    if (!changed) {
      out.clear();
      out.reserve(text.size());
      changed = true;
    }
    out.append(text.substr(copied, k - copied));
    append_utf8(out, cp);
    copied = k + length;
    k = copied - 1;
  }
  if (!changed) return false;
  out.append(text.substr(copied));
  return true;
}

/// Bytes of a leading source tag of a paragraph: spaces, then one of 【】 〖〗 〔〕 around 2 to
/// 24 characters, or [] ［］ around 3 to 24 Latin letters (not all Roman numerals: "[ii]" is a
/// list label) or Hangul, without digits, brackets or line ends, when text follows it
/// ("【本報訊】", "[Reuters]", "[연합뉴스]"); 0 when there is none. Round brackets are never a tag: at the start of a line they are
/// mostly the wrapped middle of a sentence ("(at your option) any later version.") or a list
/// label ("(a)"), so a dateline in them ("（中央社）") stays content.
/// detail::verify() reads such a tag of a copy as decoration when its source has none; shingles
/// leave it out. A tag with a digit (a dateline "（台北7日電）", a footnote "[1]") is not
/// taken for one: it may be what distinguishes two paragraphs.
inline std::size_t leading_tag_bytes(std::string_view s) noexcept {
  std::size_t k = 0;
  while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
  if (k >= s.size()) return 0;
  static constexpr std::pair<char32_t, char32_t> pairs[] = {
      {0x3010, 0x3011}, {0x3016, 0x3017}, {0x3014, 0x3015}, {0xFF3B, 0xFF3D},
      {'[', ']'}};
  if (static_cast<unsigned char>(s[k]) >= 0x80 &&
      (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) {
    return 0;
  }
  std::size_t at = k;
  const char32_t open = next_code_point(s, at);
  char32_t close = 0;
  for (const auto& p : pairs) {
    if (p.first == open) close = p.second;
  }
  if (close == 0) return 0;
  // Square brackets also hold list labels ("[x]", "[ii]"), which are content: those need 3
  // characters, not all of them Roman numerals.
  const bool label_like = open == '[' || open == 0xFF3B;
  std::size_t chars = 0;
  bool roman = true;
  while (at < s.size()) {
    const char32_t c = next_code_point(s, at);
    if (c == close) {
      if (chars < (label_like ? 3 : 2) || (label_like && roman)) return 0;
      // Something that counts must follow.
      for (std::size_t j = at; j < s.size();) {
        const char32_t d = next_code_point(s, j);
        if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') ||
            d >= 0x80) {
          if (d >= 0x80 && (d <= 0xBF || (d >= 0x2000 && d <= 0x206F) ||
                            (d >= 0x3000 && d <= 0x303F) || (d >= 0xFF00 && d <= 0xFF0F))) {
            continue;  // punctuation and spaces (a coarse test: only whether text follows)
          }
          return at;
        }
      }
      return 0;
    }
    // In square brackets only a name in Latin letters or Hangul ("[Reuters]", "[연합뉴스]"):
    // Chinese or Japanese there is a label ("[中文版维护人]" before a translator's name).
    if (label_like && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == ' ' ||
                        c == '.' || c == '&' || c == '-' || (c >= 0xAC00 && c <= 0xD7A3))) {
      return 0;
    }
    if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19) || c == '\n' || c == '\r' ||
        c == open || c == '[' || c == '(' || c == 0x3010 || c == 0xFF08) {
      return 0;
    }
    roman &= c == 'i' || c == 'v' || c == 'x' || c == 'l' || c == 'c' || c == 'd' ||
             c == 'm' || c == 'I' || c == 'V' || c == 'X' || c == 'L' || c == 'C' ||
             c == 'D' || c == 'M';
    if (++chars > 24) return 0;
  }
  return 0;
}


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

// canonicalize_ascii() of text whose markup is decoded already (decode_markup()).
inline bool canonicalize_ascii_decoded(std::string_view text, const options& o,
                                       std::string& out, std::size_t& kept) {
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

/// The ASCII fast path of canonicalize(): returns false (and leaves out unspecified) when
/// `text`, its markup decoded (decode_markup()), holds a non-ASCII byte. Header-only; gives
/// exactly what the ICU path gives.
inline bool canonicalize_ascii(std::string_view text, const options& o, std::string& out,
                               std::size_t& kept) {
  std::string decoded;
  if (decode_markup(text, decoded)) return canonicalize_ascii_decoded(decoded, o, out, kept);
  return canonicalize_ascii_decoded(text, o, out, kept);
}

}  // namespace detail
}  // namespace paradedup

#endif  // PARADEDUP_NORMALIZE_HPP

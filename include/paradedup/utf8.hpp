#ifndef PARADEDUP_UTF8_HPP
#define PARADEDUP_UTF8_HPP

#include <cstddef>  // std::size_t
#include <cstdint>
#include <cstring>  // std::memcpy
#include <string>
#include <string_view>

#include "paradedup/detail/inline.hpp"

namespace paradedup {

/// Result of validate_utf8: `valid` or the byte offset of the first malformed sequence.
struct utf8_check {
  bool valid = true;           ///< True when the whole input is well-formed UTF-8.
  std::size_t error_offset = 0;  ///< Offset of the first byte of the first bad sequence.
};

/// Checks that bytes are well-formed UTF-8 as RFC 3629 and Unicode 15 Table 3-7 define it:
/// no overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
/// sequences. NUL bytes are valid UTF-8 (U+0000). Cost: one pass, ASCII 8 bytes at a time.
[[nodiscard]] inline utf8_check validate_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Skip ASCII eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;       // overlong
      else if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;       // overlong
      else if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return {false, i};
    }
    if (i + len > n) return {false, i};
    if (p[i + 1] < lo || p[i + 1] > hi) return {false, i};
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return {false, i};
    }
    i += len;
  }
  return {true, 0};
}

namespace detail {

/// Decodes one code point of valid UTF-8 at s[i] and advances i.
/// Requires: s is valid UTF-8 and i < s.size().
PARADEDUP_ALWAYS_INLINE char32_t next_code_point(std::string_view s, std::size_t& i) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char c = p[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  if (c < 0xE0) {
    char32_t cp = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
    i += 2;
    return cp;
  }
  if (c < 0xF0) {
    char32_t cp = ((c & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
    i += 3;
    return cp;
  }
  char32_t cp = ((c & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) | ((p[i + 2] & 0x3Fu) << 6) |
                (p[i + 3] & 0x3Fu);
  i += 4;
  return cp;
}

/// Appends the UTF-8 form of a valid scalar value to out.
template <typename String>
inline void append_utf8(String& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// True for scripts written without spaces between words, whose text paradedup tokenizes one
/// character at a time: Han (with its radicals, strokes and ideographic marks), Hiragana,
/// Katakana, Bopomofo, Thai, Lao, Khmer, Myanmar, Tibetan. Ranges from Unicode 15 Blocks.txt;
/// a block test rather than ICU's uscript_getScript so that the header-only tokenizer needs no
/// ICU. It differs from the Script property where a block holds characters of script Common
/// that these scripts use (the prolonged sound mark U+30FC, the CJK Strokes): those are
/// tokenized one per character too, which is what the texts that use them need.
[[nodiscard]] constexpr bool is_spaceless(char32_t c) noexcept {
  if (c < 0x0E00) return false;
  if (c <= 0x0EFF) return true;                    // Thai, Lao
  if (c >= 0x0F00 && c <= 0x0FFF) return true;     // Tibetan
  if (c >= 0x1000 && c <= 0x109F) return true;     // Myanmar
  if (c >= 0x1780 && c <= 0x17FF) return true;     // Khmer
  if (c >= 0x19E0 && c <= 0x19FF) return true;     // Khmer Symbols
  if (c < 0x2E80) return false;
  if (c <= 0x2FDF) return true;                    // CJK Radicals, Kangxi Radicals
  if (c >= 0x3005 && c <= 0x3007) return true;     // iteration mark, closing mark, zero
  if (c >= 0x3021 && c <= 0x3029) return true;     // Hangzhou numerals
  if (c >= 0x3031 && c <= 0x3035) return true;     // kana repeat marks
  if (c >= 0x3038 && c <= 0x303C) return true;
  if (c >= 0x3041 && c <= 0x312F) return true;     // Hiragana, Katakana, Bopomofo
  if (c >= 0x3190 && c <= 0x31BF) return true;     // Kanbun, Bopomofo Ext. (not Hangul Jamo)
  if (c >= 0x31C0 && c <= 0x31FF) return true;     // CJK Strokes, Katakana Phonetic Ext.
  if (c >= 0x3400 && c <= 0x4DBF) return true;     // CJK Ext. A
  if (c >= 0x4E00 && c <= 0x9FFF) return true;     // CJK Unified Ideographs
  if (c >= 0xA9E0 && c <= 0xA9FF) return true;     // Myanmar Ext. B
  if (c >= 0xAA60 && c <= 0xAA7F) return true;     // Myanmar Ext. A
  if (c >= 0xF900 && c <= 0xFAFF) return true;     // CJK Compatibility Ideographs
  if (c >= 0xFF66 && c <= 0xFF9F) return true;     // half-width Katakana
  if (c >= 0x1AFF0 && c <= 0x1B16F) return true;   // Kana Ext., Kana Supplement
  if (c >= 0x20000 && c <= 0x323AF) return true;   // CJK Ext. B..H, Compatibility Supplement
  return false;
}

/// Display width in terminal columns, roughly as wcwidth: East Asian Wide and Fullwidth
/// characters count 2, everything else 1. Used only by the auto segmentation heuristic.
[[nodiscard]] constexpr int display_width(char32_t c) noexcept {
  if (c < 0x1100) return 1;
  if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
      (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
      (c >= 0x20000 && c <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

// Copy of s with each byte of an ill-formed UTF-8 sequence replaced by U+FFFD (a symbol:
// canonicalization turns it into a word break, as for any other symbol).
inline std::string replace_invalid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  std::size_t i = 0;
  while (i < s.size()) {
    const auto check = validate_utf8(s.substr(i));
    if (check.valid) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, check.error_offset));
    out.append("\xEF\xBF\xBD");
    i += check.error_offset + 1;
  }
  return out;
}

}  // namespace detail
}  // namespace paradedup

#endif  // PARADEDUP_UTF8_HPP

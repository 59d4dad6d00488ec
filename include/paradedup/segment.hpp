#ifndef PARADEDUP_SEGMENT_HPP
#define PARADEDUP_SEGMENT_HPP

// Stage 1 of the pipeline: cut a document into paragraphs, as byte spans of the original
// input (nothing is copied, so output can be rebuilt byte for byte).

#include <algorithm>  // std::max
#include <cstddef>    // std::size_t
#include <cstdint>
#include <cstring>    // std::memcpy
#include <string_view>
#include <vector>

#include "paradedup/options.hpp"
#include "paradedup/utf8.hpp"

namespace paradedup {

/// One paragraph: byte spans into the document it was split from.
/// `begin..end` is the text (its lines and the line ends between them, without the final
/// line end); `end..line_end` is the final line end ("" at the end of input without one).
/// Blank lines after the paragraph are not part of it.
struct paragraph {
  std::size_t begin = 0;     ///< First byte of the paragraph's text.
  std::size_t end = 0;       ///< One past the last byte of its text.
  std::size_t line_end = 0;  ///< One past its final line terminator.
  std::size_t line = 0;      ///< 1-based line number of its first line.
  std::size_t lines = 0;     ///< Number of lines it spans.
};

/// The paragraphs of one document and the mode that produced them.
struct segmentation {
  segment_mode mode = segment_mode::lines;  ///< lines or blank, never auto_.
  std::vector<paragraph> paragraphs;        ///< In document order, non-overlapping.
};

namespace detail {

/// One physical line: text [begin, end), terminator [end, next).
struct line_span {
  std::size_t begin, end, next;
  bool paragraph_separator;  // ended by U+2029, which always ends a paragraph
  bool blank;                // only whitespace (including NBSP, ideographic space, BOM, ZWSP)
  bool ascii = true;         // no byte above 0x7F: its width in columns is its length
};

/// Length of the line terminator at s[i], or 0. Terminators: LF, CR LF, CR, NEL (U+0085),
/// LS (U+2028), PS (U+2029). Sets ps when it is U+2029.
inline std::size_t terminator_at(std::string_view s, std::size_t i, bool& ps) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  ps = false;
  if (c == '\n') return 1;
  if (c == '\r') return (i + 1 < s.size() && s[i + 1] == '\n') ? 2 : 1;
  if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) return 2;
  if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(s[i + 2]);
    if (c2 == 0xA8) return 3;
    if (c2 == 0xA9) {
      ps = true;
      return 3;
    }
  }
  return 0;
}

/// Length of a whitespace character at s[i] that makes a line count as blank, or 0.
inline std::size_t blank_char_at(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\v' || c == '\f') return 1;
  auto at = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  if (c == 0xC2 && at(1) == 0xA0) return 2;                                 // NBSP
  if (c == 0xE3 && at(1) == 0x80 && at(2) == 0x80) return 3;                // U+3000
  if (c == 0xEF && at(1) == 0xBB && at(2) == 0xBF) return 3;                // U+FEFF
  if (c == 0xE2 && at(1) == 0x80 && ((at(2) >= 0x80 && at(2) <= 0x8B) || at(2) == 0xAF)) {
    return 3;  // U+2000..U+200B, U+202F
  }
  if (c == 0xE2 && at(1) == 0x81 && at(2) == 0x9F) return 3;                // U+205F
  return 0;
}

/// True when the 8 bytes at p are all printable ASCII (0x21..0x7E or DEL): SWAR, one load.
inline bool printable_ascii8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  // A byte below 0x21 makes (x - 0x21..) borrow into its high bit; ~x keeps only bytes
  // that were below 0x80, so non-ASCII bytes are caught by x & high instead.
  return ((x - 0x21 * ones) & ~x & high) == 0 && (x & high) == 0;
}

/// For 8 bytes at p that are all ASCII spaces or printable (0x20..0x7E or DEL): 1 when one
/// of them is not a space, 2 when all are spaces; 0 when any is a control or non-ASCII byte.
/// Such bytes can neither end a line nor (but the spaces) leave it blank.
inline int text_ascii8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  if ((((x - 0x20 * ones) & ~x) | x) & high) return 0;  // as in printable_ascii8
  return x == 0x20 * ones ? 2 : 1;
}

/// Bit 7 of each byte of x that equals b (exact for the lowest such byte; a byte above a
/// match may be flagged too, so use it only as "some byte may match"). SWAR, no branches.
constexpr std::uint64_t bytes_equal8(std::uint64_t x, unsigned char b) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  const std::uint64_t v = x ^ (ones * b);
  return (v - ones) & ~v & high;
}

/// Splits s (valid UTF-8 or not: only ASCII and the terminators above are interpreted) into
/// physical lines, starting at byte `from`.
/// Two loops per line: while it may still be blank, byte by byte (8 printable ASCII bytes at a
/// time); once it holds a non-blank character, only a terminator can change anything, so 8
/// bytes at a time are tested for a first byte of one (LF, CR, 0xC2 for NEL, 0xE2 for LS and
/// PS) and skipped when none is there. Text in CJK scripts, which the first loop took a
/// byte at a time, is mostly skipped so (4x faster on Debian's zh and ja man pages).
inline std::vector<line_span> split_lines(std::string_view s, std::size_t from) {
  std::vector<line_span> out;
  out.reserve((s.size() - std::min(from, s.size())) / 48 + 1);
  const char* const d = s.data();
  const std::size_t n = s.size();
  std::size_t i = from;
  while (i < n) {
    line_span l{i, i, i, false, true};
    std::size_t j = i;
    std::size_t term = 0;
    bool ps = false;
    // While the line may be blank.
    while (j < n) {
      // Eight ASCII spaces or printable bytes at a time (no control or non-ASCII byte).
      while (j + 8 <= n) {
        const int t = text_ascii8(d + j);
        if (t == 0) break;
        l.blank &= t == 2;
        j += 8;
      }
      if (j == n || !l.blank) break;
      const auto c = static_cast<unsigned char>(d[j]);
      l.ascii &= c < 0x80;
      // Bytes that can neither end a line nor be whitespace end the blank part.
      if (c > ' ' && c != 0xC2 && c != 0xE2 && c != 0xE3 && c != 0xEF) {
        l.blank = false;
        break;
      }
      term = terminator_at(s, j, ps);
      if (term) break;
      if (std::size_t b = blank_char_at(s, j)) {
        j += b;
      } else {
        l.blank = false;
        break;
      }
    }
    // Not blank: look for the terminator only.
    if (term == 0 && !l.blank) {
      constexpr std::uint64_t high = 0x8080808080808080ULL;
      while (j < n) {
        std::uint64_t any_high = 0;
        while (j + 8 <= n) {
          std::uint64_t x;
          std::memcpy(&x, d + j, 8);
          const std::uint64_t maybe = bytes_equal8(x, '\n') | bytes_equal8(x, '\r') |
                                      bytes_equal8(x, 0xC2) | bytes_equal8(x, 0xE2);
          if (maybe != 0) break;
          any_high |= x;
          j += 8;
        }
        l.ascii &= (any_high & high) == 0;
        // Byte by byte up to the next 8-byte boundary of the scan (or the end).
        const std::size_t stop = std::min(n, j + 8);
        for (; j < stop; ++j) {
          const auto c = static_cast<unsigned char>(d[j]);
          l.ascii &= c < 0x80;
          if ((c == '\n' || c == '\r' || c == 0xC2 || c == 0xE2) &&
              (term = terminator_at(s, j, ps)) != 0) {
            break;
          }
        }
        if (term) break;
      }
    }
    l.end = j;
    l.next = j + term;
    l.paragraph_separator = ps;
    out.push_back(l);
    i = l.next;
  }
  return out;
}

/// True when the 8 bytes at p are all ASCII.
inline bool ascii8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return (x & 0x8080808080808080ULL) == 0;
}

/// Length of the well-formed UTF-8 sequence at s[i] (Unicode Table 3-7), at most up to e, and
/// its code point; 0 when the bytes there are not one. Inline because the auto mode measures
/// every character of multi-line blocks with it (a call of validate_utf8() per character
/// took 8% of an exact-only run on CJK man pages).
inline std::size_t utf8_sequence_at(std::string_view s, std::size_t i, std::size_t e,
                                    char32_t& cp) noexcept {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](std::size_t k) { return (byte(k) & 0xC0) == 0x80; };
  const unsigned char c = byte(0);
  if (c >= 0xC2 && c <= 0xDF) {
    if (i + 2 > e || !cont(1)) return 0;
    cp = (char32_t{c} & 0x1F) << 6 | (byte(1) & 0x3F);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (i + 3 > e || !cont(1) || !cont(2)) return 0;
    if ((c == 0xE0 && byte(1) < 0xA0) || (c == 0xED && byte(1) > 0x9F)) return 0;
    cp = (char32_t{c} & 0x0F) << 12 | (char32_t{byte(1)} & 0x3F) << 6 | (byte(2) & 0x3F);
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (i + 4 > e || !cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xF0 && byte(1) < 0x90) || (c == 0xF4 && byte(1) > 0x8F)) return 0;
    cp = (char32_t{c} & 0x07) << 18 | (char32_t{byte(1)} & 0x3F) << 12 |
         (char32_t{byte(2)} & 0x3F) << 6 | (byte(3) & 0x3F);
    return 4;
  }
  return 0;
}

/// Width in columns of bytes [b, e), decoding leniently (invalid bytes count 1).
inline std::size_t columns(std::string_view s, std::size_t b, std::size_t e) noexcept {
  std::size_t w = 0;
  for (std::size_t i = b; i < e;) {
    while (i + 8 <= e && ascii8(s.data() + i)) {  // one column per ASCII byte
      w += 8;
      i += 8;
    }
    if (i == e) break;
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++w;
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t len = utf8_sequence_at(s, i, e, cp);
    if (len == 0) {
      ++w;
      ++i;
      continue;
    }
    w += static_cast<std::size_t>(display_width(cp));
    i += len;
  }
  return w;
}

/// Width of the first word of line l: up to the first space, or one character when the line
/// starts with a character of a script written without spaces.
inline std::size_t first_word_columns(std::string_view s, const line_span& l) noexcept {
  std::size_t b = l.begin;
  while (b < l.end && (s[b] == ' ' || s[b] == '\t')) ++b;
  std::size_t e = b;
  while (e < l.end && s[e] != ' ' && s[e] != '\t') {
    const auto c = static_cast<unsigned char>(s[e]);
    if (c >= 0xE0 && e == b) {  // wide first character: a word of its own
      e += c >= 0xF0 ? 4 : 3;
      break;
    }
    ++e;
  }
  return columns(s, b, std::min(e, l.end));
}

inline std::size_t bom_length(std::string_view s) noexcept {
  return s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
}

}  // namespace detail

namespace detail {
inline segment_mode choose_segment_mode(std::string_view text,
                                        const std::vector<line_span>& lines);
}  // namespace detail

/// Chooses lines or blank for a document (the auto mode).
///
/// blank is chosen when blank lines cut the text into two or more blocks and the text looks
/// hard-wrapped: among the lines that are followed by another non-blank line of the same
/// blank-line block, at least half end where the next line's first word would not have
/// fitted within the block's widest line (at most 160 columns). Scraped articles, with one
/// long paragraph per line, fail that test and get lines; man pages, mail and plain-text
/// books wrapped at 60-100 columns pass it. A document that mixes the two (a hard-wrapped
/// copy inside a one-paragraph-per-line page) gets lines, and its wrapped lines are then
/// fragments too short to match alone.
/// Cost: two passes over the bytes (lines, then column widths of multi-line blocks).
[[nodiscard]] inline segment_mode choose_segment_mode(std::string_view text) {
  return detail::choose_segment_mode(text, detail::split_lines(text, detail::bom_length(text)));
}

namespace detail {
inline segment_mode choose_segment_mode(std::string_view text,
                                        const std::vector<line_span>& lines) {
  // Blocks of non-blank lines, as [begin, end) line ranges; a PS ends a block too.
  auto block_end = [&](std::size_t i) {
    std::size_t j = i;
    while (j < lines.size() && !lines[j].blank) {
      ++j;
      if (lines[j - 1].paragraph_separator) break;
    }
    return j;
  };
  // First, without measuring anything: the blocks and the line pairs to test.
  std::size_t blocks = 0, total = 0;
  for (std::size_t i = 0; i < lines.size();) {
    if (lines[i].blank) {
      ++i;
      continue;
    }
    const std::size_t j = block_end(i);
    ++blocks;
    total += j - i - 1;
    i = j;
  }
  // Without at least two blocks, blank mode would make the whole text one paragraph.
  if (blocks < 2 || total == 0) return segment_mode::lines;
  // Then measure, stopping as soon as the majority is known.
  std::size_t inner = 0, wrapped = 0;
  std::vector<std::size_t> widths;
  for (std::size_t i = 0; i < lines.size();) {
    if (lines[i].blank) {
      ++i;
      continue;
    }
    const std::size_t j = block_end(i);  // block = lines[i..j)
    if (j - i >= 2) {
      widths.clear();
      std::size_t widest = 0;
      for (std::size_t k = i; k < j; ++k) {
        widths.push_back(lines[k].ascii ? lines[k].end - lines[k].begin
                                        : columns(text, lines[k].begin, lines[k].end));
        widest = std::max(widest, widths.back());
      }
      for (std::size_t k = i; k + 1 < j; ++k) {
        ++inner;
        if (widest <= 160 &&
            widths[k - i] + 1 + first_word_columns(text, lines[k + 1]) > widest) {
          ++wrapped;
        }
      }
      if (wrapped * 2 >= total) return segment_mode::blank;
      if ((inner - wrapped) * 2 > total) return segment_mode::lines;
    }
    i = j;
  }
  return wrapped * 2 >= total ? segment_mode::blank : segment_mode::lines;
}
}  // namespace detail

/// Splits a document into paragraphs.
///
/// Line ends: LF, CR LF, CR, NEL (U+0085), LS (U+2028); U+2029 (PS) ends a line and always
/// ends a paragraph. A line holding only whitespace (ASCII, NBSP, U+3000, U+2000..U+200B,
/// U+202F, U+205F, U+FEFF) is blank. Line numbers (paragraph::line) count every line end
/// above, CR and NEL included. lines: each non-blank line is a paragraph. blank: each run of non-blank
/// lines is a paragraph. auto_: choose_segment_mode(text) picks one. A UTF-8 BOM at the start
/// is not part of the first paragraph (it stays in the output, before it).
/// Works on any bytes; only the terminators and whitespace above are interpreted.
/// Cost: linear; one `paragraph` (40 bytes) per paragraph plus one line record per line.
///
/// Example:
///   auto seg = paradedup::split_paragraphs("a\nb\n\nc\n", paradedup::segment_mode::blank);
///   // seg.paragraphs: "a\nb" (line 1, 2 lines), "c" (line 4)
[[nodiscard]] inline segmentation split_paragraphs(std::string_view text,
                                                   segment_mode mode = segment_mode::auto_) {
  const auto lines = detail::split_lines(text, detail::bom_length(text));
  if (mode == segment_mode::auto_) mode = detail::choose_segment_mode(text, lines);
  segmentation out;
  out.mode = mode;
  for (std::size_t i = 0; i < lines.size();) {
    if (lines[i].blank) {
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    if (mode == segment_mode::blank && !lines[i].paragraph_separator) {
      while (j < lines.size() && !lines[j].blank) {
        ++j;
        if (lines[j - 1].paragraph_separator) break;
      }
    }
    paragraph p;
    p.begin = lines[i].begin;
    p.end = lines[j - 1].end;
    p.line_end = lines[j - 1].next;
    p.line = i + 1;
    p.lines = j - i;
    out.paragraphs.push_back(p);
    i = j;
  }
  return out;
}

/// The 1-based line number of byte `offset` of `text`, counting line ends as
/// split_paragraphs() does (LF, CR LF, CR, NEL, LS, PS), so that it agrees with
/// paragraph::line. Cost: linear in offset.
[[nodiscard]] inline std::size_t line_number(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  bool ps = false;
  for (std::size_t i = 0; i < offset && i < text.size();) {
    const std::size_t t = detail::terminator_at(text, i, ps);
    if (t == 0) {
      ++i;
      continue;
    }
    if (i + t > offset) break;  // offset inside a terminator: still this line
    ++line;
    i += t;
  }
  return line;
}

}  // namespace paradedup

#endif  // PARADEDUP_SEGMENT_HPP

// The ICU-backed part of paradedup: NFKC_Casefold normalization, character categories and the
// Traditional-to-Simplified table. No ICU type crosses into include/.

#include <unicode/bytestream.h>  // icu::StringByteSink
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>  // u_charType, U_UNICODE_VERSION
#include <unicode/unistr.h>
#include <unicode/utf8.h>  // U8_NEXT

#include <algorithm>  // std::lower_bound
#include <cstring>    // std::strcmp
#include <memory>     // std::unique_ptr
#include <utility>    // std::pair
#include <vector>

#include "han_table_derive.hpp"
#include "han_table.inc"  // generated at build time into the build tree
#include "paradedup/error.hpp"
#include "paradedup/normalize.hpp"

namespace paradedup {
namespace {

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || n == nullptr) {
      throw error(errc::unicode_backend, 0,
                  std::string("ICU NFKC_Casefold data unavailable: ") + u_errorName(status));
    }
    return n;
  }();
  return *instance;
}

// Traditional -> Simplified, one character to one character: the table generated at build
// time from this ICU (han_table.inc, by src/gen_han_table.cpp), or, when the ICU found at run
// time is another version, derived again from it (about 75 ms, once per process).
class han_table {
 public:
  han_table() : bmp_(kBmpEnd - kBmpBegin, 0) {
    UVersionInfo v;
    u_getVersion(v);
    char running[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(v, running);
    if (std::strcmp(running, detail::generated_han_table_icu_version) == 0) {
      for (const auto& [from, to] : detail::generated_han_table) set(from, to);
    } else {
      for (const auto& [from, to] : detail::derive_han_table()) set(from, to);
    }
    std::sort(supplementary_.begin(), supplementary_.end());
  }

  char32_t operator()(char32_t c) const {
    if (c >= kBmpBegin && c < kBmpEnd) {
      const char32_t to = bmp_[c - kBmpBegin];
      return to ? to : c;
    }
    if (c >= 0x10000 && !supplementary_.empty()) {
      auto it = std::lower_bound(supplementary_.begin(), supplementary_.end(),
                                 std::pair<char32_t, char32_t>(c, 0));
      if (it != supplementary_.end() && it->first == c) return it->second;
    }
    return c;
  }

 private:
  static constexpr char32_t kBmpBegin = 0x3400;
  static constexpr char32_t kBmpEnd = 0xFB00;

  void set(UChar32 from, UChar32 to) {
    const auto f = static_cast<char32_t>(from);
    if (f >= kBmpBegin && f < kBmpEnd) {
      bmp_[f - kBmpBegin] = static_cast<char32_t>(to);
    } else {
      supplementary_.emplace_back(f, static_cast<char32_t>(to));
    }
  }

  std::vector<char32_t> bmp_;
  std::vector<std::pair<char32_t, char32_t>> supplementary_;
};

const han_table& han() {
  static const han_table table;
  return table;
}


}  // namespace

char32_t fold_han(char32_t c) { return han()(c); }

std::string unicode_version() { return U_UNICODE_VERSION; }

namespace {

// ICU takes int32_t lengths, and NFKC can grow text up to 11 times (U+FDFA: 3 -> 33 bytes),
// so a paragraph is normalized in pieces of at most this many bytes, each cut before a
// character that starts a new normalization segment (hasBoundaryBefore), where normalizing
// the pieces apart gives the same result as normalizing the whole.
constexpr std::size_t kChunk = std::size_t{1} << 24;  // 16 MiB -> at most 176 MiB normalized

std::size_t cut_before_boundary(std::string_view s, std::size_t limit) {
  if (limit >= s.size()) return s.size();
  const auto& n = nfkc_casefold();
  std::size_t at = limit;
  for (int tries = 0; tries < 4096 && at > 0; ++tries, --at) {
    const auto c = static_cast<unsigned char>(s[at]);
    if ((c & 0xC0) == 0x80) continue;  // not the first byte of a character
    UChar32 cp;
    int32_t i = 0;
    U8_NEXT(reinterpret_cast<const uint8_t*>(s.data() + at), i,
            static_cast<int32_t>(std::min<std::size_t>(4, s.size() - at)), cp);
    if (cp < 0 || n.hasBoundaryBefore(cp)) return at;
  }
  // No boundary in 4 KiB of combining marks (not text): cut at a character start.
  at = limit;
  while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at > 0 ? at : limit;
}

// The bulk of Chinese and Japanese text: CJK Unified Ideographs U+4E00..U+9FA5, Hiragana
// U+3041..U+3094 and Katakana U+30A1..U+30FA, all letters (Lo) since Unicode 1.1 and written
// without spaces. canonicalize() keeps them without asking u_charType(), which was 8-10% of
// an exact-only run on CJK text; checked once against the ICU in use, and not taken if it
// disagrees.
bool is_common_cjk_letter(UChar32 c) noexcept {
  return (c >= 0x4E00 && c <= 0x9FA5) || (c >= 0x3041 && c <= 0x3094) ||
         (c >= 0x30A1 && c <= 0x30FA);
}

bool common_cjk_letters_checked() {
  static const bool ok = [] {
    for (const auto& [from, to] : {std::pair<UChar32, UChar32>{0x4E00, 0x9FA5}, {0x3041, 0x3094},
                                  {0x30A1, 0x30FA}}) {
      for (UChar32 c = from; c <= to; ++c) {
        if (u_charType(c) != U_OTHER_LETTER || !detail::is_spaceless(static_cast<char32_t>(c))) {
          return false;
        }
      }
    }
    return true;
  }();
  return ok;
}

}  // namespace

std::size_t canonicalize(std::string_view utf8, const options& o, std::string& out) {
  std::size_t kept = 0;
  // Markup is decoded once, before either path (a decoded "&lt;" is not read again).
  thread_local std::string decoded;
  if (detail::decode_markup(utf8, decoded)) utf8 = decoded;
  if (detail::canonicalize_ascii_decoded(utf8, o, out, kept)) return kept;

  // The table is built at the first Han character, not at the first non-ASCII paragraph:
  // "café" alone should not pay the ~70 ms build.
  const han_table* table = nullptr;
  kept = 0;  // the ASCII attempt may have counted a prefix
  out.clear();
  out.reserve(utf8.size());
  bool pending_space = false;
  bool last_spaced = false;  // last kept character belongs to a script written with spaces
  bool last_digit = false;   // the last character written is an ASCII digit
  const bool cjk_fast = common_cjk_letters_checked();
  std::string normalized;
  for (std::size_t begin = 0; begin < utf8.size();) {
    const std::size_t end = cut_before_boundary(utf8, begin + kChunk);
    const std::string_view piece = utf8.substr(begin, end - begin);
    begin = end;
    normalized.clear();
    normalized.reserve(piece.size() + 16);
    {
      icu::StringByteSink<std::string> sink(&normalized);
      UErrorCode status = U_ZERO_ERROR;
      nfkc_casefold().normalizeUTF8(
          0, icu::StringPiece(piece.data(), static_cast<int32_t>(piece.size())), sink, nullptr,
          status);
      if (U_FAILURE(status)) {
        throw error(errc::unicode_backend, 0,
                    std::string("ICU normalization failed: ") + u_errorName(status));
      }
    }
    const auto* p = reinterpret_cast<const uint8_t*>(normalized.data());
    const auto n = static_cast<int32_t>(normalized.size());
    for (int32_t i = 0; i < n;) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT(p, i, n, c);
      if (c < 0) {  // ill-formed input: read as U+FFFD, a symbol
        pending_space = true;
        continue;
      }
      if (cjk_fast && is_common_cjk_letter(c)) {  // what the general path below does for them
        auto cp = static_cast<char32_t>(c);
        if (o.fold_han) {
          if (table == nullptr) table = &han();
          cp = (*table)(cp);
        }
        last_digit = false;
        pending_space = false;
        last_spaced = false;
        detail::append_utf8(out, cp);
        ++kept;
        continue;
      }
      const auto category = static_cast<int8_t>(u_charType(c));
      const auto mask = U_MASK(category);
      if ((mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) == 0) {
        // Between two digits, . , : - / stay: numbers are one token (as the ASCII path does).
        if (!pending_space && last_digit &&
            detail::is_number_joiner(static_cast<char32_t>(c)) && i < n && p[i] >= '0' &&
            p[i] <= '9') {
          out.push_back(static_cast<char>(c));
          continue;
        }
        // A math or currency symbol (not | or ~), % ‰ ‱ next to a number, or a minus sign:
        // kept as a word of its own (see canonicalize() in normalize.hpp).
        const bool number_like =
            ((mask & (U_GC_SM_MASK | U_GC_SC_MASK)) != 0 && c != '|' && c != '~') ||
            c == '%' || c == 0x2030 || c == 0x2031;
        if ((number_like || c == '-') &&
            detail::number_symbol_at(normalized, static_cast<std::size_t>(start),
                                     static_cast<std::size_t>(i), number_like)) {
          if (!out.empty() && last_spaced) out.push_back(' ');
          detail::append_utf8(out, static_cast<char32_t>(c));
          last_spaced = true;
          last_digit = false;
          pending_space = number_like;  // a minus sign starts its number's word
          continue;
        }
        pending_space = true;  // punctuation, symbol, separator, control, format: dropped
        continue;
      }
      last_digit = c >= '0' && c <= '9';
      auto cp = static_cast<char32_t>(c);
      const bool spaceless = detail::is_spaceless(cp);
      if (spaceless && o.fold_han) {
        if (table == nullptr) table = &han();
        cp = (*table)(cp);
      }
      if (o.fold_digits && category == U_DECIMAL_DIGIT_NUMBER) cp = U'0';
      // Marks attach to the previous character: no space before a combining mark.
      const bool mark = (mask & U_GC_M_MASK) != 0;
      if (pending_space && last_spaced && !spaceless && !mark) out.push_back(' ');
      pending_space = false;
      if (!mark) last_spaced = !spaceless;
      detail::append_utf8(out, cp);
      ++kept;
    }
  }
  return kept;
}

std::string canonicalize(std::string_view utf8, const options& o) {
  std::string out;
  canonicalize(utf8, o, out);
  return out;
}

}  // namespace paradedup

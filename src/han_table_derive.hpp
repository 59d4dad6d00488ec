// Derives the Traditional -> Simplified character table from ICU's transliterator. Shared by
// the build-time generator (gen_han_table.cpp) and the run-time fallback (unicode_icu.cpp).
// Private to src/: ICU types never reach include/.
#ifndef PARADEDUP_SRC_HAN_TABLE_DERIVE_HPP
#define PARADEDUP_SRC_HAN_TABLE_DERIVE_HPP

#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "paradedup/error.hpp"

namespace paradedup {
namespace detail {

/// Every character c whose Traditional-Simplified transliteration is one other character,
/// as (c, simplified) pairs in ascending order of c.
inline std::vector<std::pair<char32_t, char32_t>> derive_han_table() {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("Traditional-Simplified", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !t) {
    throw error(errc::unicode_backend, 0,
                std::string("ICU Traditional-Simplified transliterator unavailable: ") +
                    u_errorName(status));
  }
  // One transliterator call over all candidates, separated by newlines, rather than one call
  // per character: ~40x faster. Contexts cannot leak across the newline.
  // CJK Ext. B (U+20000..U+2A6DF) is not scanned: ICU 72 maps none of its 42,720 characters,
  // and scanning it took 41 of the table's ~110 ms build (ICU 72 maps 2,841 characters of the
  // URO, 12 of Ext. A, none of the Compatibility Ideographs).
  const std::pair<UChar32, UChar32> ranges[] = {
      {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}};
  std::vector<std::pair<char32_t, char32_t>> out;
  for (const auto& r : ranges) {
    icu::UnicodeString s;
    for (UChar32 c = r.first; c <= r.second; ++c) {
      s.append(c);
      s.append(static_cast<UChar>('\n'));
    }
    t->transliterate(s);
    UChar32 c = r.first;
    int32_t start = 0;
    while (c <= r.second && start < s.length()) {
      const int32_t nl = s.indexOf(static_cast<UChar>('\n'), start);
      if (nl < 0) break;
      const icu::UnicodeString piece(s, start, nl - start);
      if (piece.countChar32() == 1) {
        const UChar32 to = piece.char32At(0);
        if (to != c) out.emplace_back(static_cast<char32_t>(c), static_cast<char32_t>(to));
      }
      start = nl + 1;
      ++c;
    }
  }
  return out;
}

}  // namespace detail
}  // namespace paradedup

#endif  // PARADEDUP_SRC_HAN_TABLE_DERIVE_HPP

#ifndef PARADEDUP_VERIFY_HPP
#define PARADEDUP_VERIFY_HPP

// Stage 6 of the pipeline, between detect and decide: the no-loss rule. Similar shingles do
// not prove that a paragraph says nothing new ("is supported" / "is not supported" share
// most of them), so every removal that is not an exact repeat must pass verify() against the
// kept paragraph(s) it is matched to: inside a document (near pairs, merged copies, members
// and bridges of repeated blocks, retargeted removals) and against earlier documents of a
// corpus (corpus_index keeps what this needs of every paragraph it can name as a source).

#include <algorithm>  // std::sort, std::min
#include <cstddef>    // std::size_t
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <utility>  // std::pair
#include <vector>

#include "paradedup/detail/hash.hpp"
#include "paradedup/options.hpp"
#include "paradedup/utf8.hpp"

namespace paradedup {

/// A token that a removal may not add or drop: a negation or a number.
template <typename Hash>
struct basic_guard {
  std::uint32_t at = 0;  ///< Position of its (first) token in the paragraph's tokens.
  Hash id = 0;           ///< Hash (XXH3-64, or its low 32 bits) of its spelling.
};
using guard = basic_guard<std::uint64_t>;

/// What the no-loss rule compares of a paragraph: its tokens (for_each_token() of the
/// canonical form, after all the folding of the run: case, width, script, punctuation,
/// markup) and, among them, its guards. Computed with the shingles (detail::append_shingles).
struct paragraph_content {
  std::vector<std::uint64_t> tokens;  ///< detail::hash64 of every token, in text order.
  /// Its negations and numbers, by ascending position: every token holding a digit ("1,800"
  /// is one token, see canonicalize()) or being a symbol kept next to a number ("$", "%"),
  /// and every negation (detail::negation_at()).
  std::vector<guard> guards;
  /// Leading tokens that are a source tag ("【本報訊】", "[Reuters]":
  /// detail::leading_tag_bytes()). A copy's tag is decoration when its source has none.
  std::uint32_t tag_tokens = 0;
};

/// Why a paragraph is, or is not, a repeat of its source.
struct verdict {
  bool holds = true;  ///< It adds nothing and drops no guard: it may be removed.
  /// Positions in the copy's tokens of the tokens that its source lacks (counted with
  /// repeats: a word the copy has twice must be twice in the source).
  std::vector<std::uint32_t> added;
  /// Indices into the copy's guards of the negations and numbers beyond the source's.
  std::vector<std::uint32_t> added_guards;
  /// Indices into the source's guards, within the part the copy covers, that it drops.
  std::vector<std::uint32_t> missing;
};

namespace detail {

// True for a token that canonicalize() keeps as a symbol next to a number: one math or
// currency symbol, % or per mille ("$", ">", "€", "≤", "%"). The blocks of those that occur
// in practice, not the whole general categories (header-only: no ICU here).
inline bool is_number_symbol(char32_t c) noexcept {
  if (c < 0x80) return c == '+' || c == '<' || c == '=' || c == '>' || c == '$' || c == '%';
  return (c >= 0xA2 && c <= 0xA5) || c == 0xAC || c == 0xB1 || c == 0xD7 || c == 0xF7 ||
         c == 0x2030 || c == 0x2031 || (c >= 0x20A0 && c <= 0x20CF) ||
         (c >= 0x2190 && c <= 0x22FF) || (c >= 0x2A00 && c <= 0x2AFF);
}
inline bool is_number_symbol_token(std::string_view token) noexcept {
  if (token.size() > 3) return false;
  std::size_t at = 0;
  const char32_t c = next_code_point(token, at);
  return at == token.size() && is_number_symbol(c);
}

// True for a character that negation_at() can match when it is a token of its own (a Han
// character, a kana, a one-syllable Korean word): the single-character negations, the last
// kana of a multi-kana one (ない なく なかっ なけれ ません) and 않 없.
inline bool may_end_negation(char32_t c) noexcept {
  switch (c) {
    case U'\u4E0D': case U'\u6CA1': case U'\u6C92': case U'\u65E0': case U'\u7121':
    case U'\u975E': case U'\u672A': case U'\u522B': case U'\u5225': case U'\u83AB':
    case U'\u52FF': case U'\u5426': case U'\u305A': case U'\uC548': case U'\uBABB':
    case U'\u3044': case U'\u304F': case U'\u3063': case U'\u308C': case U'\u3093':
    case U'\uC54A': case U'\uC5C6':
      return true;
    default:
      return false;
  }
}

// The negation that ends at `token` (the current token; prev and prev2 are the two before it,
// empty at the start): its spelling and how many tokens before this one it starts (0-2), or
// an empty spelling. The list (documented in the README):
//   English, German, French, Spanish words: not no never none nor neither nothing nobody
//     nowhere cannot without, and n't ("isn't" is the tokens "isn" "t"); nicht kein keine
//     keinen keinem keiner nie niemals; pas jamais aucun aucune sans non; nunca sin;
//   Chinese characters (Han, so also the Japanese kanji): 不 没 沒 无 無 非 未 别 別 莫 勿 否;
//   Japanese kana: ない なく なかっ なけれ ません ず;
//   Korean words: 안, 못, 아니- (아니/아닌/아닙/아님/아냐), and any holding 않, 없 or 못.
// A false negation costs recall only: a copy dropping it is kept.
struct negation {
  std::string_view spelling;
  std::uint32_t back = 0;
};

inline negation negation_at(std::string_view token, std::string_view prev,
                            std::string_view prev2) noexcept {
  const auto first = static_cast<unsigned char>(token[0]);
  if (first < 0x80) {
    // Most words are rejected by their length or first letter, before any comparison.
    const std::size_t n = token.size();
    if (n == 1) {
      if (token[0] == 't' && !prev.empty() && prev.back() == 'n' &&
          static_cast<unsigned char>(prev[0]) < 0x80) {
        return {"n't", 1};
      }
      return {};
    }
    if (n > 7) return {};
    auto any = [&](std::initializer_list<std::string_view> words) {
      for (std::string_view w : words) {
        if (w == token) return true;
      }
      return false;
    };
    bool hit = false;
    switch (token[0]) {
      case 'n':
        hit = any({"no", "ne", "not", "nor", "nie", "non", "none", "never", "neither",
                   "nothing", "nobody", "nowhere", "nicht", "niemals", "nunca"});
        break;
      case 'c': hit = token == "cannot"; break;
      case 'w': hit = token == "without"; break;
      case 'k': hit = any({"kein", "keine", "keinen", "keinem", "keiner"}); break;
      case 'p': hit = token == "pas"; break;
      case 's': hit = token == "sans" || token == "sin"; break;
      case 'j': hit = token == "jamais"; break;
      case 'a': hit = token == "aucun" || token == "aucune"; break;
      default: break;
    }
    return hit ? negation{token, 0} : negation{};
  }
  if (first < 0xE0) return {};
  std::size_t at = 0;
  const char32_t c = next_code_point(token, at);
  if (at == token.size()) {  // one character: Han, kana, or a one-syllable Korean word
    switch (c) {
      case U'\u4E0D': case U'\u6CA1': case U'\u6C92': case U'\u65E0': case U'\u7121':
      case U'\u975E': case U'\u672A': case U'\u522B': case U'\u5225': case U'\u83AB':
      case U'\u52FF': case U'\u5426': case U'\u305A':  // 不没沒无無非未别別莫勿否 ず
      case U'\uC548': case U'\uBABB':                  // 안 못
        return {token, 0};
      default:
        break;
    }
    auto is = [](std::string_view t, char32_t want) {
      std::size_t k = 0;
      return !t.empty() && next_code_point(t, k) == want && k == t.size();
    };
    if (c == U'\u3044' && is(prev, U'\u306A')) return {"\xE3\x81\xAA\xE3\x81\x84", 1};  // ない
    if (c == U'\u304F' && is(prev, U'\u306A')) return {"\xE3\x81\xAA\xE3\x81\x8F", 1};  // なく
    if (c == U'\u3063' && is(prev, U'\u304B') && is(prev2, U'\u306A')) {
      return {"\xE3\x81\xAA\xE3\x81\x8B\xE3\x81\xA3", 2};  // なかっ
    }
    if (c == U'\u308C' && is(prev, U'\u3051') && is(prev2, U'\u306A')) {
      return {"\xE3\x81\xAA\xE3\x81\x91\xE3\x82\x8C", 2};  // なけれ
    }
    if (c == U'\u3093' && is(prev, U'\u305B') && is(prev2, U'\u307E')) {
      return {"\xE3\x81\xBE\xE3\x81\x9B\xE3\x82\x93", 2};  // ません
    }
    if (c != U'\uC54A' && c != U'\uC5C6') return {};  // 않 없 alone fall through
  }
  if (c < 0xAC00 || c > 0xD7A3) return {};  // not a Hangul word
  char32_t previous = 0;
  for (std::size_t k = 0; k < token.size();) {
    const std::size_t start = k;
    const char32_t s = next_code_point(token, k);
    if (s == U'\uC54A' || s == U'\uC5C6' || s == U'\uBABB') {  // 않 없 못
      return {token.substr(start, k - start), 0};
    }
    if (start == 3 && previous == U'\uC544' &&
        (s == U'\uB2C8' || s == U'\uB2CC' || s == U'\uB2D9' || s == U'\uB2D8' ||
         s == U'\uB0D0')) {  // 아니 아닌 아닙 아님 아냐
      return {"\xEC\x95\x84\xEB\x8B\x88", 0};
    }
    previous = s;
  }
  return {};
}

// Adds the guards of each token, fed in text order (detail::append_shingles).
class guard_scanner {
 public:
  void reset() noexcept { prev_ = prev2_ = {}; }

  // One character U+0800..FFFF (most CJK tokens) inline; other tokens in feed_word().
  PARADEDUP_ALWAYS_INLINE void feed(std::string_view token, std::uint64_t hash,
                                    std::uint32_t position, std::vector<guard>& out) {
    const auto first = static_cast<unsigned char>(token[0]);
    if (token.size() == 3 && first >= 0xE0 && first < 0xF0) {
      const char32_t c = static_cast<char32_t>(first & 0x0Fu) << 12 |
                         static_cast<char32_t>(static_cast<unsigned char>(token[1]) & 0x3Fu) << 6 |
                         (static_cast<unsigned char>(token[2]) & 0x3Fu);
      if (is_number_symbol(c)) {
        out.push_back({position, hash});
      } else if (may_end_negation(c)) {
        add_negation(token, hash, position, out);
      }
      prev2_ = prev_;
      prev_ = token;
      return;
    }
    feed_word(token, hash, position, out);
  }

 private:
  void feed_word(std::string_view token, std::uint64_t hash, std::uint32_t position,
                 std::vector<guard>& out) {
    const auto first = static_cast<unsigned char>(token[0]);
    // A character of its own (CJK, kana: 3 bytes) holds no digit; words are scanned.
    bool digit = false;
    if (first < 0xE0 || token.size() > 4) {
      for (const char c : token) digit |= c >= '0' && c <= '9';
    }
    if (digit || (token.size() <= 3 && is_number_symbol_token(token))) {
      out.push_back({position, hash});
    } else if (may_be_negation(first, token.size())) {
      add_negation(token, hash, position, out);
    }
    prev2_ = prev_;
    prev_ = token;
  }

  void add_negation(std::string_view token, std::uint64_t hash, std::uint32_t position,
                    std::vector<guard>& out) const {
    const negation n = negation_at(token, prev_, prev2_);
    if (!n.spelling.empty()) {
      const std::uint64_t id =
          n.back == 0 && n.spelling.size() == token.size() ? hash : hash64(n.spelling);
      out.push_back({position - n.back, id});
    }
  }

  // False for a token that negation_at() cannot match: most ASCII words, by their first letter
  // and length (negation_at() costs a call and a few comparisons per token otherwise).
  static bool may_be_negation(unsigned char first, std::size_t size) noexcept {
    if (first >= 0xE0) return true;  // CJK, kana, Hangul
    if (first >= 0x80) return false;
    if (size == 1) return first == 't';
    if (size > 7 || first < 'a' || first > 'z') return false;
    // Bit k of sizes[letter]: a negation of that first letter has k bytes.
    static constexpr unsigned char sizes[26] = {
        /*a*/ 1u << 5 | 1u << 6, 0, /*c*/ 1u << 6, 0, 0, 0, 0, 0, 0, /*j*/ 1u << 6,
        /*k*/ 1u << 4 | 1u << 5 | 1u << 6, 0, 0,
        /*n*/ 1u << 2 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 7 | 1u << 6, 0, /*p*/ 1u << 3, 0, 0,
        /*s*/ 1u << 3 | 1u << 4, 0, 0, 0, /*w*/ 1u << 7, 0, 0, 0};
    return ((sizes[first - 'a'] >> size) & 1u) != 0;
  }

  std::string_view prev_, prev2_;
};

// A paragraph's content as verify() reads it, with hashes of type Hash (the low 32 bits when
// it comes from a corpus index).
template <typename Hash>
struct content_ref {
  const Hash* tokens = nullptr;
  std::size_t token_count = 0;
  const basic_guard<Hash>* guards = nullptr;
  std::size_t guard_count = 0;
  std::uint32_t tag_tokens = 0;
};

inline content_ref<std::uint64_t> ref(const paragraph_content& c) noexcept {
  return {c.tokens.data(), c.tokens.size(), c.guards.data(), c.guards.size(), c.tag_tokens};
}

// Where the copy lies in the source: from the first place holding the copy's first tokens
// (up to 3) to the end of the last place holding its last ones; the whole source when either
// is nowhere. The earliest start and the latest end make the part as large as it can be, so
// a guard is excused as cut off only when the copy really ends before or starts after it.
template <typename Hash>
std::pair<std::size_t, std::size_t> covered_part(const Hash* copy, std::size_t n,
                                                 const Hash* src, std::size_t m) {
  const std::size_t k = std::min<std::size_t>(3, n);
  if (k == 0 || m < k) return {0, m};
  auto at = [&](std::size_t s, const Hash* what) {
    for (std::size_t j = 0; j < k; ++j) {
      if (src[s + j] != what[j]) return false;
    }
    return true;
  };
  std::size_t lo = m, hi = m;
  for (std::size_t s = 0; s + k <= m; ++s) {
    if (at(s, copy)) {
      lo = s;
      break;
    }
  }
  bool found_end = false;
  for (std::size_t s = m - k + 1; s-- > 0;) {
    if (at(s, copy + (n - k))) {
      hi = s + k;
      found_end = true;
      break;
    }
  }
  if (lo == m) lo = 0;
  if (!found_end) hi = m;
  if (lo >= hi) return {0, m};
  return {lo, hi};
}

// The rule itself (see verify()), on a copy with full hashes and a source whose hashes are
// of type Hash (the copy's are cut to that width).
template <typename Hash>
verdict check_content(const paragraph_content& copy, const content_ref<Hash>& src) {
  verdict v;
  const std::size_t skip =
      copy.tag_tokens > 0 && src.tag_tokens == 0 ? std::min<std::size_t>(copy.tag_tokens, copy.tokens.size()) : 0;
  const std::size_t n = copy.tokens.size() - skip;
  std::vector<Hash> ours(n);
  for (std::size_t k = 0; k < n; ++k) ours[k] = static_cast<Hash>(copy.tokens[skip + k]);

  // Rule 1: every token of the copy is in the source (as a multiset).
  {
    std::vector<std::pair<Hash, std::uint32_t>> a(n);
    for (std::size_t k = 0; k < n; ++k) a[k] = {ours[k], static_cast<std::uint32_t>(skip + k)};
    std::sort(a.begin(), a.end());
    std::vector<Hash> b(src.tokens, src.tokens + src.token_count);
    std::sort(b.begin(), b.end());
    std::size_t j = 0;
    for (const auto& [h, pos] : a) {
      while (j < b.size() && b[j] < h) ++j;
      if (j < b.size() && b[j] == h) {
        ++j;
      } else {
        v.added.push_back(pos);
      }
    }
    std::sort(v.added.begin(), v.added.end());
  }
  // Guards, as multisets of their ids: the copy's must be among the source's (it adds no
  // negation: "ない" can be spelled with kana the source has elsewhere), and the source's in
  // the part the copy covers must be among the copy's (it drops none, but by a cut).
  std::vector<std::pair<Hash, std::uint32_t>> cg, sg;
  for (std::size_t k = 0; k < copy.guards.size(); ++k) {
    if (copy.guards[k].at >= skip) {
      cg.emplace_back(static_cast<Hash>(copy.guards[k].id), static_cast<std::uint32_t>(k));
    }
  }
  const auto [lo, hi] = covered_part(ours.data(), n, src.tokens, src.token_count);
  std::vector<std::pair<Hash, std::uint32_t>> all_sg;
  for (std::size_t k = 0; k < src.guard_count; ++k) {
    all_sg.emplace_back(src.guards[k].id, static_cast<std::uint32_t>(k));
    if (src.guards[k].at >= lo && src.guards[k].at < hi) {
      sg.emplace_back(src.guards[k].id, static_cast<std::uint32_t>(k));
    }
  }
  std::sort(cg.begin(), cg.end());
  std::sort(sg.begin(), sg.end());
  std::sort(all_sg.begin(), all_sg.end());
  // a \ b by id, as multisets; the second members of a's leftovers are appended to out.
  auto difference = [](const auto& a, const auto& b, std::vector<std::uint32_t>& out) {
    std::size_t j = 0;
    for (const auto& [id, index] : a) {
      while (j < b.size() && b[j].first < id) ++j;
      if (j < b.size() && b[j].first == id) {
        ++j;
      } else {
        out.push_back(index);
      }
    }
    std::sort(out.begin(), out.end());
  };
  difference(cg, all_sg, v.added_guards);
  difference(sg, cg, v.missing);
  v.holds = v.added.empty() && v.added_guards.empty() && v.missing.empty();
  return v;
}

// check_content(copy, src).holds without the positions of what differs: rule 1 by a hash
// table of the source's tokens (O(n + m), no sort), the guards (few) sorted, in scratch
// buffers kept per thread, so that the detection's many checks allocate nothing. Stops at the
// first token or guard that breaks the rule.
template <typename Hash>
bool content_holds(const paragraph_content& copy, const content_ref<Hash>& src) {
  const std::size_t skip = copy.tag_tokens > 0 && src.tag_tokens == 0
                               ? std::min<std::size_t>(copy.tag_tokens, copy.tokens.size())
                               : 0;
  const std::size_t n = copy.tokens.size() - skip, m = src.token_count;
  if (n > m) return false;  // a multiset holds no larger one
  struct slot {
    Hash key;
    std::uint32_t count;
    std::uint32_t stamp;  // the slot is in use in this call when it equals `stamp`
  };
  thread_local std::vector<slot> table;
  thread_local std::uint32_t stamp = 0;
  std::size_t size = 16;
  while (size < 2 * m) size *= 2;
  if (table.size() < size) table.assign(size, slot{0, 0, 0}), stamp = 0;
  if (++stamp == 0) std::fill(table.begin(), table.end(), slot{0, 0, 0}), stamp = 1;
  const std::size_t mask = size - 1;
  for (std::size_t k = 0; k < m; ++k) {
    const Hash h = src.tokens[k];
    for (std::size_t at = static_cast<std::size_t>(h) & mask;; at = (at + 1) & mask) {
      slot& e = table[at];
      if (e.stamp != stamp) {
        e = {h, 1, stamp};
        break;
      }
      if (e.key == h) {
        ++e.count;
        break;
      }
    }
  }
  thread_local std::vector<Hash> ours;
  ours.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const Hash h = static_cast<Hash>(copy.tokens[skip + k]);
    ours[k] = h;
    for (std::size_t at = static_cast<std::size_t>(h) & mask;; at = (at + 1) & mask) {
      slot& e = table[at];
      if (e.stamp != stamp) return false;  // a token the source lacks
      if (e.key == h) {
        if (e.count == 0) return false;  // more often than in the source
        --e.count;
        break;
      }
    }
  }
  // Guards as multisets of ids: the copy's among all the source's, and the source's in the
  // part the copy covers among the copy's.
  thread_local std::vector<Hash> cg, sg, all_sg;
  cg.clear();
  for (const guard& g : copy.guards) {
    if (g.at >= skip) cg.push_back(static_cast<Hash>(g.id));
  }
  if (cg.size() > src.guard_count) return false;
  if (src.guard_count == 0) return true;
  const auto [lo, hi] = covered_part(ours.data(), n, src.tokens, m);
  sg.clear();
  all_sg.clear();
  for (std::size_t k = 0; k < src.guard_count; ++k) {
    all_sg.push_back(src.guards[k].id);
    if (src.guards[k].at >= lo && src.guards[k].at < hi) sg.push_back(src.guards[k].id);
  }
  std::sort(cg.begin(), cg.end());
  std::sort(sg.begin(), sg.end());
  std::sort(all_sg.begin(), all_sg.end());
  return std::includes(all_sg.begin(), all_sg.end(), cg.begin(), cg.end()) &&
         std::includes(cg.begin(), cg.end(), sg.begin(), sg.end());
}

// True when the copy's tokens (at least two, its tag left out when the source has none) are a
// contiguous run of the source's: a piece of it, as the halves of a paragraph that a copy cut
// in two, or a copy's truncated last paragraph. Such a piece passes check_content() too.
inline bool is_piece(const paragraph_content& copy, const paragraph_content& source) noexcept {
  const std::size_t skip = copy.tag_tokens > 0 && source.tag_tokens == 0 ? copy.tag_tokens : 0;
  if (copy.tokens.size() < skip + 2) return false;
  const std::uint64_t* c = copy.tokens.data() + skip;
  const std::size_t n = copy.tokens.size() - skip, m = source.tokens.size();
  for (std::size_t s = 0; s + n <= m; ++s) {
    std::size_t k = 0;
    while (k < n && source.tokens[s + k] == c[k]) ++k;
    if (k == n) return true;
  }
  return false;
}

// The content of two paragraphs one after the other (a copy merging them, a run of source
// paragraphs that a re-split copy covers).
inline void concatenate(const paragraph_content& a, const paragraph_content& b,
                        paragraph_content& out) {
  out.tokens.assign(a.tokens.begin(), a.tokens.end());
  out.guards.assign(a.guards.begin(), a.guards.end());
  out.tag_tokens = a.tag_tokens;
  const auto shift = static_cast<std::uint32_t>(a.tokens.size());
  out.tokens.insert(out.tokens.end(), b.tokens.begin(), b.tokens.end());
  for (guard g : b.guards) out.guards.push_back({g.at + shift, g.id});
}
inline paragraph_content concatenate(const paragraph_content& a, const paragraph_content& b) {
  paragraph_content out;
  concatenate(a, b, out);
  return out;
}

}  // namespace detail

/// The no-loss rule: whether `copy` may be removed as a repeat of `source`, and why not.
///
/// It holds when, compared after the folding of the run (NFKC, case, width, Traditional /
/// Simplified script, punctuation, HTML markup):
///   1. the copy adds no token: every word, number (digits with their separators as one token:
///      "1,800" is not "1,807") and CJK, kana or Hangul character of it occurs in the source
///      (as often), and so does every negation and number of it;
///   2. it drops no negation and no number of the source, except as a truncation: a copy cut
///      at its start or end may lack the guards of the part cut off (the part it covers runs
///      from the earliest place holding its first three tokens to the latest place holding its
///      last three, or is the whole source when one of them is nowhere).
/// A leading source tag of the copy ("【本報訊】", detail::leading_tag_bytes()) is decoration
/// when the source has none. Exact repeats need no verification (equal canonical text). With
/// near_rule::similar the rule is off: holds is always true (nothing else is computed).
/// Cost: O(T log T) for the T tokens of the two paragraphs (sorts of copies).
///
/// Example:
///   verify(content("it is not supported"), content("it is supported")).holds == false
///   (content(): the paragraph_content that compute_features() gives)
[[nodiscard]] inline verdict verify(const paragraph_content& copy,
                                    const paragraph_content& source,
                                    near_rule rule = near_rule::subset) {
  if (rule == near_rule::similar) return {};
  return detail::check_content(copy, detail::ref(source));
}

}  // namespace paradedup

#endif  // PARADEDUP_VERIFY_HPP

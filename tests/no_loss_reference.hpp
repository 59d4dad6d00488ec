#ifndef PARADEDUP_TESTS_NO_LOSS_REFERENCE_HPP
#define PARADEDUP_TESTS_NO_LOSS_REFERENCE_HPP

// A brute-force reference of the no-loss rule (verify.hpp), for tests and the fuzz target: it
// reads the canonical tokens as strings, counts them by direct comparison and finds the
// part of the source a copy covers by trying every position, so it shares no hashing, sorting
// or multiset code with verify(). It shares the rule's definitions only: which token is a
// number (one holding an ASCII digit after folding, or detail::is_number_symbol_token) and
// which spellings are negations (detail::negation_at, the documented list).
//
// reference_violation() checks rules 1 and 2 for a copy against its source (for a merged
// copy, the two sources one after the other) and returns what breaks them, or "" when they
// hold. Cost: O(T^2) in the tokens of the two paragraphs; meant for test-sized paragraphs.

#include <paradedup/deduplicate.hpp>
#include <paradedup/verify.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace paradedup_test {

struct reference_guard {
  std::size_t at = 0;     // position of its first token
  std::string spelling;   // the number token, or the negation ("n't", "ない")
};

// The numbers and negations of a token sequence, by position.
inline std::vector<reference_guard> reference_guards(const std::vector<std::string>& t) {
  std::vector<reference_guard> out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool digit = std::any_of(t[i].begin(), t[i].end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
    if (digit || paradedup::detail::is_number_symbol_token(t[i])) {
      out.push_back({i, t[i]});
      continue;
    }
    const auto n = paradedup::detail::negation_at(
        t[i], i >= 1 ? std::string_view(t[i - 1]) : std::string_view(),
        i >= 2 ? std::string_view(t[i - 2]) : std::string_view());
    if (!n.spelling.empty()) out.push_back({i - n.back, std::string(n.spelling)});
  }
  return out;
}

// How often `what` occurs among the spellings of `in` (from position `from` on).
inline std::size_t count_spelling(const std::vector<reference_guard>& in, const std::string& what,
                                  std::size_t from = 0) {
  std::size_t n = 0;
  for (const reference_guard& g : in) n += g.at >= from && g.spelling == what;
  return n;
}

// Empty when the copy (its first copy_tag tokens a source tag) may go as a repeat of the
// source (source_tag: whether the source has a tag of its own); otherwise why not.
inline std::string reference_violation(const std::vector<std::string>& copy, std::size_t copy_tag,
                                       const std::vector<std::string>& source, bool source_tag) {
  const std::size_t skip = source_tag ? 0 : std::min(copy_tag, copy.size());
  const std::vector<std::string> c(copy.begin() + static_cast<std::ptrdiff_t>(skip), copy.end());
  // Rule 1: each token of the copy occurs in the source at least as often.
  for (const std::string& t : c) {
    const auto in_copy = std::count(c.begin(), c.end(), t);
    const auto in_source = std::count(source.begin(), source.end(), t);
    if (in_copy > in_source) return "adds the token '" + t + "'";
  }
  const std::vector<reference_guard> cg = reference_guards(copy), sg = reference_guards(source);
  for (const reference_guard& g : cg) {
    if (g.at < skip) continue;
    if (count_spelling(cg, g.spelling, skip) > count_spelling(sg, g.spelling)) {
      return "adds the guard '" + g.spelling + "'";
    }
  }
  // Rule 2: the source's guards in the part the copy covers (from the earliest place holding
  // its first three tokens to the latest place holding its last three) are all in the copy.
  const std::size_t n = c.size(), m = source.size(), k = std::min<std::size_t>(3, n);
  std::size_t lo = 0, hi = m;
  if (k > 0 && m >= k) {
    auto run_at = [&](std::size_t s, std::size_t from) {
      for (std::size_t j = 0; j < k; ++j) {
        if (source[s + j] != c[from + j]) return false;
      }
      return true;
    };
    std::size_t first = m, last_end = m;
    bool found_end = false;
    for (std::size_t s = 0; s + k <= m; ++s) {
      if (run_at(s, 0)) {
        first = s;
        break;
      }
    }
    for (std::size_t s = 0; s + k <= m; ++s) {
      if (run_at(s, n - k)) {
        last_end = s + k;
        found_end = true;
      }
    }
    lo = first == m ? 0 : first;
    hi = found_end ? last_end : m;
    if (lo >= hi) lo = 0, hi = m;
  }
  std::vector<reference_guard> covered;
  for (const reference_guard& g : sg) {
    if (g.at >= lo && g.at < hi) covered.push_back(g);
  }
  for (const reference_guard& g : covered) {
    if (count_spelling(covered, g.spelling) > count_spelling(cg, g.spelling, skip)) {
      return "drops the guard '" + g.spelling + "'";
    }
  }
  return {};
}

// The same for removal `rm` of a deduplicate() result on `text` (exact removals hold by
// definition). Uses the canonical tokens that explain_removals() uses.
inline std::string reference_violation(std::string_view text, const paradedup::result& r,
                                       const paradedup::removal& rm, const paradedup::options& o) {
  namespace pd = paradedup;
  if (rm.kind == pd::duplicate_kind::exact || o.near == pd::near_rule::similar) return {};
  const auto copy = pd::detail::text_of(text, r.segments, o, rm.index);
  const auto source = rm.merged ? pd::detail::text_of(text, r.segments, o, rm.duplicate_of, rm.also_of)
                                : pd::detail::text_of(text, r.segments, o, rm.duplicate_of);
  if (copy.canonical == source.canonical) return {};
  return reference_violation(copy.tokens, copy.content.tag_tokens, source.tokens,
                             source.content.tag_tokens > 0);
}

}  // namespace paradedup_test

#endif  // PARADEDUP_TESTS_NO_LOSS_REFERENCE_HPP

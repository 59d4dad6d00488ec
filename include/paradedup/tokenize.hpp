#ifndef PARADEDUP_TOKENIZE_HPP
#define PARADEDUP_TOKENIZE_HPP

// Stage 3 of the pipeline: tokens of a canonical paragraph (see normalize.hpp).

#include <cstddef>  // std::size_t
#include <string>
#include <string_view>
#include <vector>

#include "paradedup/utf8.hpp"

namespace paradedup {

/// Calls f(std::string_view token) for each token of a canonical string, in order.
///
/// Characters of scripts written without spaces (Han, Hiragana, Katakana, Bopomofo, Thai,
/// Lao, Khmer, Myanmar, Tibetan; see detail::is_spaceless) are one token each; every other
/// maximal run of characters between spaces and those characters is one token. So
/// "deepseek发布v3模型" gives deepseek, 发, 布, v3, 模, 型. Splitting on whitespace alone
/// would make a whole Chinese sentence one token, which is why whitespace-based tools see no
/// overlap between a Chinese paragraph and its lightly edited copy.
/// Requires: canonical is valid UTF-8 (canonicalize() output is). Cost: linear, no allocation.
template <typename F>
inline void for_each_token(std::string_view canonical, F&& f) {
  // Views by pointer and length: substr() checks its bounds and throws, which keeps it
  // from being inlined in callers this size.
  auto view = [&](std::size_t from, std::size_t to) {
    return std::string_view(canonical.data() + from, to - from);
  };
  std::size_t word = 0;  // start of the current word token
  bool in_word = false;
  for (std::size_t i = 0; i < canonical.size();) {
    const std::size_t at = i;
    const auto c = static_cast<unsigned char>(canonical[i]);
    if (c == ' ') {
      if (in_word) f(view(word, at));
      in_word = false;
      ++i;
      continue;
    }
    if (c < 0xE0) {  // below U+0800: never a spaceless script
      i += c < 0x80 ? 1 : 2;
      if (!in_word) {
        word = at;
        in_word = true;
      }
      continue;
    }
    const char32_t cp = detail::next_code_point(canonical, i);
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || detail::is_spaceless(cp)) {  // CJK first: most
      if (in_word) f(view(word, at));
      in_word = false;
      f(view(at, i));
    } else if (!in_word) {
      word = at;
      in_word = true;
    }
  }
  if (in_word) f(view(word, canonical.size()));
}

/// The tokens of a canonical string as views into it (see for_each_token). The views point
/// into `canonical`, which must outlive them.
[[nodiscard]] inline std::vector<std::string_view> tokenize(std::string_view canonical) {
  std::vector<std::string_view> out;
  for_each_token(canonical, [&](std::string_view t) { out.push_back(t); });
  return out;
}
/// Deleted: the views would point into a temporary (tokenize(canonicalize(x)) dangles).
std::vector<std::string_view> tokenize(std::string&&) = delete;
/// A string literal or other NUL-terminated string (lives long enough by construction).
[[nodiscard]] inline std::vector<std::string_view> tokenize(const char* canonical) {
  return tokenize(std::string_view(canonical));
}

}  // namespace paradedup

#endif  // PARADEDUP_TOKENIZE_HPP

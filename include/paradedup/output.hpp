#ifndef PARADEDUP_OUTPUT_HPP
#define PARADEDUP_OUTPUT_HPP

// Stage 7 of the pipeline: the cleaned text, rebuilt from the original bytes, the onion-style
// marked text, and the JSON report.

#include <cassert>
#include <cstddef>  // std::size_t
#include <cstdio>   // std::snprintf
#include <string>
#include <string_view>
#include <utility>  // std::pair
#include <vector>

#include "paradedup/decide.hpp"
#include "paradedup/segment.hpp"
#include "paradedup/utf8.hpp"

namespace paradedup {

/// Byte ranges [first, second) of `text` that removing `dropped` paragraphs deletes, sorted
/// and disjoint. A removed paragraph takes its text and its line end. Blank lines between two
/// removed paragraphs go too (they were inside the repeat). In blank mode a removed paragraph
/// also takes the blank lines after it (or, when it is the last paragraph, those before it),
/// so that one blank line, not two, separates the paragraphs around it. Blank lines at the
/// edge of a removed run in lines mode stay: they belong to the text around it.
/// Requires: dropped.size() == seg.paragraphs.size().
[[nodiscard]] inline std::vector<std::pair<std::size_t, std::size_t>> removed_ranges(
    const segmentation& seg, const std::vector<bool>& dropped) {
  assert(dropped.size() == seg.paragraphs.size());
  std::vector<std::pair<std::size_t, std::size_t>> out;
  const auto& p = seg.paragraphs;
  auto add = [&](std::size_t b, std::size_t e) {
    if (b >= e) return;
    if (!out.empty() && out.back().second >= b) {
      // A removed last paragraph in blank mode reaches back over the blank lines before it.
      if (b < out.back().first) out.back().first = b;
      if (e > out.back().second) out.back().second = e;
    } else {
      out.emplace_back(b, e);
    }
  };
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!dropped[i]) continue;
    const bool has_next = i + 1 < p.size();
    if (seg.mode == segment_mode::blank) {
      if (has_next) {
        add(p[i].begin, p[i + 1].begin);
      } else {
        std::size_t k = i;
        while (k > 0 && dropped[k - 1]) --k;
        add(k > 0 ? p[k - 1].line_end : p[i].begin, p[i].line_end);
      }
    } else {
      add(p[i].begin, has_next && dropped[i + 1] ? p[i + 1].begin : p[i].line_end);
    }
  }
  return out;
}

/// The text without the dropped paragraphs. Everything kept is byte-identical to the input:
/// kept paragraphs, their line ends, blank lines, a BOM, trailing bytes. With nothing
/// dropped, the result equals `text`.
[[nodiscard]] inline std::string render_text(std::string_view text, const segmentation& seg,
                                             const std::vector<bool>& dropped) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const auto& [b, e] : removed_ranges(seg, dropped)) {
    out.append(text.substr(at, b - at));
    at = e;
  }
  out.append(text.substr(at));
  return out;
}

/// onion-style marked text: every line of every paragraph, prefixed with "0\t" when the
/// paragraph is kept or "1\t" when it is dropped, each ending with its original line end
/// ("\n" when the input's last line has none). Blank lines and a BOM are left out.
[[nodiscard]] inline std::string render_marked(std::string_view text, const segmentation& seg,
                                               const std::vector<bool>& dropped) {
  std::string out;
  out.reserve(text.size() + seg.paragraphs.size() * 3);
  for (std::size_t i = 0; i < seg.paragraphs.size(); ++i) {
    const paragraph& p = seg.paragraphs[i];
    const char* mark = dropped[i] ? "1\t" : "0\t";
    for (const auto& l : detail::split_lines(text.substr(0, p.line_end), p.begin)) {
      out.append(mark);
      out.append(text.substr(l.begin, l.end - l.begin));
      if (l.next > l.end) {
        out.append(text.substr(l.end, l.next - l.end));
      } else {
        out.push_back('\n');
      }
    }
  }
  return out;
}

namespace detail {

/// Appends s as a JSON string literal (RFC 8259): quotes, backslash and control characters
/// escaped; other bytes copied (the caller passes valid UTF-8, or accepts invalid bytes).
inline void append_json_string(std::string& out, std::string_view s) {
  // Copies runs of plain bytes at once: JSON Lines rewriting (jsonl.cpp) is mostly this.
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

/// append_json_string() for text that may not be UTF-8 (file names, ids): ill-formed bytes
/// become U+FFFD, so the line stays valid JSON.
inline void append_json_text(std::string& out, std::string_view s) {
  if (validate_utf8(s).valid) {
    append_json_string(out, s);
  } else {
    append_json_string(out, replace_invalid_utf8(s));
  }
}

inline void append_number(std::string& out, std::size_t v) { out.append(std::to_string(v)); }

// Opens a removal's JSON object: {"index", "line", "start", "end", "kind" (no closing brace),
// shared by in-document and corpus removals.
inline void append_removed_head(std::string& out, const std::vector<paragraph>& p,
                                std::size_t index, duplicate_kind kind) {
  out.append("{\"index\":");
  append_number(out, index);
  out.append(",\"line\":");
  append_number(out, p[index].line);
  out.append(",\"start\":");
  append_number(out, p[index].begin);
  out.append(",\"end\":");
  append_number(out, p[index].end);
  out.append(",\"kind\":\"");
  out.append(to_string(kind));
  out.push_back('"');
}

inline void append_token_list(std::string& out, std::string_view key,
                              const std::vector<std::string>& tokens) {
  out.append(",\"");
  out.append(key);
  out.append("\":[");
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (k) out.push_back(',');
    append_json_text(out, tokens[k]);
  }
  out.push_back(']');
}

inline void append_similarity(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  out.append(buf);
}

}  // namespace detail

/// One JSON object (one line, no trailing newline) describing what was removed from a
/// document and why. Fields:
///   "document": name; "mode": "lines"|"blank"; "paragraphs": count; "kept": count;
///   "removed": [{"index", "line", "start", "end", "kind": "exact"|"near"|"block",
///                "duplicate_of", "duplicate_of_line", "similarity", "also_of"?, "block"?}]
///     (start/end: byte offsets of the paragraph's text in the input; lines are 1-based;
///      "also_of" when the paragraph merges two earlier ones; "block": index into blocks);
///     not exact: "added": [tokens], "missing": [tokens]: the canonical tokens it has beyond
///     its source(s) (empty unless near_rule::similar) and those of the source it lacks;
///   "blocks": [{"first": [a, b], "repeat": [c, d], "first_lines": [l1, l2],
///               "repeat_lines": [l3, l4]}] (inclusive paragraph indices and line numbers);
///   "kept_near": [{"index", "line", "like", "like_line", "also_like"?, "similarity",
///                  "added": [tokens], "missing": [tokens]}]: kept paragraphs that look like
///     an earlier one (over the threshold, or an edited member of a block) but that the
///     no-loss rule (verify()) saved: the tokens they add, the negations and numbers of the
///     look-alike they drop;
///   corpus mode only, when from_corpus is given (result::from_corpus):
///   "corpus_removed": [{"index", "line", "start", "end", "kind", "similarity",
///                       "approximate": bool, "source": {"document": id, "document_index": n,
///                       "paragraph": p} or null}] (null: not recorded, see corpus_match).
///   "kept" then counts what both kinds of removal left.
///   A document passed through unchecked adds "passed_through": true and "reason": text
///   (through the report_json() of a result, deduplicate.hpp).
[[nodiscard]] inline std::string report_json(std::string_view name, const segmentation& seg,
                                             const decision& dec,
                                             const std::vector<corpus_match>* from_corpus =
                                                 nullptr) {
  const auto& p = seg.paragraphs;
  auto last_line = [&](std::size_t i) { return p[i].line + p[i].lines - 1; };
  std::string out;
  out.append("{\"document\":");
  detail::append_json_text(out, name);
  out.append(",\"mode\":\"");
  out.append(to_string(seg.mode));
  out.append("\",\"paragraphs\":");
  detail::append_number(out, p.size());
  out.append(",\"kept\":");
  detail::append_number(
      out, p.size() - dec.removed.size() - (from_corpus ? from_corpus->size() : 0));
  out.append(",\"removed\":[");
  for (std::size_t k = 0; k < dec.removed.size(); ++k) {
    const removal& r = dec.removed[k];
    if (k) out.push_back(',');
    detail::append_removed_head(out, p, r.index, r.kind);
    out.append(",\"duplicate_of\":");
    detail::append_number(out, r.duplicate_of);
    out.append(",\"duplicate_of_line\":");
    detail::append_number(out, p[r.duplicate_of].line);
    out.append(",\"similarity\":");
    detail::append_similarity(out, r.similarity);
    if (r.merged) {
      out.append(",\"also_of\":");
      detail::append_number(out, r.also_of);
    }
    if (r.in_block) {
      out.append(",\"block\":");
      detail::append_number(out, r.block);
    }
    if (r.kind != duplicate_kind::exact) {
      detail::append_token_list(out, "added", r.added);
      detail::append_token_list(out, "missing", r.missing);
    }
    out.push_back('}');
  }
  out.append("],\"blocks\":[");
  for (std::size_t k = 0; k < dec.blocks.size(); ++k) {
    const block& b = dec.blocks[k];
    if (k) out.push_back(',');
    out.append("{\"first\":[");
    detail::append_number(out, b.first_begin);
    out.push_back(',');
    detail::append_number(out, b.first_last);
    out.append("],\"repeat\":[");
    detail::append_number(out, b.repeat_begin);
    out.push_back(',');
    detail::append_number(out, b.repeat_last);
    out.append("],\"first_lines\":[");
    detail::append_number(out, p[b.first_begin].line);
    out.push_back(',');
    detail::append_number(out, last_line(b.first_last));
    out.append("],\"repeat_lines\":[");
    detail::append_number(out, p[b.repeat_begin].line);
    out.push_back(',');
    detail::append_number(out, last_line(b.repeat_last));
    out.append("]}");
  }
  out.append("],\"kept_near\":[");
  bool first = true;
  for (const kept_look_alike& k : dec.kept_near) {
    if (k.index < dec.dropped.size() && dec.dropped[k.index]) continue;  // went from the corpus
    if (!first) out.push_back(',');
    first = false;
    out.append("{\"index\":");
    detail::append_number(out, k.index);
    out.append(",\"line\":");
    detail::append_number(out, p[k.index].line);
    out.append(",\"like\":");
    detail::append_number(out, k.of);
    out.append(",\"like_line\":");
    detail::append_number(out, p[k.of].line);
    if (k.merged) {
      out.append(",\"also_like\":");
      detail::append_number(out, k.also_of);
    }
    out.append(",\"similarity\":");
    detail::append_similarity(out, k.similarity);
    detail::append_token_list(out, "added", k.added);
    detail::append_token_list(out, "missing", k.missing);
    out.push_back('}');
  }
  out.push_back(']');
  if (from_corpus != nullptr) {
    out.append(",\"corpus_removed\":[");
    for (std::size_t k = 0; k < from_corpus->size(); ++k) {
      const corpus_match& m = (*from_corpus)[k];
      if (k) out.push_back(',');
      detail::append_removed_head(out, p, m.index, m.kind);
      out.append(",\"similarity\":");
      detail::append_similarity(out, m.similarity);
      out.append(m.approximate ? ",\"approximate\":true" : ",\"approximate\":false");
      out.append(",\"source\":");
      if (m.source_known) {
        out.append("{\"document\":");
        detail::append_json_text(out, m.document_id);
        out.append(",\"document_index\":");
        detail::append_number(out, m.document);
        out.append(",\"paragraph\":");
        detail::append_number(out, m.paragraph);
        out.push_back('}');
      } else {
        out.append("null");
      }
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

}  // namespace paradedup

#endif  // PARADEDUP_OUTPUT_HPP

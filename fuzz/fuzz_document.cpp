// libFuzzer target for the document pipeline: paradedup::deduplicate() and what it returns.
//
// Input layout: 4 header bytes choose the options, the rest is the document.
//   byte 0: bits 0-1 mode (0 lines, 1 blank, 2/3 auto)
//           bit 2 fold_han, bit 3 fold_digits, bit 4 exact_only
//           bits 5-6 on_invalid (0 fail, 1 skip, 2/3 replace)
//           bit 7 with byte 1 == 0: use an out-of-range option, expect errc::invalid_option
//   byte 1: threshold = (b + 1) / 256, in (0, 1]; 255 gives exactly 1.0
//   byte 2: shingle = 1 + b % 8
//   byte 3: min_chars = b % 41
//
// Invariants checked (any violation aborts with a message on stderr):
//   1. no crash, UB or leak (ASan/UBSan/LSan);
//   2. r.text is the input with whole removed byte ranges cut out: the ranges of
//      paradedup::removed_ranges() are sorted, disjoint, inside the input, cover every dropped
//      paragraph's text and never touch a kept paragraph's text; r.text is the concatenation of
//      the complementary slices, so kept paragraphs appear byte-identical and in order;
//   3. every removal names an earlier, kept paragraph (duplicate_of, and also_of when merged);
//      kind exact implies similarity 1 and equal fingerprints; removal list == dropped flags;
//      a removal that is not exact passes verify() against the source(s) it names, and the
//      brute-force reference of the rule over token strings (tests/no_loss_reference.hpp);
//   4. nothing dropped => r.text == input;
//   5. idempotence: deduplicate(r.text, same options) removes nothing (see FUZZ_IDEMPOTENCE);
//   6. invalid UTF-8: fail throws errc::invalid_utf8 at the first bad byte (checked against an
//      independent validator), skip gives r.text == input exactly;
//   7. replace: the document with each bad byte written as U+FFFD loses the same paragraphs
//      (disable with FUZZ_NO_REPLACE_DIFF=1).
//
// Environment:
//   FUZZ_IDEMPOTENCE=abort (default) | record | off | strict
//     abort: a second pass that removes something aborts. Under mode auto, when the second
//       pass chose the other segmentation mode, it is re-run with the first pass's mode; only
//       if that still removes something does it abort (a bare mode flip is a known, inherent
//       limitation: fuzz/regressions/idempotence-auto-mode-flip).
//     record: failures are saved, not aborted on, so the run goes on looking for the rest.
//     strict: like abort, and a bare auto mode flip aborts too.
//   FUZZ_RECORD_DIR=dir: save inputs of recorded failures and of auto mode flips there
//     (autoflip-N-size, idem-KIND-N-size with KIND how the second pass's first removal
//     matched: merged, exact, near, block; at most 20 files per class). Unset: nothing is
//     written.

#include <paradedup/deduplicate.hpp>
#include <paradedup/output.hpp>

#include "../tests/no_loss_reference.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pd = paradedup;

namespace {

[[noreturn]] void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "\n*** INVARIANT VIOLATED: %s", what);
  if (!detail.empty()) std::fprintf(stderr, " (%.*s)", static_cast<int>(detail.size()), detail.data());
  std::fprintf(stderr, "\n");
  std::abort();
}

#define CHECK(cond, ...)         \
  do {                           \
    if (!(cond)) fail(#cond " -- " __VA_ARGS__); \
  } while (0)

// Reference UTF-8 validator (RFC 3629), written independently of paradedup::validate_utf8:
// decodes each sequence and checks the code point. Returns the offset of the first bad
// sequence's first byte, or npos.
std::size_t reference_utf8_error(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return i;
    if (i + len > s.size()) {
      // Still the first byte of the bad sequence; the same answer whether truncated or not.
      return i;
    }
    for (std::size_t k = 1; k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    const std::uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

enum class idem_mode { abort_, record, off, strict };

idem_mode idempotence_mode() {
  static const idem_mode m = [] {
    const char* e = std::getenv("FUZZ_IDEMPOTENCE");
    if (e && std::strcmp(e, "record") == 0) return idem_mode::record;
    if (e && std::strcmp(e, "off") == 0) return idem_mode::off;
    if (e && std::strcmp(e, "strict") == 0) return idem_mode::strict;
    return idem_mode::abort_;
  }();
  return m;
}

void record_idempotence(const std::uint8_t* data, std::size_t size, const std::string& kind) {
  static std::vector<std::pair<std::string, int>> saved;  // per class, at most 20 each
  int* count = nullptr;
  for (auto& [k, c] : saved) if (k == kind) count = &c;
  if (!count) count = &saved.emplace_back(kind, 0).second;
  if (*count >= 20 || !std::getenv("FUZZ_RECORD_DIR")) return;
  ++*count;
  const char* dir = std::getenv("FUZZ_RECORD_DIR");
  std::string path = dir;
  path += "/" + kind + "-" + std::to_string(*count) + "-" + std::to_string(size);
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
}

void check_segmentation(std::string_view text, const pd::segmentation& seg) {
  CHECK(seg.mode == pd::segment_mode::lines || seg.mode == pd::segment_mode::blank, "mode resolved");
  std::size_t prev_end = 0, prev_line = 0;
  for (const auto& p : seg.paragraphs) {
    CHECK(p.begin < p.end, "paragraph not empty");
    CHECK(p.end <= p.line_end && p.line_end <= text.size(), "paragraph spans in range");
    CHECK(p.begin >= prev_end, "paragraphs ordered and disjoint");
    CHECK(p.line > prev_line && p.lines >= 1, "line numbers increase");
    prev_end = p.line_end;
    prev_line = p.line + p.lines - 1;
  }
}

void check_result(std::string_view input, const pd::options& o, const pd::result& r) {
  const auto& seg = r.segments;
  const auto& paras = seg.paragraphs;
  const auto& dec = r.removed;
  const std::size_t n = paras.size();
  check_segmentation(input, seg);
  CHECK(dec.dropped.size() == n, "one dropped flag per paragraph");

  // (3) removals: consistent with dropped, point to earlier kept paragraphs.
  std::size_t dropped_count = 0;
  for (bool d : dec.dropped) dropped_count += d;
  CHECK(dec.removed.size() == dropped_count, "removed list matches dropped flags");
  CHECK(r.kept() == n - dropped_count, "kept()");
  std::vector<pd::paragraph_features> features;
  if (!dec.removed.empty()) features = pd::compute_features(input, seg, o);
  std::size_t prev_index = 0;
  for (std::size_t k = 0; k < dec.removed.size(); ++k) {
    const pd::removal& rm = dec.removed[k];
    CHECK(rm.index < n && dec.dropped[rm.index], "removal index is dropped");
    CHECK(k == 0 || rm.index > prev_index, "removals in document order");
    prev_index = rm.index;
    CHECK(rm.kind != pd::duplicate_kind::none, "removal has a kind");
    CHECK(rm.duplicate_of < rm.index, "duplicate_of is earlier");
    CHECK(!dec.dropped[rm.duplicate_of], "duplicate_of is kept");
    if (rm.merged) {
      CHECK(rm.also_of < rm.index, "also_of is earlier");
      CHECK(!dec.dropped[rm.also_of], "also_of is kept");
    }
    CHECK(rm.similarity >= 0.0 && rm.similarity <= 1.0, "similarity in [0, 1]");
    if (rm.kind == pd::duplicate_kind::exact) {
      CHECK(rm.similarity == 1.0, "exact implies similarity 1");
      CHECK(features[rm.index].exact == features[rm.duplicate_of].exact,
            "exact implies equal fingerprints");
    }
    if (rm.kind != pd::duplicate_kind::exact) {
      // The no-loss rule (verify.hpp) holds against the kept source(s) the removal names.
      const pd::paragraph_content& copy = features[rm.index].content;
      const bool holds =
          features[rm.index].exact == features[rm.duplicate_of].exact ||
          (rm.merged ? pd::verify(copy,
                                  pd::detail::concatenate(
                                      features[std::min(rm.duplicate_of, rm.also_of)].content,
                                      features[std::max(rm.duplicate_of, rm.also_of)].content),
                                  o.near)
                     : pd::verify(copy, features[rm.duplicate_of].content, o.near))
              .holds;
      CHECK(holds, "a removal that is not exact passes the no-loss rule against its sources");
      // And so it does by the brute-force reference over the token strings.
      const std::string why = paradedup_test::reference_violation(input, r, rm, o);
      if (!why.empty()) std::fprintf(stderr, "paragraph %zu: %s\n", rm.index, why.c_str());
      CHECK(why.empty(), "a removal that is not exact passes the brute-force no-loss reference");
    }
    if (rm.kind == pd::duplicate_kind::near) {
      CHECK(!o.exact_only, "no near duplicates under exact_only");
      CHECK(rm.similarity >= o.threshold, "near implies similarity >= threshold");
    }
    if (rm.in_block) {
      CHECK(rm.block < dec.blocks.size(), "block index valid");
      const pd::block& b = dec.blocks[rm.block];
      CHECK(b.repeat_begin <= rm.index && rm.index <= b.repeat_last, "member of its block");
    }
  }
  for (const pd::block& b : dec.blocks) {
    CHECK(b.repeat_begin < b.repeat_last && b.repeat_last < n, "block spans >= 2 paragraphs");
    CHECK(b.first_begin <= b.first_last && b.first_last < b.repeat_begin, "block copy earlier");
    for (std::size_t i = b.repeat_begin; i <= b.repeat_last; ++i) {
      CHECK(dec.dropped[i], "block members dropped");
    }
  }

  // (2) r.text is the input minus whole removed ranges.
  const auto ranges = pd::removed_ranges(seg, dec.dropped);
  std::size_t at = 0;
  std::string rebuilt;
  for (const auto& [b, e] : ranges) {
    CHECK(at <= b && b < e && e <= input.size(), "ranges sorted, disjoint, non-empty, in input");
    rebuilt.append(input.substr(at, b - at));
    at = e;
  }
  rebuilt.append(input.substr(at));
  CHECK(r.text == rebuilt, "text == input minus removed ranges");
  // Each dropped paragraph lies inside one range; no kept paragraph's text meets a range.
  std::size_t ri = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = paras[i];
    while (ri < ranges.size() && ranges[ri].second <= p.begin) ++ri;
    if (dec.dropped[i]) {
      CHECK(ri < ranges.size() && ranges[ri].first <= p.begin && p.end <= ranges[ri].second,
            "dropped paragraph removed whole");
    } else {
      CHECK(ri == ranges.size() || ranges[ri].first >= p.end, "kept paragraph untouched");
    }
  }
  // Bytes removed outside dropped paragraphs are blank lines or line ends only: no byte of any
  // paragraph other than the dropped ones goes.
  {
    std::size_t pi = 0;
    for (const auto& [b, e] : ranges) {
      for (std::size_t x = b; x < e; ++x) {
        while (pi < n && paras[pi].end <= x) ++pi;
        if (pi < n && paras[pi].begin <= x) {
          CHECK(dec.dropped[pi], "removed byte belongs to a dropped paragraph or a blank line");
        }
      }
    }
  }
  // A BOM stays.
  if (input.size() >= 3 && input.substr(0, 3) == "\xEF\xBB\xBF") {
    CHECK(r.text.size() >= 3 && r.text.substr(0, 3) == "\xEF\xBB\xBF", "BOM kept");
  }
  // Kept paragraphs appear byte-identical and in order in r.text.
  {
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (dec.dropped[i]) continue;
      const auto body = input.substr(paras[i].begin, paras[i].end - paras[i].begin);
      const std::size_t found = r.text.find(body, pos);
      CHECK(found != std::string::npos, "kept paragraph present, in order");
      pos = found + body.size();
    }
  }

  // (4) nothing dropped: unchanged.
  if (dropped_count == 0) CHECK(r.text == input, "nothing dropped => text unchanged");

  // Report writers must not crash on any decision.
  (void)pd::report_json("fuzz", seg, dec);
  (void)pd::render_marked(input, seg, dec.dropped);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  pd::options o;
  const std::uint8_t h0 = data[0], h1 = data[1], h2 = data[2], h3 = data[3];
  switch (h0 & 3) {
    case 0: o.mode = pd::segment_mode::lines; break;
    case 1: o.mode = pd::segment_mode::blank; break;
    default: o.mode = pd::segment_mode::auto_; break;
  }
  o.fold_han = (h0 >> 2) & 1;
  o.fold_digits = (h0 >> 3) & 1;
  o.exact_only = (h0 >> 4) & 1;
  switch ((h0 >> 5) & 3) {
    case 0: o.on_invalid = pd::invalid_policy::fail; break;
    case 1: o.on_invalid = pd::invalid_policy::skip; break;
    default: o.on_invalid = pd::invalid_policy::replace; break;
  }
  o.threshold = (static_cast<double>(h1) + 1.0) / 256.0;
  o.shingle = 1 + h2 % 8;
  o.min_chars = h3 % 41;
  const std::string_view input(reinterpret_cast<const char*>(data) + 4, size - 4);

  if ((h0 & 0x80) && h1 == 0) {
    // Out-of-range options must throw invalid_option, whatever the document.
    switch (h2 % 4) {
      case 0: o.threshold = 0.0; break;
      case 1: o.threshold = 1.0 + 1.0 / 1024; break;
      case 2: o.shingle = h3 % 2 ? 0 : 33; break;
      default: o.min_chars = -1 - h3; break;
    }
    try {
      (void)pd::deduplicate(input, o);
    } catch (const pd::error& e) {
      CHECK(e.code() == pd::errc::invalid_option, "bad option -> invalid_option");
      return 0;
    }
    fail("bad option accepted");
  }

  const std::size_t bad = reference_utf8_error(input);
  const bool valid = bad == std::string_view::npos;
  {
    const auto v = pd::validate_utf8(input);
    CHECK(v.valid == valid, "validate_utf8 agrees with the reference validator");
    if (!valid) CHECK(v.error_offset == bad, "validate_utf8 error offset");
  }

  pd::result r;
  try {
    r = pd::deduplicate(input, o);
  } catch (const pd::error& e) {
    // (6) fail policy: only invalid UTF-8 may throw, at the first bad byte.
    CHECK(o.on_invalid == pd::invalid_policy::fail && !valid, "only fail policy throws",
          e.what());
    CHECK(e.code() == pd::errc::invalid_utf8, "errc::invalid_utf8");
    CHECK(e.byte_offset() == bad, "error offset == first bad byte");
    return 0;
  }
  CHECK(valid || o.on_invalid != pd::invalid_policy::fail, "invalid UTF-8 throws under fail");

  if (!valid) {
    CHECK(!r.diagnostics.empty() && r.diagnostics[0].code == pd::errc::invalid_utf8 &&
              r.diagnostics[0].byte_offset == bad,
          "diagnostic for invalid UTF-8");
  } else {
    CHECK(r.diagnostics.empty(), "no diagnostic for valid input");
  }
  if (!valid && o.on_invalid == pd::invalid_policy::skip) {
    // (6) skip: passed through byte for byte, nothing removed.
    CHECK(r.text == input, "skip: text == input");
    CHECK(r.passed_through && r.removed.removed.empty(), "skip: passed through");
    return 0;
  }
  CHECK(!r.passed_through, "passed_through only under skip");

  check_result(input, o, r);

  // (7) replace policy: "compares as if each bad byte were U+FFFD" (deduplicate.hpp,
  // options.hpp). Differential: the same document with each bad byte written as U+FFFD must
  // lose the same paragraphs (when it segments the same way; the auto heuristic measures
  // widths, which may differ).
  if (!valid && o.on_invalid == pd::invalid_policy::replace) {
    std::string replaced;
    std::size_t i = 0;
    while (i < input.size()) {
      const auto v = pd::validate_utf8(input.substr(i));
      if (v.valid) {
        replaced.append(input.substr(i));
        break;
      }
      replaced.append(input.substr(i, v.error_offset));
      replaced.append("\xEF\xBF\xBD");
      i += v.error_offset + 1;
    }
    const pd::result twin = pd::deduplicate(replaced, o);
    if (twin.segments.mode == r.segments.mode &&
        twin.segments.paragraphs.size() == r.segments.paragraphs.size() &&
        std::getenv("FUZZ_NO_REPLACE_DIFF") == nullptr) {
      CHECK(twin.removed.dropped == r.removed.dropped,
            "replace: bad bytes compare as U+FFFD (same paragraphs dropped)");
    }
  }

  // (5) idempotence. Under mode auto the second pass may choose the other mode for the
  // shorter text (regressions/idempotence-auto-mode-flip: an inherent limitation of a
  // per-document choice); the invariant is then checked with the mode pinned to the one the
  // first pass used, and the flip itself is only recorded unless FUZZ_IDEMPOTENCE=strict.
  if (!r.removed.removed.empty() && idempotence_mode() != idem_mode::off) {
    pd::result again = pd::deduplicate(r.text, o);
    bool auto_flip = false;
    if (!again.removed.removed.empty() && o.mode == pd::segment_mode::auto_ &&
        again.segments.mode != r.segments.mode && idempotence_mode() != idem_mode::strict) {
      pd::options pinned = o;
      pinned.mode = r.segments.mode;
      again = pd::deduplicate(r.text, pinned);
      auto_flip = true;
      if (again.removed.removed.empty()) {
        record_idempotence(data, size, "autoflip");
        return 0;
      }
    }
    if (!again.removed.removed.empty()) {
      if (idempotence_mode() == idem_mode::record) {
        // Class: how the second pass's first removal matched (merged, exact, near, block).
        const auto& a = again.removed.removed[0];
        record_idempotence(data, size,
                           std::string("idem-") +
                               (a.merged ? "merged" : std::string(pd::to_string(a.kind))));
      } else {
        const auto& a = again.removed.removed[0];
        std::string d = "first pass mode " + std::string(pd::to_string(r.segments.mode)) +
                        ", second pass mode " + std::string(pd::to_string(again.segments.mode)) +
                        (auto_flip ? " (pinned)" : "") + ", second pass removed " +
                        std::to_string(again.removed.removed.size()) + " (first: index " +
                        std::to_string(a.index) + " kind " + std::string(pd::to_string(a.kind)) +
                        " of " + std::to_string(a.duplicate_of) + ")";
        fail("idempotence: a second pass removes nothing", d);
      }
    }
  }
  return 0;
}

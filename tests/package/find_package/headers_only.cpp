// Consumer of paradedup::headers alone: no ICU, no compiled paradedup library. It must link
// with nothing but the C++ standard library (xxHash is header-only here, XXH_INLINE_ALL).
#include <paradedup/fingerprint.hpp>
#include <paradedup/segment.hpp>

#include <iostream>
#include <string_view>

int main() {
  const std::string_view text = "a\nb\n\nc\n";
  const paradedup::segmentation seg =
      paradedup::split_paragraphs(text, paradedup::segment_mode::blank);

  int failures = 0;
  auto check = [&failures](bool ok, const char* what) {
    if (!ok) {
      std::cerr << "FAILED: " << what << '\n';
      ++failures;
    }
  };
  check(seg.mode == paradedup::segment_mode::blank, "blank mode kept");
  if (seg.paragraphs.size() == 2) {
    const paradedup::paragraph& p0 = seg.paragraphs[0];
    const paradedup::paragraph& p1 = seg.paragraphs[1];
    check(text.substr(p0.begin, p0.end - p0.begin) == "a\nb", "paragraph 0 is \"a\\nb\"");
    check(p0.line == 1 && p0.lines == 2, "paragraph 0: line 1, 2 lines");
    check(text.substr(p1.begin, p1.end - p1.begin) == "c", "paragraph 1 is \"c\"");
    check(p1.line == 4 && p1.lines == 1, "paragraph 1: line 4, 1 line");
  } else {
    check(false, "2 paragraphs");
  }
  // xxHash through paradedup::headers -> xxHash::xxhash (include path only).
  check(paradedup::exact_fingerprint("abc") == paradedup::exact_fingerprint("abc") &&
            paradedup::exact_fingerprint("abc") != paradedup::exact_fingerprint("abd"),
        "exact_fingerprint");

  if (failures != 0) return 1;
  std::cout << "paradedup::headers: split_paragraphs OK\n";
  return 0;
}

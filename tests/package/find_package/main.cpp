// Consumer of the installed library (find_package, pkg-config) and of the source tree
// (add_subdirectory): needs paradedup::paradedup, since deduplicate() is ICU-backed.
#include <paradedup/paradedup.hpp>

#include <iostream>
#include <string>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << '\n';
    ++failures;
  }
}

}  // namespace

int main() {
  // The headers and the compiled library must come from the same release.
  check(paradedup::version() == PARADEDUP_VERSION, "paradedup::version() == PARADEDUP_VERSION");

  const std::string input =
      "A title\n"
      "The first paragraph of the story, long enough to count.\n"
      "A second paragraph, also long enough to be compared.\n"
      "The first paragraph of the story, long enough to count.\n";
  const paradedup::result r = paradedup::deduplicate(input);

  check(r.text ==
            "A title\n"
            "The first paragraph of the story, long enough to count.\n"
            "A second paragraph, also long enough to be compared.\n",
        "the repeated paragraph is removed, the rest kept byte for byte");
  check(r.segments.paragraphs.size() == 4, "4 paragraphs");
  check(r.kept() == 3, "3 paragraphs kept");
  if (r.removed.removed.size() == 1) {
    const paradedup::removal& rm = r.removed.removed[0];
    check(rm.index == 3, "paragraph 3 removed");
    check(rm.duplicate_of == 1, "as a repeat of paragraph 1");
    check(rm.kind == paradedup::duplicate_kind::exact, "an exact repeat");
  } else {
    check(false, "exactly one paragraph removed");
  }

  if (failures != 0) {
    std::cerr << "got:\n" << r.text;
    return 1;
  }
  std::cout << "paradedup " << PARADEDUP_VERSION_MAJOR << '.' << PARADEDUP_VERSION_MINOR << '.'
            << PARADEDUP_VERSION_PATCH << ": deduplicate OK\n";
  return 0;
}

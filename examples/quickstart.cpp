// The README's quick start: remove the repeats from one document.
#include <paradedup/paradedup.hpp>

#include <iostream>

int main() {
  const std::string article =
      "A title\n"
      "The first paragraph of the story, long enough to count.\n"
      "A second paragraph, also long enough to be compared.\n"
      "The first paragraph of the story, long enough to count.\n";

  paradedup::options opts;  // defaults: auto mode, threshold 0.85, shingles of 5 tokens
  paradedup::result r = paradedup::deduplicate(article, opts);

  std::cout << r.text;  // the article without its repeated paragraph
  for (const paradedup::removal& rm : r.removed.removed) {
    std::cout << "removed paragraph " << rm.index << " (" << paradedup::to_string(rm.kind)
              << " repeat of paragraph " << rm.duplicate_of << ")\n";
  }
  return r.kept() == 3 ? 0 : 1;
}

// The no-loss rule (verify.hpp): look-alikes that say something else stay, real copies go.

#include "paradedup/verify.hpp"

#include <catch2/catch.hpp>

#include <algorithm>   // std::sort
#include <cstdlib>     // std::getenv, std::strtoull
#include <random>
#include <filesystem>  // std::filesystem::directory_iterator
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "paradedup/deduplicate.hpp"
#include "no_loss_reference.hpp"

namespace {

using paradedup::near_rule;
using paradedup::options;
using paradedup::paragraph_content;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The content the document pipeline computes for one paragraph.
paragraph_content content(const std::string& text, const options& o = {}) {
  std::string canonical, clean;
  paradedup::paragraph_features f;
  paradedup::segmentation seg = paradedup::split_paragraphs(text, paradedup::segment_mode::lines);
  REQUIRE(seg.paragraphs.size() == 1);
  paradedup::detail::paragraph_body(text, seg.paragraphs[0], o, clean, canonical, &f);
  return f.content;
}

// A random seed, or PARADEDUP_TEST_SEED's to replay a failure (the tests print it).
std::uint64_t test_seed() {
  if (const char* env = std::getenv("PARADEDUP_TEST_SEED")) return std::strtoull(env, nullptr, 10);
  return std::random_device{}();
}

bool holds(const std::string& copy, const std::string& source) {
  return paradedup::verify(content(copy), content(source)).holds;
}

std::string removed_lines(const paradedup::result& r) {
  std::string out;
  for (const auto& rm : r.removed.removed) {
    out += std::to_string(r.segments.paragraphs[rm.index].line) + ' ';
  }
  return out;
}

}  // namespace

TEST_CASE("verify: a copy that adds a token says something new", "[verify]") {
  const std::string src = "The installer can resize an existing partition on the disk.";
  CHECK(holds(src, src));
  CHECK(holds("The installer can resize an existing partition.", src));  // a word left out
  CHECK_FALSE(holds("The installer cannot resize an existing partition on the disk.", src));
  CHECK_FALSE(holds("The installer can resize an existing Ubuntu partition on the disk.", src));
  CHECK_FALSE(holds("The installer can resize an existing partition on the disk, in bytes.",
                    src));
  // Counted as a multiset: a word twice needs it twice in the source.
  CHECK_FALSE(holds("The installer can resize an existing partition on the disk disk.", src));
  // Numbers are one token with their separators: 1,807 is not 1,800.
  CHECK_FALSE(holds("It holds 1,807 packages in all.", "It holds 1,800 packages in all."));
  CHECK_FALSE(holds("It costs $100 now.", "It costs \xE2\x82\xAC" "100 now."));  // $ / euro
  // Chinese: one character per token; a magnitude or currency is a character of its own.
  // 營收三千萬美元 / 營收三千億美元 / 營收三千萬日元
  const std::string zh = "\xE5\x85\xAC\xE5\x8F\xB8\xE7\x87\x9F\xE6\x94\xB6\xE4\xB8\x89\xE5\x8D"
                         "\x83\xE8\x90\xAC\xE7\xBE\x8E\xE5\x85\x83";
  std::string yi = zh, yen = zh;
  yi.replace(yi.find("\xE8\x90\xAC"), 3, "\xE5\x84\x84");    // 萬 -> 億
  yen.replace(yen.find("\xE7\xBE\x8E"), 3, "\xE6\x97\xA5");  // 美 -> 日
  CHECK_FALSE(holds(yi, zh));
  CHECK_FALSE(holds(yen, zh));
  // The same text in the other script is the same text.
  CHECK(holds("\xE5\x85\xAC\xE5\x8F\xB8\xE8\x90\xA5\xE6\x94\xB6\xE4\xB8\x89\xE5\x8D\x83\xE4\xB8"
              "\x87\xE7\xBE\x8E\xE5\x85\x83",  // 公司营收三千万美元
              zh));
}

TEST_CASE("verify: a copy may not drop a negation or a number but by a cut", "[verify]") {
  const std::string src =
      "Version 2 of the tool is not supported on this release, but version 3 is supported.";
  // Every token of these is in the source, yet the negation or a number went missing from
  // the middle: each says something else.
  CHECK_FALSE(holds("Version 2 of the tool is supported on this release, but version 3 is "
                    "supported.",
                    src));
  CHECK_FALSE(holds("Version 2 of the tool is not supported on this release, but version is "
                    "supported.",
                    src));
  // A copy cut at its end or its start may lack what was cut off.
  CHECK(holds("Version 2 of the tool is not supported on this release", src));
  CHECK(holds("but version 3 is supported.", src));
  // Negations of each language, dropped from the middle of a source (all its tokens are in
  // the source).
  struct pair_case {
    const char* source;
    const char* copy;
  } cases[] = {
      {"It is not available in the stable release of the system.",
       "It is available in the stable release of the system."},
      // 這個功能不可以在舊系統上使用 / 這個功能可以在舊系統上使用
      {"\xE9\x80\x99\xE5\x80\x8B\xE5\x8A\x9F\xE8\x83\xBD\xE4\xB8\x8D\xE5\x8F\xAF\xE4\xBB\xA5"
       "\xE5\x9C\xA8\xE8\x88\x8A\xE7\xB3\xBB\xE7\xB5\xB1\xE4\xB8\x8A\xE4\xBD\xBF\xE7\x94\xA8",
       "\xE9\x80\x99\xE5\x80\x8B\xE5\x8A\x9F\xE8\x83\xBD\xE5\x8F\xAF\xE4\xBB\xA5\xE5\x9C\xA8\xE8"
       "\x88\x8A\xE7\xB3\xBB\xE7\xB5\xB1\xE4\xB8\x8A\xE4\xBD\xBF\xE7\x94\xA8"},
      // この機能は使えないが設定できる / この機能は使えが設定できる (ない dropped)
      {"\xE3\x81\x93\xE3\x81\xAE\xE6\xA9\x9F\xE8\x83\xBD\xE3\x81\xAF\xE4\xBD\xBF\xE3\x81\x88"
       "\xE3\x81\xAA\xE3\x81\x84\xE3\x81\x8C\xE8\xA8\xAD\xE5\xAE\x9A\xE3\x81\xA7\xE3\x81\x8D"
       "\xE3\x82\x8B",
       "\xE3\x81\x93\xE3\x81\xAE\xE6\xA9\x9F\xE8\x83\xBD\xE3\x81\xAF\xE4\xBD\xBF\xE3\x81\x88"
       "\xE3\x81\x8C\xE8\xA8\xAD\xE5\xAE\x9A\xE3\x81\xA7\xE3\x81\x8D\xE3\x82\x8B"},
      // 이 기능은 사용할 수 없습니다 그러나 설정은 됩니다 / ... 사용할 수 그러나 설정은 됩니다
      {"\xEC\x9D\xB4 \xEA\xB8\xB0\xEB\x8A\xA5\xEC\x9D\x80 \xEC\x82\xAC\xEC\x9A\xA9\xED\x95\xA0 "
       "\xEC\x88\x98 \xEC\x97\x86\xEC\x8A\xB5\xEB\x8B\x88\xEB\x8B\xA4 \xEA\xB7\xB8\xEB\x9F\xAC"
       "\xEB\x82\x98 \xEC\x84\xA4\xEC\xA0\x95\xEC\x9D\x80 \xEB\x90\xA9\xEB\x8B\x88\xEB\x8B\xA4",
       "\xEC\x9D\xB4 \xEA\xB8\xB0\xEB\x8A\xA5\xEC\x9D\x80 \xEC\x82\xAC\xEC\x9A\xA9\xED\x95\xA0 "
       "\xEC\x88\x98 \xEA\xB7\xB8\xEB\x9F\xAC\xEB\x82\x98 \xEC\x84\xA4\xEC\xA0\x95\xEC\x9D\x80 "
       "\xEB\x90\xA9\xEB\x8B\x88\xEB\x8B\xA4"},
  };
  // "isn't" is the tokens "isn" "t": the negation n't.
  CHECK(paradedup::detail::negation_at("t", "isn", "").spelling == "n't");
  CHECK(paradedup::detail::negation_at("t", "cat", "").spelling.empty());
  CHECK(content("It isn't here.").guards.size() == 1);
  for (const auto& c : cases) {
    INFO(c.copy);
    const paradedup::verdict v = paradedup::verify(content(c.copy), content(c.source));
    CHECK_FALSE(v.holds);
    CHECK(v.added.empty());
    CHECK(v.missing.size() == 1);
    // The other way round the copy adds the negation.
    CHECK_FALSE(holds(c.source, c.copy));
  }
}

TEST_CASE("verify: markup and a leading source tag are not content", "[verify]") {
  CHECK(holds("He said &quot;it won&#8217;t ship&quot; &amp; left.",
              "He said \"it won\xE2\x80\x99t ship\" & left."));
  CHECK(holds("<p>The <b>installer</b> can resize it.</p>", "The installer can resize it."));
  CHECK(holds("The <a href=\"x.html\">installer</a><br/>can resize it.",
              "The installer can resize it."));
  // Placeholders, addresses and comparisons in angle brackets are content, not markup.
  CHECK_FALSE(holds("Copyright 2010 John Doe <jane@example.org>",
                    "Copyright 2010 John Doe <john@example.org>"));
  CHECK_FALSE(holds("Run apt-get install <package> as root.", "Run apt-get install <file> as root."));
  CHECK(paradedup::canonicalize("x <b and y") == "x b and y");  // no closing '>'
  CHECK(paradedup::canonicalize("see <file> here") == "see file here");  // not an element
  CHECK(paradedup::canonicalize("&amp;lt; is &lt;") == "lt is");       // decoded once
  // 【本報訊】 before a copy of a paragraph that has none: decoration.
  const std::string p = "\xE7\xA0\x94\xE7\xA9\xB6\xE5\x9C\x98\xE9\x9A\x8A\xE8\xA1\xA8\xE7\xA4"
                        "\xBA\xE7\xB3\xBB\xE7\xB5\xB1\xE5\x8F\xAF\xE4\xBB\xA5\xE5\x9F\xB7\xE8"
                        "\xA1\x8C";  // 研究團隊表示系統可以執行
  const std::string tag = "\xE3\x80\x90\xE6\x9C\xAC\xE5\xA0\xB1\xE8\xA8\x8A\xE3\x80\x91";
  CHECK(content(tag + p).tag_tokens == 3);
  CHECK(holds(tag + p, p));
  CHECK(holds("[Reuters] The installer can resize it.", "The installer can resize it."));
  // A tag where the source has another one is content; so is a list label or a dateline
  // with a digit.
  CHECK_FALSE(holds("[Reuters] The installer can resize it.", "[Agence] The installer can "
                                                               "resize it."));
  CHECK(content("[ii] The installer can resize it.").tag_tokens == 0);
  CHECK(content("[May 7] The installer can resize it.").tag_tokens == 0);
  CHECK(content("(Reuters) The installer can resize it.").tag_tokens == 0);
  CHECK(content("[Reuters]").tag_tokens == 0);  // nothing follows: the tag is the paragraph
}

TEST_CASE("verify: near_rule::similar turns the rule off", "[verify]") {
  CHECK(paradedup::verify(content("It is not supported here."), content("It is supported here."),
                          near_rule::similar)
            .holds);
  // End to end: a near copy that changed a figure stays by default, goes under similar.
  const std::string base =
      "The annual licence fee of 10000 euros is due on the first working day of January, "
      "payable to the account named in the order form, and covers support and updates.";
  std::string changed = base;
  changed.replace(changed.find("10000"), 5, "90000");
  const std::string text = base + "\nSomething else entirely, for the record.\n" + changed + "\n";
  const paradedup::result safe = paradedup::deduplicate(text);
  CHECK(safe.text == text);
  REQUIRE(safe.removed.kept_near.size() == 1);
  CHECK(safe.removed.kept_near[0].index == 2);
  CHECK(safe.removed.kept_near[0].of == 0);
  CHECK(safe.removed.kept_near[0].added == std::vector<std::string>{"90000"});
  CHECK(safe.removed.kept_near[0].missing == std::vector<std::string>{"10000"});
  options o;
  o.near = near_rule::similar;
  const paradedup::result lossy = paradedup::deduplicate(text, o);
  CHECK(removed_lines(lossy) == "3 ");
  REQUIRE(lossy.removed.removed.size() == 1);
  CHECK(lossy.removed.removed[0].added == std::vector<std::string>{"90000"});
  CHECK(paradedup::get_setting(o, "near_rule") == "similar");
}

TEST_CASE("no-loss fixtures from real text: look-alikes stay, real copies go",
          "[verify][e2e]") {
  // tests/data/no_loss/: made by make_no_loss.py from debian-reference (en, ja, zh-tw and its
  // Simplified twin) and Korean message catalogs; NAME.expected is the right output, from how
  // each document was built. Kinds: negation, unit, name, block_number (a doubled body with
  // one figure changed) must keep their look-alike; html_copy, tag_copy, resplit_copy,
  // truncated_copy must lose the copy, short sub-heading and caption included.
  const std::string dir = std::string(PARADEDUP_TEST_DATA) + "/no_loss";
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".txt") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() == 40);  // 8 kinds x (en, ja, ko, zh-tw, zh-cn)
  for (const std::string& name : names) {
    const std::string input = slurp(dir + "/" + name + ".txt");
    const std::string expected = slurp(dir + "/" + name + ".expected");
    const paradedup::result r = paradedup::deduplicate(input);
    INFO(name << ": removed lines " << removed_lines(r) << "\n" << report_json(name, r));
    CHECK(r.text == expected);
    // Idempotent: the output has nothing left to remove.
    CHECK(paradedup::deduplicate(r.text).text == r.text);
  }
}

namespace {

// Every removal of deduplicate(text, o) that is not exact passes the brute-force reference of
// the no-loss rule (tests/no_loss_reference.hpp) against the source(s) it names.
void check_removals_by_reference(const std::string& text, const options& o) {
  const paradedup::result r = paradedup::deduplicate(text, o);
  for (const auto& rm : r.removed.removed) {
    const std::string why = paradedup_test::reference_violation(text, r, rm, o);
    INFO("paragraph at line " << r.segments.paragraphs[rm.index].line << " (source line "
                              << r.segments.paragraphs[rm.duplicate_of].line << "): " << why);
    CHECK(why.empty());
  }
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("no-loss property: every removal passes the brute-force reference, real text",
          "[verify][e2e]") {
  std::size_t files = 0;
  for (const char* dir : {PARADEDUP_TEST_DATA, PARADEDUP_TEST_DATA "/no_loss",
                          PARADEDUP_EXAMPLES_DATA}) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() != ".txt") continue;
      INFO("fixture: " << e.path().string());
      const std::string text = slurp(e.path().string());
      for (const double threshold : {0.5, 0.7, 0.85}) {
        for (const auto mode : {paradedup::segment_mode::lines, paradedup::segment_mode::blank}) {
          options o;
          o.threshold = threshold;
          o.mode = mode;
          o.on_invalid = paradedup::invalid_policy::replace;
          check_removals_by_reference(text, o);
        }
      }
      ++files;
    }
  }
  CHECK(files >= 40);
}

TEST_CASE("no-loss property: every removal passes the brute-force reference, random edits",
          "[verify][e2e]") {
  // Documents of real paragraphs (the en, ja, zh pools) followed by copies that a scraper or
  // an editor made: exact, cut at either end, a word or character swapped for one of another
  // paragraph, a negation or a digit put in or taken out, two paragraphs joined. The seed is
  // random unless PARADEDUP_TEST_SEED gives it; it is printed on failure to replay.
  const std::uint64_t seed = test_seed();
  INFO("PARADEDUP_TEST_SEED=" << seed);
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<std::vector<std::string>> pools;
  for (const char* name : {"pool_en.txt", "pool_ja.txt", "pool_zh_cn.txt", "pool_zh_tw.txt"}) {
    pools.push_back(lines_of(slurp(std::string(PARADEDUP_TEST_DATA) + "/" + name)));
    REQUIRE(pools.back().size() >= 20);
  }
  // Code point boundaries of a line, so that edits keep it valid UTF-8.
  auto boundaries = [](const std::string& s) {
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) at.push_back(i);
    }
    at.push_back(s.size());
    return at;
  };
  const std::vector<std::string> inserts = {" not", "不", "ない", "않", " 1807", "7", " never",
                                            "没有", "億", " kilobytes", "Ubuntu", "未"};
  for (int doc = 0; doc < 300; ++doc) {
    const std::vector<std::string>& pool = pools[pick(pools.size())];
    std::vector<std::string> paras;
    const std::size_t originals = 3 + pick(6);
    for (std::size_t k = 0; k < originals; ++k) paras.push_back(pool[pick(pool.size())]);
    const std::size_t copies = 2 + pick(6);
    for (std::size_t k = 0; k < copies; ++k) {
      std::string p = paras[pick(originals)];
      const std::vector<std::size_t> at = boundaries(p);
      const std::size_t cut = at[pick(at.size())];
      switch (pick(7)) {
        case 0: break;                                   // exact copy
        case 1: p = p.substr(0, std::max<std::size_t>(cut, p.size() / 2)); break;  // cut end
        case 2: p = p.substr(std::min(cut, p.size() / 2)); break;                  // cut start
        case 3: p.insert(cut, inserts[pick(inserts.size())]); break;               // insert
        case 4: {                                        // a character or digit replaced
          const std::size_t i = pick(at.size() - 1);
          p.replace(at[i], at[i + 1] - at[i], pick(2) ? "9" : pool[pick(pool.size())].substr(0, 3));
          break;
        }
        case 5: p += (pick(2) ? " " : "") + paras[pick(originals)]; break;         // joined
        default: {                                       // a piece of it removed
          const std::size_t i = pick(at.size() - 1), e = std::min(at.size() - 1, i + 1 + pick(4));
          p.erase(at[i], at[e] - at[i]);
          break;
        }
      }
      if (!p.empty() && boundaries(p).size() > 1) paras.push_back(p);
    }
    std::string text;
    for (const std::string& p : paras) text += p + (pick(4) == 0 ? "\n\n" : "\n");
    options o;
    o.threshold = 0.5 + 0.45 * static_cast<double>(pick(100)) / 100.0;
    o.mode = pick(2) ? paradedup::segment_mode::lines : paradedup::segment_mode::blank;
    o.on_invalid = paradedup::invalid_policy::replace;
    INFO("document " << doc << ", threshold " << o.threshold << ":\n" << text);
    check_removals_by_reference(text, o);
  }
}

TEST_CASE("verify: content_holds() gives check_content()'s verdict, 64- and 32-bit sources",
          "[verify]") {
  // The detection's allocation-free test must agree with the rule that the report explains:
  // pairs of real paragraphs (en, ja, zh pools) and edited copies of them, with a tag, a
  // negation or a number put in, cut at either end, or joined to another paragraph.
  const std::uint64_t seed = test_seed();
  INFO("PARADEDUP_TEST_SEED=" << seed);
  std::mt19937_64 rng(seed);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<std::string> pool;
  for (const char* name : {"pool_en.txt", "pool_ja.txt", "pool_zh_cn.txt", "pool_zh_tw.txt"}) {
    for (std::string& l : lines_of(slurp(std::string(PARADEDUP_TEST_DATA) + "/" + name))) {
      pool.push_back(std::move(l));
    }
  }
  const std::vector<std::string> edits = {" not", "不", "ない", "않", " 1807", "【本報訊】",
                                          " 42", "没有"};
  std::size_t agree_holds = 0, agree_fails = 0;
  for (int round = 0; round < 2000; ++round) {
    const std::string& src = pool[pick(pool.size())];
    std::string copy = src;
    switch (pick(6)) {
      case 0: break;
      case 1: copy = edits[pick(edits.size())] + copy; break;
      case 2: copy += edits[pick(edits.size())]; break;
      case 3: copy = copy.substr(0, copy.size() / 2); break;
      case 4: copy = pool[pick(pool.size())]; break;
      default: copy += " " + pool[pick(pool.size())]; break;
    }
    if (copy.find_first_not_of(" ") == std::string::npos) continue;
    const paragraph_content a = content(copy, options{}), b = content(src, options{});
    if (a.tokens.empty() || b.tokens.empty()) continue;
    INFO("copy: " << copy << "\nsource: " << src);
    const bool expected = paradedup::detail::check_content(a, paradedup::detail::ref(b)).holds;
    CHECK(paradedup::detail::content_holds(a, paradedup::detail::ref(b)) == expected);
    // The corpus index keeps the low 32 bits of a source's hashes.
    std::vector<std::uint32_t> tokens32(b.tokens.begin(), b.tokens.end());
    std::vector<paradedup::basic_guard<std::uint32_t>> guards32;
    for (const paradedup::guard& g : b.guards) guards32.push_back({g.at, static_cast<std::uint32_t>(g.id)});
    const paradedup::detail::content_ref<std::uint32_t> r32{tokens32.data(), tokens32.size(),
                                                             guards32.data(), guards32.size(),
                                                             b.tag_tokens};
    CHECK(paradedup::detail::content_holds(a, r32) ==
          paradedup::detail::check_content(a, r32).holds);
    ++(expected ? agree_holds : agree_fails);
  }
  // Both verdicts occur often, so the agreement says something.
  CHECK(agree_holds > 200);
  CHECK(agree_fails > 200);
}

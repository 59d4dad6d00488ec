// The settings schema: one list for the options struct, the CLI flags and index headers.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "paradedup/options.hpp"

TEST_CASE("every setting has a unique name and flag and round-trips as text", "[options]") {
  paradedup::options o;
  std::set<std::string> names, flags;
  int count = 0;
  paradedup::visit_settings(o, [&](const paradedup::setting_info& info, const auto&) {
    ++count;
    CHECK(names.insert(std::string(info.name)).second);
    CHECK(flags.insert(std::string(info.flag)).second);
    CHECK(info.flag.substr(0, 2) == "--");
    CHECK(!info.help.empty());
    const std::string text = paradedup::get_setting(o, info.name);
    CHECK(!text.empty());
    paradedup::options copy;
    CHECK(paradedup::set_setting(copy, info.name, text));
    CHECK(paradedup::get_setting(copy, info.name) == text);
  });
  CHECK(count == 11);
}

TEST_CASE("set_setting parses each type and rejects bad text", "[options]") {
  paradedup::options o;
  CHECK(paradedup::set_setting(o, "mode", "blank"));
  CHECK(o.mode == paradedup::segment_mode::blank);
  CHECK(paradedup::set_setting(o, "threshold", "0.9"));
  CHECK(o.threshold == Approx(0.9));
  CHECK(paradedup::set_setting(o, "shingle", "7"));
  CHECK(o.shingle == 7);
  CHECK(paradedup::set_setting(o, "fold_han", "false"));
  CHECK_FALSE(o.fold_han);
  CHECK(paradedup::set_setting(o, "on_invalid", "replace"));
  CHECK(o.on_invalid == paradedup::invalid_policy::replace);

  const paradedup::options before = o;
  CHECK_FALSE(paradedup::set_setting(o, "mode", "paragraphs"));
  CHECK_FALSE(paradedup::set_setting(o, "threshold", "0.9x"));
  CHECK_FALSE(paradedup::set_setting(o, "shingle", ""));
  CHECK_FALSE(paradedup::set_setting(o, "fold_han", "yes"));
  CHECK_FALSE(paradedup::set_setting(o, "no_such_setting", "1"));
  CHECK(o.mode == before.mode);
  CHECK(o.threshold == before.threshold);
  CHECK(o.shingle == before.shingle);
  CHECK(paradedup::get_setting(o, "no_such_setting").empty());
}

TEST_CASE("byte counts take a binary suffix", "[options]") {
  paradedup::options o;
  CHECK(paradedup::set_setting(o, "max_memory", "4G"));
  CHECK(o.max_memory == (std::size_t{4} << 30));
  CHECK(paradedup::set_setting(o, "max_memory", "512m"));
  CHECK(o.max_memory == (std::size_t{512} << 20));
  CHECK(paradedup::set_setting(o, "max_document_bytes", "64K"));
  CHECK(o.max_document_bytes == (std::size_t{64} << 10));
  CHECK(paradedup::set_setting(o, "max_memory", "0"));
  CHECK(o.max_memory == 0);
  CHECK_FALSE(paradedup::set_setting(o, "max_memory", "4GB"));
  CHECK_FALSE(paradedup::set_setting(o, "max_memory", "4X"));
  CHECK_FALSE(paradedup::set_setting(o, "max_memory", "G"));
  CHECK_FALSE(paradedup::set_setting(o, "max_memory", "99999999999T"));  // overflows
  CHECK(o.max_memory == 0);
}

TEST_CASE("validate rejects out-of-range options with invalid_option", "[options]") {
  paradedup::options o;
  CHECK_NOTHROW(paradedup::validate(o));
  o.threshold = 0.0;
  CHECK_THROWS_AS(paradedup::validate(o), paradedup::error);
  o.threshold = 1.0;
  o.shingle = 33;
  try {
    paradedup::validate(o);
    FAIL("no throw");
  } catch (const paradedup::error& e) {
    CHECK(e.code() == paradedup::errc::invalid_option);
    CHECK(std::string(e.what()).find("shingle") != std::string::npos);
  }
}

TEST_CASE("get_setting keeps every digit of a double", "[options][regression]") {
  paradedup::options o;
  o.threshold = 0.8512345678901234;
  paradedup::options copy;
  REQUIRE(paradedup::set_setting(copy, "threshold", paradedup::get_setting(o, "threshold")));
  CHECK(copy.threshold == o.threshold);
  o.threshold = 1e-7;
  REQUIRE(paradedup::set_setting(copy, "threshold", paradedup::get_setting(o, "threshold")));
  CHECK(copy.threshold == o.threshold);
}

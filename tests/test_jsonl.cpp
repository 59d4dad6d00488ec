// Unit tests for include/paradedup/jsonl.hpp: JSON Lines records read with simdjson and
// rewritten byte for byte.

#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>  // std::move
#include <vector>

#include "paradedup/jsonl.hpp"
#include "paradedup/utf8.hpp"

namespace {

using paradedup::jsonl_reader;
using paradedup::jsonl_record;
using paradedup::record_status;
using paradedup::rewrite_jsonl_record;

// The line without the text field's value token.
std::string without_text(std::string_view line, const jsonl_record& r) {
  return std::string(line.substr(0, r.text_begin)) + std::string(line.substr(r.text_end));
}

// "Chinese" (2 Han characters) and "Japanese text" (6 characters, kana among them) in UTF-8.
const std::string chinese = "\xE4\xB8\xAD\xE6\x96\x87";
const std::string japanese =
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87\xE7\xAB\xA0";

struct bad_line {
  const char* name;
  std::string line;
  record_status status;
  std::size_t offset;
  const char* in_message;  // a piece the message must contain
};

}  // namespace

TEST_CASE("to_string names every record_status", "[jsonl]") {
  CHECK(paradedup::to_string(record_status::ok) == "ok");
  CHECK(paradedup::to_string(record_status::malformed) == "malformed JSON");
  CHECK(paradedup::to_string(record_status::not_object) == "not an object");
  CHECK(paradedup::to_string(record_status::no_text) == "no text field");
  CHECK(paradedup::to_string(record_status::text_not_string) == "text not a string");
  CHECK(paradedup::to_string(record_status::invalid_utf8) == "invalid UTF-8");
}

TEST_CASE("jsonl_reader decodes the text field and its span", "[jsonl]") {
  jsonl_reader reader;

  SECTION("plain") {
    const std::string line = R"({"id":"doc-1","text":"Hello, world.","lang":"en"})";
    const jsonl_record r = reader.parse(line);
    REQUIRE(r.status == record_status::ok);
    CHECK(r.message.empty());
    CHECK(r.text == "Hello, world.");
    CHECK(r.has_id);
    CHECK(r.id == "doc-1");
    CHECK(line.substr(r.text_begin, r.text_end - r.text_begin) == R"("Hello, world.")");
  }
  SECTION("escapes") {
    const std::string line =
        R"({"text":"a\nb \"q\" back\\slash \u00e9 \ud83d\ude00 \/ \b\f\r\t \u0000end"})";
    const jsonl_record r = reader.parse(line);
    REQUIRE(r.status == record_status::ok);
    CHECK(r.text == std::string("a\nb \"q\" back\\slash \xC3\xA9 \xF0\x9F\x98\x80 / \b\f\r\t ") +
                        std::string(1, '\0') + "end");
    CHECK(paradedup::validate_utf8(r.text).valid);
    CHECK(line[r.text_begin] == '"');
    CHECK(r.text_end == line.size() - 1);
  }
  SECTION("Chinese and Japanese, raw and escaped") {
    const jsonl_record raw =
        reader.parse("{\"text\":\"" + chinese + "\xE3\x80\x82" + japanese + "\"}");
    REQUIRE(raw.status == record_status::ok);
    CHECK(raw.text == chinese + "\xE3\x80\x82" + japanese);
    const jsonl_record escaped = reader.parse(R"({"text":"\u4e2d\u6587 \u65E5\u672C\u8A9E"})");
    REQUIRE(escaped.status == record_status::ok);
    CHECK(escaped.text == chinese + " \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E");
  }
  SECTION("whitespace everywhere") {
    const std::string line = " \t{ \"text\" :  \"a b\"  , \"id\" : 5 }  ";
    const jsonl_record r = reader.parse(line);
    REQUIRE(r.status == record_status::ok);
    CHECK(r.text == "a b");
    CHECK(r.id == "5");
    CHECK(r.text_begin == 14);
    CHECK(r.text_end == 19);
  }
  SECTION("empty text") {
    const jsonl_record r = reader.parse(R"({"text":""})");
    REQUIRE(r.status == record_status::ok);
    CHECK(r.text.empty());
    CHECK(r.text_end - r.text_begin == 2);
  }
  SECTION("a key written with escapes is the same key") {
    const jsonl_record r = reader.parse(R"({"te\u0078t":"x"})");
    REQUIRE(r.status == record_status::ok);
    CHECK(r.text == "x");
  }
  SECTION("duplicate text keys: the first wins, the others are still validated") {
    const jsonl_record r = reader.parse(R"({"text":"first","text":"second","text":3})");
    REQUIRE(r.status == record_status::ok);
    CHECK(r.text == "first");
    CHECK(r.text_begin == 8);
    CHECK(reader.parse(R"({"text":"first","text":[1,]})").status == record_status::malformed);
    CHECK(reader.parse(R"({"text":7,"text":"second"})").status ==
          record_status::text_not_string);
  }
  SECTION("a UTF-8 byte order mark is skipped, offsets count it") {
    const std::string line = "\xEF\xBB\xBF{\"text\":\"bom\"}";
    const jsonl_record r = reader.parse(line);
    REQUIRE(r.status == record_status::ok);
    CHECK(r.text == "bom");
    CHECK(r.text_begin == 11);
  }
}

TEST_CASE("jsonl_reader reads the id as a string, a number, or not at all", "[jsonl]") {
  jsonl_reader reader;
  struct id_case {
    std::string line;
    bool has_id;
    std::string id;
  };
  const std::vector<id_case> cases = {
      {R"({"id":"a\"b\u00e9","text":"t"})", true, "a\"b\xC3\xA9"},
      {R"({"text":"t","id":42})", true, "42"},
      {R"({"text":"t","id":-1.5e+10 })", true, "-1.5e+10"},
      {R"({"text":"t","id":123456789012345678901234567890})", true,
       "123456789012345678901234567890"},
      {R"({"text":"t"})", false, ""},
      {R"({"text":"t","id":null})", false, ""},
      {R"({"text":"t","id":{"n":1}})", false, ""},
      {R"({"text":"t","id":["x"]})", false, ""},
      {R"({"text":"t","id":true})", false, ""},
      {R"({"text":"t","id":"first","id":"second"})", true, "first"},
      {R"({"text":"t","id":null,"id":"second"})", false, ""},  // the first id field counts
      {R"({"id":"","text":"t"})", true, ""},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    const jsonl_record r = reader.parse(c.line);
    REQUIRE(r.status == record_status::ok);
    CHECK(r.has_id == c.has_id);
    CHECK(r.id == c.id);
    CHECK(r.text == "t");
  }
}

TEST_CASE("jsonl_reader takes other field names", "[jsonl]") {
  jsonl_reader reader("body", "url");
  const jsonl_record r = reader.parse(R"({"text":1,"url":"https://x/","body":"B"})");
  REQUIRE(r.status == record_status::ok);
  CHECK(r.text == "B");
  CHECK(r.id == "https://x/");
  CHECK(reader.parse(R"({"text":"t"})").status == record_status::no_text);
  CHECK(reader.parse(R"({"text":"t"})").message == R"(no field "body")");

  jsonl_reader same("key", "key");  // the same field as text and id
  const jsonl_record s = same.parse(R"({"key":"v"})");
  REQUIRE(s.status == record_status::ok);
  CHECK(s.text == "v");
  CHECK(s.id == "v");
}

TEST_CASE("jsonl_reader reports each kind of bad line", "[jsonl]") {
  const std::string deep_open(100000, '[');
  const std::string deep_closed = deep_open + std::string(100000, ']');
  const std::vector<bad_line> cases = {
      // malformed: not one complete JSON value
      {"empty line", "", record_status::malformed, 0, "empty line"},
      {"blank line", " \t\r", record_status::malformed, 0, "empty line"},
      {"truncated in a string", R"({"text":"abc)", record_status::malformed, 8, "not closed"},
      {"truncated after a value", R"({"id":1,"text":"abc")", record_status::malformed, 20,
       "ends inside"},
      {"truncated after a comma", R"({"text":"abc",)", record_status::malformed, 14,
       "ends inside"},
      {"truncated after a colon", R"({"text":)", record_status::malformed, 8, "ends inside"},
      {"trailing garbage", R"({"text":"abc"} x)", record_status::malformed, 15,
       "after the end"},
      {"trailing brace", R"({"text":"abc"}})", record_status::malformed, 14, "after the end"},
      {"two objects", R"({"text":"a"}{"text":"b"})", record_status::malformed, 12,
       "after the end"},
      {"trailing comma", R"({"text":"abc",})", record_status::malformed, 14, "TAPE_ERROR"},
      {"missing comma", R"({"text":"abc" "a":1})", record_status::malformed, 14,
       "TAPE_ERROR"},
      {"missing colon", R"({"a" 1,"text":"x"})", record_status::malformed, 5, "TAPE_ERROR"},
      {"missing value", R"({"a":,"text":"x"})", record_status::malformed, 5, "TAPE_ERROR"},
      {"array trailing comma", R"({"a":[1,],"text":"x"})", record_status::malformed, 8,
       "TAPE_ERROR"},
      {"mismatched bracket", R"({"text":"x"])", record_status::malformed, 11, "TAPE_ERROR"},
      {"single quotes", R"({'text':'x'})", record_status::malformed, 1, "TAPE_ERROR"},
      {"bad escape", R"({"text":"a\qb"})", record_status::malformed, 8, "escape"},
      {"bad escape elsewhere", R"({"text":"ok","b":"\x41"})", record_status::malformed, 17,
       "STRING_ERROR"},
      {"bad escape in a key", R"({"text":"ok","\k":1})", record_status::malformed, 13,
       "STRING_ERROR"},
      {"bad hex", R"({"text":"\u12G4"})", record_status::malformed, 8, "STRING_ERROR"},
      {"lone high surrogate", R"({"text":"\ud83d"})", record_status::malformed, 8,
       "surrogate"},
      {"high surrogate, no low", R"({"text":"\ud83d\u0041"})", record_status::malformed, 8,
       "surrogate"},
      {"lone low surrogate", R"({"text":"\ude00x"})", record_status::malformed, 8,
       "surrogate"},
      {"raw control character", "{\"text\":\"a\tb\"}", record_status::malformed, 10,
       "U+0009"},
      {"raw newline", "{\"text\":\"a\nb\"}", record_status::malformed, 10, "U+000A"},
      {"NUL outside strings", std::string("{\"text\":\"a\"\0}", 13), record_status::malformed,
       11, "TAPE_ERROR"},
      {"leading zero", R"({"text":"x","n":01})", record_status::malformed, 16, "number"},
      {"bare minus", R"({"text":"x","n":-})", record_status::malformed, 16, "number"},
      {"no exponent digits", R"({"text":"x","n":1e+})", record_status::malformed, 16,
       "number"},
      {"no fraction digits", R"({"text":"x","n":[1.]})", record_status::malformed, 17,
       "number"},
      {"NaN", R"({"text":"x","n":NaN})", record_status::malformed, 16, "TAPE_ERROR"},
      {"bad true", R"({"text":"x","b":tru})", record_status::malformed, 16, "literal"},
      {"bad null", R"({"text":"x","b":nulls})", record_status::malformed, 16, "literal"},
      {"bad false at the top", "fals", record_status::malformed, 0, "literal"},
      {"string then more", R"("di{": "doc-1", "text": "x"})", record_status::malformed, 5,
       "after the end"},
      {"null then more", "null x", record_status::malformed, 5, "after the end"},
      {"bad escape at the top", R"("\q")", record_status::malformed, 0, "STRING_ERROR"},
      {"100000-deep open arrays", deep_open, record_status::malformed, 100000, "ends inside"},
      {"100000-deep closed arrays", deep_closed, record_status::malformed, 1024,
       "nested deeper than 1024"},
      {"100000-deep in a field", "{\"text\":\"x\",\"a\":" + deep_closed + "}",
       record_status::malformed, 1039, "DEPTH_ERROR"},
      {"malformed beats invalid text type", R"({"text":1,"a":})", record_status::malformed,
       14, "TAPE_ERROR"},
      // not_object: valid JSON, not an object
      {"array", R"([{"text":"x"}])", record_status::not_object, 0, "an array"},
      {"string", R"("text")", record_status::not_object, 0, "a string"},
      {"number", "12", record_status::not_object, 0, "a number"},
      {"huge number", "1e999999", record_status::not_object, 0, "a number"},
      {"null", "null", record_status::not_object, 0, "null"},
      {"true", " true ", record_status::not_object, 1, "a boolean"},
      {"null with spaces", " null \r", record_status::not_object, 1, "null"},
      {"string with spaces", " \"s\" ", record_status::not_object, 1, "a string"},
      // no_text
      {"no text field", R"({"id":1,"body":"x"})", record_status::no_text, 0, "no field"},
      {"empty object", "{}", record_status::no_text, 0, R"("text")"},
      {"text only nested", R"({"a":{"text":"x"}})", record_status::no_text, 0, "no field"},
      {"key differs in case", R"({"Text":"x"})", record_status::no_text, 0, "no field"},
      // text_not_string
      {"text number", R"({"text":12})", record_status::text_not_string, 8, "a number"},
      {"text null", R"({"id":1, "text": null})", record_status::text_not_string, 17, "null"},
      {"text object", R"({"text":{"s":"x"}})", record_status::text_not_string, 8, "an object"},
      {"text array", R"({"text":["x"]})", record_status::text_not_string, 8, "an array"},
      {"text bool", R"({"text":false})", record_status::text_not_string, 8, "a boolean"},
      // invalid_utf8
      {"bad byte in text", "{\"text\":\"ab\xFF\"}", record_status::invalid_utf8, 11,
       "invalid UTF-8 at byte 11"},
      {"encoded surrogate", "{\"text\":\"\xED\xA0\x80\"}", record_status::invalid_utf8, 9,
       "byte 9"},
      {"overlong", "{\"text\":\"x\",\"k\":\"\xC0\xAF\"}", record_status::invalid_utf8, 17,
       "byte 17"},
      {"truncated sequence", "{\"text\":\"\xE4\xB8\"}", record_status::invalid_utf8, 9,
       "byte 9"},
      {"invalid UTF-8 beats malformed", "{\"text\":\"\xFF", record_status::invalid_utf8, 9,
       "byte 9"},
  };
  jsonl_reader reader;
  for (const auto& c : cases) {
    INFO(c.name);
    const jsonl_record r = reader.parse(c.line);
    INFO(r.message);
    CHECK(r.status == c.status);
    CHECK(r.error_offset == c.offset);
    CHECK(r.message.find(c.in_message) != std::string::npos);
    CHECK(r.text.empty());
    CHECK(r.text_begin == 0);
    CHECK(r.text_end == 0);
  }
}

TEST_CASE("jsonl_reader accepts valid JSON it does not convert", "[jsonl]") {
  jsonl_reader reader;
  const std::string digits(500, '7');
  const std::vector<std::string> lines = {
      R"({"n":1e999999,"text":"x"})",
      R"({"text":"x","n":-1E-999999})",
      "{\"text\":\"x\",\"n\":" + digits + "}",
      "{\"text\":\"x\",\"n\":-0." + digits + "e+" + digits + "}",
      "{\"text\":\"x\",\"a\":[" + digits + ",1e999999,{\"b\":-" + digits + "}]}",
      R"({"text":"x","a":[[[]]],"b":{"c":{"d":[true,false,null,-0.5e-3,0,"s",{}]}},"e":[]})",
      R"({"":"empty key","text":"x","\u0000":"nul key"})",
  };
  for (const auto& line : lines) {
    INFO(line.substr(0, 80));
    const jsonl_record r = reader.parse(line);
    CHECK(r.status == record_status::ok);
    CHECK(r.text == "x");
  }
  const jsonl_record big_id = reader.parse("{\"id\":" + digits + ",\"text\":\"x\"}");
  REQUIRE(big_id.status == record_status::ok);
  CHECK(big_id.id == digits);
}

TEST_CASE("jsonl_reader nests up to jsonl_max_depth levels", "[jsonl]") {
  jsonl_reader reader;
  // The top-level object is depth 1.
  auto nested = [](std::size_t arrays) {
    return "{\"text\":\"x\",\"a\":" + std::string(arrays, '[') + std::string(arrays, ']') + "}";
  };
  CHECK(reader.parse(nested(paradedup::jsonl_max_depth - 1)).status == record_status::ok);
  const jsonl_record r = reader.parse(nested(paradedup::jsonl_max_depth));
  CHECK(r.status == record_status::malformed);
  CHECK(r.message.find("nested deeper than 1024") != std::string::npos);
  CHECK(reader.parse(std::string(1024, '[') + std::string(1024, ']')).status ==
        record_status::not_object);
  CHECK(reader.parse(std::string(1025, '[') + std::string(1025, ']')).status ==
        record_status::malformed);
}

TEST_CASE("jsonl_reader tolerates CRLF line ends", "[jsonl]") {
  jsonl_reader reader;
  const std::string line = "{\"text\":\"a\",\"id\":7}\r";
  const jsonl_record r = reader.parse(line);
  REQUIRE(r.status == record_status::ok);
  CHECK(r.text == "a");
  CHECK(r.id == "7");
  CHECK(rewrite_jsonl_record(line, r, "b", "\"x\":1") == "{\"text\":\"b\",\"id\":7,\"x\":1}\r");
  CHECK(reader.parse("{\"text\":\"a\"}\r\r").status == record_status::ok);
}

TEST_CASE("jsonl_reader is reusable and movable", "[jsonl]") {
  jsonl_reader reader;
  // A long line leaves bytes in the buffer past the end of the next, shorter, line.
  const std::string long_line =
      "{\"text\":\"" + std::string(5000, 'a') + "\"}" + std::string(200, '}');
  CHECK(reader.parse(long_line).status == record_status::malformed);
  CHECK(reader.parse(R"({"text":"b")").status == record_status::malformed);
  CHECK(reader.parse(R"({"text":"b"})").text == "b");
  CHECK(reader.parse(R"([{"text":"b"})").status == record_status::malformed);
  CHECK(reader.parse(long_line.substr(0, 5011)).text == std::string(5000, 'a'));

  jsonl_reader moved = std::move(reader);
  CHECK(moved.parse(R"({"text":"c"})").text == "c");
  jsonl_reader other("body");
  other = std::move(moved);
  CHECK(other.parse(R"({"text":"d"})").text == "d");
}

TEST_CASE("rewrite_jsonl_record replaces only the text value", "[jsonl]") {
  jsonl_reader reader;
  const std::vector<std::string> lines = {
      R"({"id":"doc-1","text":"Hello, world.","lang":"en"})",
      R"({"text":"first"})",
      "  { \"meta\" : {\"text\":\"nested\"} , \"text\" :\t\"a\\nb\\u00e9\" , \"n\":1e999999 }\r",
      R"({"text":"\ud83d\ude00 \"quoted\"","text":"second"})",
      "{\"text\":\"" + chinese + "\",\"tags\":[\"" + japanese + "\",null,true,-0.0]}",
      "\xEF\xBB\xBF{\"text\":\"bom\"}",
      R"({"te\u0078t":"escaped key","k":"\u00e9"})",
  };
  const std::vector<std::string> new_texts = {
      "",
      "plain",
      "line 1\nline 2\r\n\t\"quotes\" and \\backslashes\\ and / slash",
      std::string("control \x01\x1F and NUL ") + std::string(1, '\0') + " and DEL \x7F",
      chinese + "\xE3\x80\x82" + japanese + " \xF0\x9F\x98\x80",
      "\xE2\x80\xA8 line separator U+2028",
  };
  for (const auto& line : lines) {
    const jsonl_record r = reader.parse(line);
    INFO(line);
    REQUIRE(r.status == record_status::ok);
    // Rewriting with the same text changes nothing but the escaping of the text.
    const std::string same = rewrite_jsonl_record(line, r, r.text);
    const jsonl_record s = reader.parse(same);
    REQUIRE(s.status == record_status::ok);
    CHECK(s.text == r.text);
    CHECK(without_text(same, s) == without_text(line, r));
    for (const auto& t : new_texts) {
      const std::string out = rewrite_jsonl_record(line, r, t);
      INFO(out);
      const jsonl_record back = reader.parse(out);
      REQUIRE(back.status == record_status::ok);
      CHECK(back.text == t);
      CHECK(back.id == r.id);
      CHECK(back.text_begin == r.text_begin);
      CHECK(without_text(out, back) == without_text(line, r));
    }
  }
  // Exact output, and the header's example.
  const std::string example = R"({"id":7,"text":"A\nA","lang":"en"})";
  CHECK(rewrite_jsonl_record(example, reader.parse(example), "A",
                             R"("paradedup":{"removed":1})") ==
        R"({"id":7,"text":"A","lang":"en","paradedup":{"removed":1}})");
  const std::string line = R"({"id":1,"text":"old","z":"\u00e9"})";
  CHECK(rewrite_jsonl_record(line, reader.parse(line), "new \"one\"\n") ==
        R"({"id":1,"text":"new \"one\"\n","z":"\u00e9"})");
}

TEST_CASE("rewrite_jsonl_record appends extra members", "[jsonl]") {
  jsonl_reader reader;
  const std::string extra = R"("paradedup":{"removed":2})";
  struct extra_case {
    std::string line;
    record_status status;
    std::string expected;
  };
  const std::vector<extra_case> cases = {
      {R"({"text":"a"})", record_status::ok, R"({"text":"b","paradedup":{"removed":2}})"},
      {R"({"text":"a" })", record_status::ok, R"({"text":"b" ,"paradedup":{"removed":2}})"},
      {"{\"text\":\"a\"\t\r\n}\r", record_status::ok,
       "{\"text\":\"b\"\t\r\n,\"paradedup\":{\"removed\":2}}\r"},
      {R"(  {"id":{},"text":"a","x":[]}  )", record_status::ok,
       R"(  {"id":{},"text":"b","x":[],"paradedup":{"removed":2}}  )"},
      {"{}", record_status::no_text, R"({"paradedup":{"removed":2}})"},
      {"{ }", record_status::no_text, R"({ "paradedup":{"removed":2}})"},
      {" {\r\n\t} ", record_status::no_text, " {\r\n\t\"paradedup\":{\"removed\":2}} "},
      {R"({"a":{}})", record_status::no_text, R"({"a":{},"paradedup":{"removed":2}})"},
      {R"({"text":null})", record_status::text_not_string,
       R"({"text":null,"paradedup":{"removed":2}})"},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    const jsonl_record r = reader.parse(c.line);
    REQUIRE(r.status == c.status);
    const std::string out = rewrite_jsonl_record(c.line, r, "b", extra);
    CHECK(out == c.expected);
    const jsonl_record back = reader.parse(out);
    CHECK(back.status == c.status);
    // The extra member is a member of the top-level object: no_text stays no_text with the
    // field names changed, so read it back as the text field.
    jsonl_reader extra_reader("paradedup");
    CHECK(extra_reader.parse(out).status == record_status::text_not_string);
  }
  // Without extra members nothing is added; for records without text nothing changes.
  CHECK(rewrite_jsonl_record("{ }", reader.parse("{ }"), "ignored") == "{ }");
  const std::string bare = R"({"text":"a"} )";
  CHECK(rewrite_jsonl_record(bare, reader.parse(bare), "b") == R"({"text":"b"} )");
}

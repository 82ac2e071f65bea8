// The JSON reply printer's layout (pretty = cJSON's formatted print, batch
// framing) and its output bound; json_text's escapes and UTF-8 checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "protocol/jsonrpc/json_text.hpp"
#include "reply_fixture.hpp"

namespace mid::test {
namespace {

using tree::kRoot;

// The byte-exact example of docs/notes (jsonrpc-facts.md section 3) but
// its "Empty" member: rule 2 makes an object only of a node with kids or
// attributes, so no tree prints `{}`.
TEST_F(JsonReplyTest, PrettyMatchesCJsonFormattedPrint) {
  const auto list = array(kRoot, "Processes");
  const auto first = kid(list, "Process");
  number_attribute(first, "ID", 0);
  number_attribute(first, "PID", 4711);
  attribute(first, "Type", "attendant");
  const auto second = kid(list, "Process");
  number_attribute(second, "ID", 1);
  number_attribute(second, "PID", 4712);
  attribute(second, "Type", "MI Datagram");
  array(kRoot, "None");
  EXPECT_EQ(result("OK", "\"42\"", kPretty),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t{\n\t\t\"Processes\":\t[{\n"
            "\t\t\t\t\"ID\":\t0,\n\t\t\t\t\"PID\":\t4711,\n\t\t\t\t\"Type\":\t\"attendant\"\n"
            "\t\t\t}, {\n\t\t\t\t\"ID\":\t1,\n\t\t\t\t\"PID\":\t4712,\n"
            "\t\t\t\t\"Type\":\t\"MI Datagram\"\n\t\t\t}],\n\t\t\"None\":\t[]\n\t},\n"
            "\t\"id\":\t\"42\"\n}");
  EXPECT_EQ(result("OK", "\"42\""),
            R"({"jsonrpc":"2.0","result":{"Processes":[{"ID":0,"PID":4711,"Type":"attendant"},)"
            R"({"ID":1,"PID":4712,"Type":"MI Datagram"}],"None":[]},"id":"42"})");
}

// What an empty named node gives where the example has "Empty": {}.
TEST_F(JsonReplyTest, EmptyNodeIsAnEmptyString) {
  kid(kRoot, "Empty");
  EXPECT_EQ(result("OK", "1", kPretty),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t{\n\t\t\"Empty\":\t\"\"\n\t},\n"
            "\t\"id\":\t1\n}");
}

TEST_F(JsonReplyTest, PrettyScalarsArraysAndErrors) {
  EXPECT_EQ(result("OK", "1", kPretty),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"result\":\t\"OK\",\n"
            "\t\"id\":\t1\n}");
  ASSERT_TRUE(tree_->make_array(kRoot).ok());
  kid(array(kRoot, ""), "", "level");
  number(kRoot, "", 2);
  EXPECT_EQ(result("OK", "1", kPretty),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n"
            "\t\"result\":\t[[\"level\"], 2],\n\t\"id\":\t1\n}");
  EXPECT_EQ(error(-32602, "Invalid params", "why", "null", kPretty),
            "{\n\t\"jsonrpc\":\t\"2.0\",\n\t\"error\":\t{\n\t\t\"code\":\t-32602,\n"
            "\t\t\"message\":\t\"Invalid params\",\n\t\t\"data\":\t\"why\"\n\t},\n"
            "\t\"id\":\tnull\n}");
}

TEST_F(JsonReplyTest, BatchFraming) {
  for (const bool pretty : {false, true}) {
    const Style style{.pretty = pretty};
    core::BoundedWriter out(buffer_);
    protocol::jsonrpc::begin_batch(out, style);
    printer_.put_result(out, *tree_, "OK", "1", style, 1);
    protocol::jsonrpc::separate_responses(out, style);
    printer_.put_error(out, -32601, "Method not found", "", "2", style, 1);
    protocol::jsonrpc::end_batch(out, style);
    ASSERT_FALSE(out.failed());
    EXPECT_EQ(std::string(out.view()),
              pretty ? "[{\n\t\t\"jsonrpc\":\t\"2.0\",\n\t\t\"result\":\t\"OK\",\n"
                       "\t\t\"id\":\t1\n\t}, {\n\t\t\"jsonrpc\":\t\"2.0\",\n\t\t\"error\":\t{\n"
                       "\t\t\t\"code\":\t-32601,\n\t\t\t\"message\":\t\"Method not found\"\n"
                       "\t\t},\n\t\t\"id\":\t2\n\t}]"
                     : R"([{"jsonrpc":"2.0","result":"OK","id":1},{"jsonrpc":"2.0",)"
                       R"("error":{"code":-32601,"message":"Method not found"},"id":2}])");
  }
}

// A reply exactly the span's size completes; one byte less fails, and
// nothing is written past the span (guard bytes).
TEST_F(JsonReplyTest, OutputStopsAtTheSpan) {
  kid(kRoot, "Server", std::string(1000, 'x'));
  const std::string full = result("OK", "\"1\"", kPretty);
  constexpr std::size_t kGuard = 32;
  for (const std::size_t size : {full.size(), full.size() - 1, std::size_t{0}, std::size_t{10}}) {
    std::vector<char> span(size + kGuard, '\x5a');
    core::BoundedWriter out(std::span<char>(span.data(), size));
    printer_.put_result(out, *tree_, "OK", "\"1\"", kPretty);
    EXPECT_EQ(out.failed(), size != full.size()) << size;
    EXPECT_TRUE(std::all_of(span.begin() + static_cast<std::ptrdiff_t>(size), span.end(),
                            [](char c) { return c == '\x5a'; }));
    if (!out.failed()) {
      EXPECT_EQ(std::string(out.view()), full);
    }
  }
}

std::string json_string(std::string_view text) {
  std::vector<char> buffer(text.size() * 6 + 2);
  core::BoundedWriter out(buffer);
  protocol::jsonrpc::put_string(out, text);
  EXPECT_FALSE(out.failed());
  return std::string(out.view());
}

TEST(JsonText, EveryAsciiEscape) {
  EXPECT_EQ(json_string("\"\\/\b\f\n\r\t"), R"("\"\\/\b\f\n\r\t")");
  const std::string_view kHex = "0123456789abcdef";
  for (unsigned byte = 0; byte < 0x20; ++byte) {
    if (std::string_view("\b\f\n\r\t").find(static_cast<char>(byte)) != std::string_view::npos) {
      continue;
    }
    const std::string expected = std::string("\"\\u00") + kHex[byte >> 4U] + kHex[byte & 15U] + '"';
    EXPECT_EQ(json_string(std::string(1, static_cast<char>(byte))), expected) << byte;
  }
  EXPECT_EQ(json_string("\x7f"), R"("\u007f")");
  EXPECT_EQ(json_string(" ~plain text~ "), R"(" ~plain text~ ")");
  EXPECT_EQ(json_string(""), R"("")");
}

// The scan takes eight bytes a step: each ASCII byte at each place of a
// string that spans two words and a tail, between bytes next to the
// special ranges (' ', '!', '#', '[', ']', '~'), is escaped as alone.
TEST(JsonText, EveryAsciiByteAtEveryPlaceOfAWord) {
  const std::string_view neighbours = " !#[]~";
  for (unsigned byte = 0; byte < 0x80; ++byte) {
    const std::string alone = json_string(std::string(1, static_cast<char>(byte)));
    const std::string_view escaped = std::string_view(alone).substr(1, alone.size() - 2);
    for (std::size_t place = 0; place < 19; ++place) {
      std::string text(19, neighbours[place % neighbours.size()]);
      text[place] = static_cast<char>(byte);
      std::string expected = "\"" + text.substr(0, place);
      expected.append(escaped);
      expected += text.substr(place + 1) + "\"";
      EXPECT_EQ(json_string(text), expected) << byte << " at " << place;
    }
  }
}

TEST(JsonText, C1ControlsAreEscapedOtherUtf8IsCopied) {
  EXPECT_EQ(json_string("\xc2\x80"), R"("\u0080")");
  EXPECT_EQ(json_string("\xc2\x9f"), R"("\u009f")");
  EXPECT_EQ(json_string("a\xc2\x9b[31m"), R"("a\u009b[31m")");  // the 8-bit CSI
  for (const std::string_view valid :
       {"\xc2\xa0", "\xc3\xa9t\xc3\xa9", "\xe2\x82\xac", "\xed\x9f\xbf", "\xee\x80\x80",
        "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xef\xbf\xbd"}) {
    EXPECT_EQ(json_string(valid), "\"" + std::string(valid) + "\"");
  }
}

TEST(JsonText, InvalidUtf8IsReplacedPerByte) {
  const struct {
    std::string_view in;
    std::string_view out;
  } cases[] = {
      {"\x80", R"("\ufffd")"},                                // lone continuation
      {"\xc0\x80", R"("\ufffd\ufffd")"},                      // overlong NUL
      {"\xc1\xbf", R"("\ufffd\ufffd")"},                      // overlong
      {"\xe0\x80\x80", R"("\ufffd\ufffd\ufffd")"},            // overlong three bytes
      {"\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")"},            // a surrogate
      {"\xf0\x80\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},  // overlong four bytes
      {"\xf4\x90\x80\x80", R"("\ufffd\ufffd\ufffd\ufffd")"},  // over U+10FFFF
      {"\xf5\x80", R"("\ufffd\ufffd")"},                      // never a lead byte
      {"\xff\xfe", R"("\ufffd\ufffd")"},
      {"a\xe2\x82", R"("a\ufffd\ufffd")"},  // truncated at the end
      {"\xe2\x82z", R"("\ufffd\ufffdz")"},  // truncated before ASCII
      {"\xf0\x9f\x98", R"("\ufffd\ufffd\ufffd")"},
      {"\xc3\xa9\xc3", "\"\xc3\xa9\\ufffd\""},
  };
  for (const auto& c : cases) EXPECT_EQ(json_string(c.in), c.out) << c.out;
}

TEST(JsonText, JsonIntegers) {
  using protocol::jsonrpc::is_json_integer;
  for (const std::string_view yes : {"0", "-0", "7", "-12", "9223372036854775808"}) {
    EXPECT_TRUE(is_json_integer(yes)) << yes;
  }
  for (const std::string_view no : {"", "-", "01", "-01", "+1", "1.5", "1e3", " 1", "0x1", "1-"}) {
    EXPECT_FALSE(is_json_integer(no)) << no;
  }
}

}  // namespace
}  // namespace mid::test

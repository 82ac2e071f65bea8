// The client's JSON-RPC request printer: exact bytes, params shapes,
// refusals, and that RequestParser reads back what was printed.

#include "protocol/jsonrpc/request_printer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "protocol/jsonrpc/request_parser.hpp"

namespace mid::protocol::jsonrpc {
namespace {

std::string print(std::string_view method, const std::vector<RequestParam>& params,
                  std::uint64_t id = 7) {
  std::vector<char> out(core::kMaxDatagram);
  auto printed = print_request(method, params, id, out);
  EXPECT_TRUE(printed.ok()) << core::to_string(printed.error().code);
  return printed ? std::string(out.data(), printed.value()) : std::string();
}

core::Error refusal(std::string_view method, const std::vector<RequestParam>& params,
                    std::size_t capacity = core::kMaxDatagram) {
  std::vector<char> out(capacity);
  auto printed = print_request(method, params, 1, out);
  EXPECT_FALSE(printed.ok());
  return printed ? core::Error{core::Errc::empty_request, 0} : printed.error();
}

TEST(JsonRequestPrinter, NoParamsLeavesTheMemberOut) {
  EXPECT_EQ(print("uptime", {}, 29963), R"({"jsonrpc":"2.0","method":"uptime","id":29963})");
  EXPECT_EQ(print("core:uptime", {}, 0), R"({"jsonrpc":"2.0","method":"core:uptime","id":0})");
  EXPECT_EQ(print("x", {}, UINT64_MAX),
            R"({"jsonrpc":"2.0","method":"x","id":18446744073709551615})");
}

TEST(JsonRequestPrinter, PositionalParamsAreAnArrayOfStrings) {
  EXPECT_EQ(print("get_statistics", {{"", "dialog:"}, {"", "tm:"}}),
            R"({"jsonrpc":"2.0","method":"get_statistics","params":["dialog:","tm:"],"id":7})");
  EXPECT_EQ(print("log_level", {{"", "3"}}),
            R"({"jsonrpc":"2.0","method":"log_level","params":["3"],"id":7})");
  EXPECT_EQ(print("echo", {{"", ""}}), R"({"jsonrpc":"2.0","method":"echo","params":[""],"id":7})");
}

TEST(JsonRequestPrinter, NamedParamsAreAnObjectAndARepeatedNameAnArray) {
  EXPECT_EQ(print("help", {{"mi_cmd", "uptime"}}),
            R"({"jsonrpc":"2.0","method":"help","params":{"mi_cmd":"uptime"},"id":7})");
  EXPECT_EQ(print("get_statistics", {{"statistics", "all"}, {"statistics", "tm:"}}),
            R"({"jsonrpc":"2.0","method":"get_statistics","params":{"statistics":["all","tm:"]},)"
            R"("id":7})");
  // Members in the order of first use; values of a name in order.
  EXPECT_EQ(print("m", {{"b", "1"}, {"a", "2"}, {"b", "3"}, {"c", ""}, {"b", "4"}}),
            R"({"jsonrpc":"2.0","method":"m","params":{"b":["1","3","4"],"a":"2","c":""},"id":7})");
}

TEST(JsonRequestPrinter, StringsAreEscapedAsJson) {
  EXPECT_EQ(print("m\"\\", {{"", "a\nb\t\x01\x1b\x7f/\xc3\xa9\xc2\x9b"}}),
            R"({"jsonrpc":"2.0","method":"m\"\\","params":["a\nb\t\u0001\u001b\u007f/)"
            "\xc3\xa9"
            R"(\u009b"],"id":7})");
  EXPECT_EQ(print("m", {{"k\"", "v"}}),
            R"({"jsonrpc":"2.0","method":"m","params":{"k\"":"v"},"id":7})");
}

TEST(JsonRequestPrinter, RefusesInvalidUtf8AnEmptyMethodAndMixedParams) {
  using core::Errc;
  EXPECT_EQ(refusal("", {}), (core::Error{Errc::request_unprintable, 0}));
  EXPECT_EQ(refusal("up\xfftime", {}), (core::Error{Errc::request_unprintable, 0}));
  EXPECT_EQ(refusal("m", {{"", "ok"}, {"", "\xc0\x80"}}),
            (core::Error{Errc::request_unprintable, 2}));
  EXPECT_EQ(refusal("m", {{"\xed\xa0\x80", "v"}}), (core::Error{Errc::request_unprintable, 1}));
  EXPECT_EQ(refusal("m", {{"a", "v"}, {"", "w"}}), (core::Error{Errc::request_unprintable, 2}));
  EXPECT_EQ(refusal("m", {{"", "w"}, {"a", "v"}}), (core::Error{Errc::request_unprintable, 2}));
  const std::vector<RequestParam> many(core::kMaxArguments + 1, RequestParam{"", "x"});
  EXPECT_EQ(refusal("m", many), (core::Error{Errc::request_unprintable, core::kMaxArguments + 1}));
}

TEST(JsonRequestPrinter, TooLargeAtTheSpanOrTheDatagramLimit) {
  const std::string request = print("uptime", {});
  const core::Error short_by_one = refusal("uptime", {}, request.size() - 1);
  EXPECT_EQ(short_by_one.code, core::Errc::request_too_large);
  EXPECT_LE(short_by_one.offset, request.size() - 1);
  std::vector<char> exact(request.size());
  EXPECT_TRUE(print_request("uptime", {}, 7, exact).ok());
  // An overhead of 44 bytes: a value of kMaxDatagram - 44 fits exactly.
  const std::string overhead = print("m", {{"", ""}});
  const std::string fits(core::kMaxDatagram - overhead.size(), 'v');
  EXPECT_EQ(print("m", {{"", fits}}).size(), core::kMaxDatagram);
  std::vector<char> big(2 * core::kMaxDatagram);
  const std::string over = fits + "v";
  auto printed = print_request("m", std::vector<RequestParam>{{"", over}}, 7, big);
  ASSERT_FALSE(printed.ok());
  EXPECT_EQ(printed.error().code, core::Errc::request_too_large);
}

TEST(JsonRequestPrinter, RequestParserReadsBackWhatWasPrinted) {
  RequestParser parser;
  const std::string text = print(
      "get_statistics", {{"statistics", "a\x01"}, {"statistics", "b"}, {"x", "\xe2\x82\xac"}}, 42);
  const ParseOutcome parsed = parser.parse(text);
  ASSERT_EQ(parsed.error.code, RpcCode::none) << parsed.error.data;
  ASSERT_EQ(parsed.document.calls.size(), 1U);
  const Call& call = parsed.document.calls[0];
  EXPECT_EQ(call.method, "get_statistics");
  EXPECT_TRUE(call.has_id);
  EXPECT_EQ(call.id, "42");
  EXPECT_EQ(call.shape, ParamsShape::named);
  ASSERT_EQ(call.params.size(), 2U);
  EXPECT_EQ(call.params[0].name, "statistics");
  ASSERT_EQ(call.params[0].value.kind, ValueKind::array);
  const auto elements = parsed.document.elements.subspan(call.params[0].value.first, 2);
  EXPECT_EQ(elements[0].text, "a\x01");
  EXPECT_EQ(elements[1].text, "b");
  EXPECT_EQ(call.params[1].value.text, "\xe2\x82\xac");
}

}  // namespace
}  // namespace mid::protocol::jsonrpc

// The JSON-RPC request parser on valid requests: the real clients' bytes,
// batches, notifications, every kind of id, escapes, parameter shapes and
// the datagram size bound.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/limits.hpp"
#include "parser_fixture.hpp"

namespace mid::protocol::jsonrpc {
namespace {

using namespace std::string_view_literals;

TEST_F(JsonRpcParserTest, PythonOpensipsUptime) {
  const Call& call =
      single(R"({"jsonrpc": "2.0", "id": "29963", "method": "uptime", "params": {}})");
  EXPECT_EQ(call.error.code, RpcCode::none);
  EXPECT_EQ(call.method, "uptime");
  EXPECT_TRUE(call.has_id);
  EXPECT_EQ(call.id, R"("29963")");
  EXPECT_EQ(call.shape, ParamsShape::named);
  EXPECT_TRUE(call.params.empty());
  EXPECT_FALSE(outcome_.document.batch);
}

TEST_F(JsonRpcParserTest, OpensipsCliStatisticsPositional) {
  const Call& call = single(
      R"({"jsonrpc":"2.0","method":"get_statistics","id":"1065","params":[["dialog:","tm:"]]})");
  EXPECT_EQ(call.error.code, RpcCode::none);
  EXPECT_EQ(call.method, "get_statistics");
  EXPECT_EQ(call.id, R"("1065")");
  ASSERT_EQ(call.shape, ParamsShape::positional);
  ASSERT_EQ(call.params.size(), 1U);
  EXPECT_EQ(call.params[0].name, "");
  ASSERT_EQ(call.params[0].value.kind, ValueKind::array);
  const auto items = elements(call.params[0].value);
  ASSERT_EQ(items.size(), 2U);
  EXPECT_EQ(items[0].kind, ValueKind::string);
  EXPECT_EQ(items[0].text, "dialog:");
  EXPECT_EQ(items[1].text, "tm:");
}

TEST_F(JsonRpcParserTest, PythonOpensipsStatisticsNamed) {
  const Call& call = single(
      R"({"jsonrpc": "2.0", "id": "4711", "method": "get_statistics", "params": {"statistics": ["all"]}})");
  EXPECT_EQ(call.error.code, RpcCode::none);
  EXPECT_EQ(call.id, R"("4711")");
  ASSERT_EQ(call.shape, ParamsShape::named);
  ASSERT_EQ(call.params.size(), 1U);
  EXPECT_EQ(call.params[0].name, "statistics");
  const auto items = elements(call.params[0].value);
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].text, "all");
}

TEST_F(JsonRpcParserTest, OpensipsCliWhichWithEmptyArray) {
  const Call& call = single(R"({"jsonrpc": "2.0", "id": "4711", "method": "which", "params": []})");
  EXPECT_EQ(call.error.code, RpcCode::none);
  EXPECT_EQ(call.method, "which");
  EXPECT_EQ(call.shape, ParamsShape::positional);
  EXPECT_TRUE(call.params.empty());
}

TEST_F(JsonRpcParserTest, ParamsAbsent) {
  const Call& call = single(R"({"jsonrpc":"2.0","method":"version","id":1})");
  EXPECT_EQ(call.shape, ParamsShape::absent);
  EXPECT_TRUE(call.params.empty());
}

TEST_F(JsonRpcParserTest, ScalarParamsKeepTheirKindAndText) {
  const Call& call = single(
      R"({"jsonrpc":"2.0","method":"m","params":["s",-12.5e+3,true,false,null,0,[1,"x",null]]})");
  ASSERT_EQ(call.params.size(), 7U);
  const auto kind = [&](std::size_t i) { return call.params[i].value.kind; };
  const auto text = [&](std::size_t i) { return call.params[i].value.text; };
  EXPECT_EQ(kind(0), ValueKind::string);
  EXPECT_EQ(text(0), "s");
  EXPECT_EQ(kind(1), ValueKind::number);
  EXPECT_EQ(text(1), "-12.5e+3");
  EXPECT_EQ(kind(2), ValueKind::boolean);
  EXPECT_EQ(text(2), "true");
  EXPECT_EQ(text(3), "false");
  EXPECT_EQ(kind(4), ValueKind::null);
  EXPECT_EQ(text(4), "null");
  EXPECT_EQ(text(5), "0");
  const auto items = elements(call.params[6].value);
  ASSERT_EQ(items.size(), 3U);
  EXPECT_EQ(items[0].kind, ValueKind::number);
  EXPECT_EQ(items[0].text, "1");
  EXPECT_EQ(items[2].kind, ValueKind::null);
}

TEST_F(JsonRpcParserTest, NumbersOfAnyMagnitudeAsWritten) {
  const std::string big(400, '9');
  const Call& call = single(R"({"jsonrpc":"2.0","method":"m","params":[1e400,-1E-400,)" + big +
                            R"(,0.)" + big + "e+999999999999]}");
  ASSERT_EQ(call.params.size(), 4U);
  EXPECT_EQ(call.params[0].value.text, "1e400");
  EXPECT_EQ(call.params[1].value.text, "-1E-400");
  EXPECT_EQ(call.params[2].value.text, big);
  EXPECT_EQ(call.params[3].value.text, "0." + big + "e+999999999999");
}

TEST_F(JsonRpcParserTest, IdsOfEveryKindAreTheirBytesAsSent) {
  const struct {
    std::string_view id;
  } kIds[] = {{R"("29963")"}, {"1.5"},       {"-0"},         {"1e400"},
              {"null"},       {R"("a\"b")"}, {R"("")"},      {"123456789012345678901234567890"},
              {"0"},          {"-1.0E-7"},   {R"("\u00e9")"}};
  for (const auto& [id] : kIds) {
    const std::string text =
        R"({"id" :  )" + std::string(id) + R"( ,"jsonrpc":"2.0","method":"m"})";
    const Call& call = single(text);
    EXPECT_TRUE(call.has_id) << id;
    EXPECT_EQ(call.id, id);
    EXPECT_EQ(call.error.code, RpcCode::none) << id;
  }
}

TEST_F(JsonRpcParserTest, NotificationHasNoId) {
  const Call& call = single(R"({"jsonrpc":"2.0","method":"ps"})");
  EXPECT_FALSE(call.has_id);
  EXPECT_TRUE(call.id.empty());
  EXPECT_EQ(call.error.code, RpcCode::none);
}

TEST_F(JsonRpcParserTest, EscapesAreDecoded) {
  const Call& call = single(
      R"({"jsonrpc":"2.0","method":"caf\u00e9","params":{"k\u0000":"\ud83d\ude00","t":"\"\\\/\b\f\n\r\t"}})");
  EXPECT_EQ(call.method, "caf\xC3\xA9");
  ASSERT_EQ(call.params.size(), 2U);
  EXPECT_EQ(call.params[0].name, "k\0"sv);
  EXPECT_EQ(call.params[0].value.text, "\xF0\x9F\x98\x80");
  EXPECT_EQ(call.params[1].value.text, "\"\\/\b\f\n\r\t");
}

TEST_F(JsonRpcParserTest, RawUtf8IsKept) {
  const Call& call =
      single("{\"jsonrpc\":\"2.0\",\"method\":\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"}");
  EXPECT_EQ(call.method, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST_F(JsonRpcParserTest, WhitespaceAroundEverything) {
  const Call& call = single(
      " \t\r\n{ \"jsonrpc\" : \"2.0\" , \"method\" :\"m\",\"id\"\n:\n7\n,\"params\": [ 1 ] }\n ");
  EXPECT_EQ(call.error.code, RpcCode::none);
  EXPECT_EQ(call.id, "7");
  ASSERT_EQ(call.params.size(), 1U);
}

TEST_F(JsonRpcParserTest, BatchOfCallsNotificationsAndInvalidOnes) {
  outcome_ = parse(R"([{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"b"},3,)"
                   R"({"jsonrpc":"2.0","method":"c","id":"x","params":{"p":1}}])");
  ASSERT_EQ(outcome_.error.code, RpcCode::none);
  EXPECT_TRUE(outcome_.document.batch);
  const auto calls = outcome_.document.calls;
  ASSERT_EQ(calls.size(), 4U);
  EXPECT_EQ(calls[0].method, "a");
  EXPECT_EQ(calls[0].id, "1");
  EXPECT_FALSE(calls[1].has_id);
  EXPECT_EQ(calls[2].error,
            (RpcError{RpcCode::invalid_request, "a batch element is not an object", 70}));
  EXPECT_FALSE(calls[2].has_id);
  EXPECT_EQ(calls[3].id, R"("x")");
  ASSERT_EQ(calls[3].params.size(), 1U);
  EXPECT_EQ(calls[3].params[0].name, "p");
}

// A number beyond a double's range makes the parser read the datagram a
// second time (DatagramStream): what the first reading had built is gone.
TEST_F(JsonRpcParserTest, BigNumberLateInABatchReadsTheBatchOnce) {
  outcome_ = parse(R"([{"jsonrpc":"2.0","method":"a","params":["s"],"id":1},)"
                   R"({"jsonrpc":"2.0","method":"b","params":[2,1e400],"id":2}])");
  ASSERT_EQ(outcome_.error.code, RpcCode::none);
  const auto calls = outcome_.document.calls;
  ASSERT_EQ(calls.size(), 2U);
  ASSERT_EQ(calls[0].params.size(), 1U);
  EXPECT_EQ(calls[0].params[0].value.text, "s");
  ASSERT_EQ(calls[1].params.size(), 2U);
  EXPECT_EQ(calls[1].params[0].value.text, "2");
  EXPECT_EQ(calls[1].params[1].value.text, "1e400");
  EXPECT_EQ(calls[1].id, "2");
}

TEST_F(JsonRpcParserTest, BatchOfSixtyFourCalls) {
  std::string text = "[";
  for (int i = 0; i < 64; ++i) text += R"({"jsonrpc":"2.0","method":"m","params":[1]},)";
  text.back() = ']';
  outcome_ = parse(text);
  ASSERT_EQ(outcome_.error.code, RpcCode::none);
  ASSERT_EQ(outcome_.document.calls.size(), 64U);
  EXPECT_EQ(outcome_.document.calls[63].params.size(), 1U);
}

TEST_F(JsonRpcParserTest, SixteenLevelsAreParsed) {
  // Batch, call, params, array: 4 levels; 16 are allowed in all.
  const std::string text =
      R"([{"jsonrpc":"2.0","method":"m","x":)" + std::string(14, '[') + std::string(14, ']') + "}]";
  outcome_ = parse(text);
  ASSERT_EQ(outcome_.error.code, RpcCode::none);
  EXPECT_EQ(outcome_.document.calls[0].error.data,
            "unknown member (only jsonrpc, method, params and id are allowed)");
}

TEST_F(JsonRpcParserTest, FourThousandNinetySixParamsAndElements) {
  const std::string ones = test::repeat("1,", 4095) + "1";
  const Call& call = single(R"({"jsonrpc":"2.0","method":"m","params":[)" + ones + "]}");
  EXPECT_EQ(call.params.size(), 4096U);
  const Call& arrays = single(R"({"jsonrpc":"2.0","method":"m","params":[[)" + ones + "]]}");
  EXPECT_EQ(elements(arrays.params[0].value).size(), 4096U);
}

// The largest datagram: a string parameter filling it to exactly 65457
// bytes, once raw and once as escapes that decode to a quarter the size.
TEST_F(JsonRpcParserTest, LargestDatagramParses) {
  const std::string head = R"({"jsonrpc":"2.0","method":"m","params":[")";
  const std::string tail = R"("]})";
  const std::size_t room = core::kMaxDatagram - head.size() - tail.size();
  const std::string raw = head + std::string(room, 'x') + tail;
  ASSERT_EQ(raw.size(), core::kMaxDatagram);
  EXPECT_EQ(single(raw).params[0].value.text.size(), room);

  std::string escaped =
      head + test::repeat("\\u00e9", room / 6) + std::string(room % 6, 'y') + tail;
  ASSERT_EQ(escaped.size(), core::kMaxDatagram);
  EXPECT_EQ(single(escaped).params[0].value.text.size(), room / 6 * 2 + room % 6);

  std::string oversize = raw;
  oversize.insert(head.size(), "x");
  EXPECT_EQ(parse(oversize).error,
            (RpcError{RpcCode::invalid_request, "datagram larger than 65457 bytes", 65457}));
}

TEST_F(JsonRpcParserTest, ViewsStayValidUntilTheNextParse) {
  const Call& call = single(R"({"jsonrpc":"2.0","method":"\u0041bc","params":{"n\u0041":"v"}})");
  EXPECT_EQ(call.method, "Abc");
  EXPECT_EQ(call.params[0].name, "nA");
  EXPECT_EQ(call.params[0].value.text, "v");
}

TEST_F(JsonRpcParserTest, TheParserIsReusable) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(parse("[]").error.code, RpcCode::invalid_request);
    EXPECT_EQ(single(R"({"jsonrpc":"2.0","method":"m","id":2})").id, "2");
    EXPECT_EQ(parse("{").error.code, RpcCode::parse_error);
  }
}

}  // namespace
}  // namespace mid::protocol::jsonrpc

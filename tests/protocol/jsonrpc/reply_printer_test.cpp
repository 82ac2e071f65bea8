// The JSON-RPC reply printer: the OpenSIPS 3.x shapes of the built-in
// commands, the mapping rule (reply_printer.hpp), errors, ids, batches,
// the pretty layout and the output bound.
#include "protocol/jsonrpc/reply_printer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "reply_fixture.hpp"

namespace mid::test {
namespace {

using tree::kRoot;

TEST_F(JsonReplyTest, Uptime) {
  kid(kRoot, "Now", "Thu Aug 20 16:27:42 2026");
  kid(kRoot, "Up since", "Thu Aug 20 16:00:00 2026");
  kid(kRoot, "Up time", "1662 [sec]");
  EXPECT_EQ(result("OK", "\"29963\""),
            R"({"jsonrpc":"2.0","result":{"Now":"Thu Aug 20 16:27:42 2026",)"
            R"("Up since":"Thu Aug 20 16:00:00 2026","Up time":"1662 [sec]"},"id":"29963"})");
}

TEST_F(JsonReplyTest, VersionAndPwd) {
  kid(kRoot, "Server", "mi-datagram 0.1.0 (x86_64/linux)");
  EXPECT_EQ(result_value(), R"json({"Server":"mi-datagram 0.1.0 (x86_64/linux)"})json");
  tree_->clear();
  kid(kRoot, "WD", "/");
  EXPECT_EQ(result_value(), R"({"WD":"/"})");
}

TEST_F(JsonReplyTest, Ps) {
  const auto list = array(kRoot, "Processes");
  for (std::int64_t slot = 0; slot < 2; ++slot) {
    const auto process = kid(list, "Process");
    number_attribute(process, "ID", slot);
    number_attribute(process, "PID", 9467 + slot);
    attribute(process, "Type", slot == 0 ? "master" : "worker");
  }
  EXPECT_EQ(result_value(), R"({"Processes":[{"ID":0,"PID":9467,"Type":"master"},)"
                            R"({"ID":1,"PID":9468,"Type":"worker"}]})");
}

TEST_F(JsonReplyTest, WhichArgAndEmptyArray) {
  ASSERT_TRUE(tree_->make_array(kRoot).ok());
  kid(kRoot, "", "get_statistics");
  kid(kRoot, "", "uptime");
  EXPECT_EQ(result_value(), R"(["get_statistics","uptime"])");
  tree_->clear();
  ASSERT_TRUE(tree_->make_array(kRoot).ok());
  EXPECT_EQ(result_value(), "[]");  // an empty array is still an array, not the reason
  tree_->clear();
  ASSERT_TRUE(tree_->make_array(kRoot).ok());
  kid(kRoot, "", "a");
  kid(kRoot, "", "b");
  EXPECT_EQ(result_value(), R"(["a","b"])");
}

TEST_F(JsonReplyTest, WhichWithACommand) {
  ASSERT_TRUE(tree_->make_array(kRoot).ok());
  array(kRoot, "");
  kid(array(kRoot, ""), "", "level");
  const auto both = array(kRoot, "");
  kid(both, "", "level");
  kid(both, "", "pid");
  EXPECT_EQ(result_value(), R"([[],["level"],["level","pid"]])");
}

TEST_F(JsonReplyTest, GetStatistics) {
  number(kRoot, "core:rcv_requests", 0);
  number(kRoot, "shmem:total_size", 33554432);
  number(kRoot, "core:negative", -9223372036854775807 - 1);
  EXPECT_EQ(result_value(), R"({"core:rcv_requests":0,"shmem:total_size":33554432,)"
                            R"("core:negative":-9223372036854775808})");
}

TEST_F(JsonReplyTest, StatusOnlyIsTheReason) {
  EXPECT_EQ(result("OK", "\"4711\""), R"({"jsonrpc":"2.0","result":"OK","id":"4711"})");
  EXPECT_EQ(result_value(), R"("OK")");
  EXPECT_EQ(result("Usage: \"help\"\n", "1"),
            R"({"jsonrpc":"2.0","result":"Usage: \"help\"\n","id":1})");
  // The root's own value is not a member of nothing: the reason wins.
  ASSERT_TRUE(tree_->set_value(kRoot, "ignored").ok());
  EXPECT_EQ(result_value(), R"("OK")");
}

// An id comes back byte for byte (escapes, number forms), but for the two
// controls a JSON string may carry raw, DEL and C1, which are escaped.
TEST_F(JsonReplyTest, IdsEchoedAsSentButTheirRawControls) {
  EXPECT_EQ(result("OK", R"("a\u0041")"), R"({"jsonrpc":"2.0","result":"OK","id":"a\u0041"})");
  EXPECT_EQ(result("OK", "1.5e3"), R"({"jsonrpc":"2.0","result":"OK","id":1.5e3})");
  EXPECT_EQ(result("OK",
                   "\"a\x7f"
                   "b\xc2\x85"
                   "c\xc2\xa0\""),
            "{\"jsonrpc\":\"2.0\",\"result\":\"OK\",\"id\":\"a\\u007fb\\u0085c\xc2\xa0\"}");
}

// A quote is the one byte of a node name JSON escapes; the tree knows it
// from the name (NodeName), so plain names are copied unscanned.
TEST_F(JsonReplyTest, NamesWithAQuoteAreEscapedPlainOnesCopied) {
  kid(kRoot, "say \"hi\"", "1");
  kid(kRoot, "plain:name", "2");
  number(kRoot, "n\"", 3);
  static constexpr tree::NodeName kLiteral{"lit\"eral"};
  ASSERT_TRUE(tree_->add_kid(kRoot, kLiteral, "4").ok());
  attribute(kid(kRoot, "a"), "at\"tr", "5");
  EXPECT_EQ(result_value(),
            R"({"say \"hi\"":"1","plain:name":"2","n\"":3,"lit\"eral":"4","a":{"at\"tr":"5"}})");
  EXPECT_TRUE(tree::NodeName{"q\""}.needs_json_escape());
  EXPECT_FALSE(tree::NodeName{"Up since"}.needs_json_escape());
  EXPECT_TRUE(tree::NodeName::make("x\"y")->needs_json_escape());
  EXPECT_FALSE(tree::NodeName::make("core:x")->needs_json_escape());
}

TEST_F(JsonReplyTest, ScalarsByKind) {
  kid(kRoot, "empty");
  kid(kRoot, "text", "12");
  const auto odd = number(kRoot, "odd", 5);
  ASSERT_TRUE(tree_->set_value(odd, "05").ok());  // text again: a number only as add_number wrote
  const auto node = kid(kRoot, "attrs");
  attribute(node, "t", "-1");
  number_attribute(node, "n", -1);
  EXPECT_EQ(result_value(), R"({"empty":"","text":"12","odd":"05","attrs":{"t":"-1","n":-1}})");
}

TEST_F(JsonReplyTest, OwnValueComesFirstThenAttributesThenKids) {
  const auto node = kid(kRoot, "node", "own");
  kid(node, "k", "kid");
  attribute(node, "a", "attr");
  const auto counted = number(kRoot, "counted", 3);
  kid(counted, "x", "y");
  EXPECT_EQ(result_value(),
            R"({"node":{"value":"own","a":"attr","k":"kid"},"counted":{"value":3,"x":"y"}})");
}

TEST_F(JsonReplyTest, MembersOfOneNameMergeAtTheFirst) {
  const auto node = kid(kRoot, "n", "own");
  attribute(node, "a", "1");
  attribute(node, "value", "2");
  kid(node, "b", "3");
  kid(node, "a", "4");
  const auto nested = kid(node, "a");
  kid(nested, "deep", "5");
  kid(node, "", "6");
  kid(node, "", "7");
  kid(node, "value", "8");
  EXPECT_EQ(result_value(), R"({"n":{"value":["own","2","8"],"a":["1","4",{"deep":"5"}],)"
                            R"("b":"3","":["6","7"]}})");
}

TEST_F(JsonReplyTest, RootMembersAndArrayElementsMerge) {
  kid(kRoot, "Process", "a");
  kid(kRoot, "Process", "b");
  const auto list = array(kRoot, "list");
  const auto element = kid(list, "ignored");
  kid(element, "x", "1");
  kid(element, "x", "2");
  EXPECT_EQ(result_value(), R"({"Process":["a","b"],"list":[{"x":["1","2"]}]})");
}

TEST_F(JsonReplyTest, MergesEightThousandKidsOfOneName) {
  for (std::size_t i = 0; i < core::kMaxNodes; ++i) number(kRoot, "s", 1);
  std::string expected = R"({"s":[)";
  for (std::size_t i = 0; i < core::kMaxNodes; ++i) expected += i == 0 ? "1" : ",1";
  EXPECT_EQ(result_value(), expected + "]}");
}

// Names alike in length and in their first and last eight bytes share a
// hash: they must still not merge, and thousands of them stay fast (the
// sort on (hash, name, position) decides; no quadratic probing). 2000
// members fill most of a datagram.
TEST_F(JsonReplyTest, NamesOfOneHashStayApart) {
  std::string expected = "{";
  for (int i = 0; i < 2000; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "aaaaaaaa%04dbbbbbbbb", i);
    kid(kRoot, name, "v");
    expected += std::string(i == 0 ? "" : ",") + "\"" + name + "\":\"v\"";
  }
  kid(kRoot, "aaaaaaaa0007bbbbbbbb", "w");  // merges with the eighth
  const std::string printed = result_value();
  EXPECT_EQ(printed.size(), expected.size() + 7);  // "v" -> ["v","w"]
  EXPECT_NE(printed.find(R"("aaaaaaaa0007bbbbbbbb":["v","w"],)"), std::string::npos);
  EXPECT_EQ(printed.substr(0, 100), expected.substr(0, 100));
}

TEST_F(JsonReplyTest, DeepestTreePrints) {
  tree::NodeId node = kRoot;
  std::string expected;
  for (std::size_t depth = 1; depth < core::kMaxTreeDepth; ++depth) {
    node = kid(node, "d");
    expected += R"({"d":)";
  }
  kid(node, "d", "leaf");
  expected += R"({"d":"leaf"})" + std::string(core::kMaxTreeDepth - 1, '}');
  EXPECT_EQ(result_value(), expected);
}

TEST_F(JsonReplyTest, KeysAreEscaped) {
  kid(kRoot, "say \"hi\"", "x");
  EXPECT_EQ(result_value(), R"({"say \"hi\"":"x"})");
}

TEST_F(JsonReplyTest, Errors) {
  EXPECT_EQ(error(-32601, "Method not found", "", "\"4711\""),
            R"({"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},)"
            R"("id":"4711"})");
  EXPECT_EQ(error(-32602, "Invalid params", "Too few or too many parameters", "7"),
            R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params",)"
            R"("data":"Too few or too many parameters"},"id":7})");
  EXPECT_EQ(error(404, "Statistics Not Found", "", "null"),
            R"({"jsonrpc":"2.0","error":{"code":404,"message":"Statistics Not Found"},)"
            R"("id":null})");
  EXPECT_EQ(error(-32700, "Parse error", "bad \"x\"\x01", ""),
            R"({"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error",)"
            R"("data":"bad \"x\"\u0001"},"id":null})");
  EXPECT_EQ(error(LONG_MIN, "m", "", "0"),
            R"({"jsonrpc":"2.0","error":{"code":-9223372036854775808,"message":"m"},"id":0})");
}

TEST_F(JsonReplyTest, IdsAreEchoedAsSent) {
  for (const std::string_view id :
       {R"("29963")", "7", "-1", "1.5", "1e10", "null", R"("a\"b\u00e9")", R"("")"}) {
    EXPECT_EQ(result("OK", id), R"({"jsonrpc":"2.0","result":"OK","id":)" + std::string(id) + "}");
  }
  EXPECT_EQ(result("OK", ""), R"({"jsonrpc":"2.0","result":"OK","id":null})");
}

}  // namespace
}  // namespace mid::test

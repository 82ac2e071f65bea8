// The JSON-RPC request parser never allocates after its constructor: from
// the first parse on, every kind of document (the real clients' requests,
// batches, the largest datagram, the deepest nesting, every error) leaves
// both counters of the counting allocator where they were: operator new
// and malloc/calloc/realloc, which RapidJSON's CrtAllocator calls for the
// reader's stack. The counters are process-wide (counting_allocator.cpp
// replaces malloc itself, so a call from inside RapidJSON counts too).

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "counting_allocator.hpp"
#include "protocol/jsonrpc/request_parser.hpp"

namespace mid::alloc_test {
namespace {

using protocol::jsonrpc::RequestParser;
using protocol::jsonrpc::RpcCode;

std::string repeat(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// The largest datagram: one string filling it. With a number beyond a
// double first, the parser reads it again with stand-ins, and the
// reader's stack holds a decoded string of (almost) kMaxDatagram bytes.
std::string largest(const std::string& filler_piece, bool big_number = false) {
  const std::string head = big_number ? R"({"jsonrpc":"2.0","method":"m","params":[1e400,")"
                                      : R"({"jsonrpc":"2.0","method":"m","params":[")";
  const std::string tail = R"("]})";
  const std::size_t room = core::kMaxDatagram - head.size() - tail.size();
  std::string body = repeat(filler_piece, room / filler_piece.size());
  body.append(room - body.size(), 'x');
  return head + body + tail;
}

std::vector<std::string> documents() {
  const std::string call = R"({"jsonrpc":"2.0","method":"m","id":1,"params":[1]})";
  return {
      R"({"jsonrpc": "2.0", "id": "29963", "method": "uptime", "params": {}})",
      R"({"jsonrpc":"2.0","method":"get_statistics","id":"1065","params":[["dialog:","tm:"]]})",
      R"({"jsonrpc": "2.0", "id": "4711", "method": "get_statistics", "params": {"statistics": ["all"]}})",
      R"({"jsonrpc": "2.0", "id": "4711", "method": "which", "params": []})",
      R"({"jsonrpc":"2.0","method":"caf\u00e9","id":1e400,"params":{"k\u0000":"\ud83d\ude00"}})",
      "[" + repeat(call + ",", 63) + call + "]",
      "[" + repeat(call + ",", 64) + call + "]",
      largest("x"),
      largest("\\u00e9"),
      largest("x", true),
      largest("\\u00e9", true),
      "[" + std::string(core::kMaxDatagram - 2, '1') + "]",
      std::string(15, '[') + "{}" + std::string(15, ']'),
      std::string(17, '[') + std::string(17, ']'),
      R"({"jsonrpc":"2.0","method":"m","params":[)" + repeat("1,", 4096) + "1]}",
      R"({"jsonrpc":"2.0","method":"m","params":{"b":1,"a":2,"b":3}})",
      R"({"JSONRPC":"2.0","method":1,"id":true,"params":"x"})",
      R"({"jsonrpc":"2.0","method":"\udc00"})",
      std::string("{}\0", 3),
      "",
      "[]",
      "{\"jsonrpc\":\"2.0\",\"method\":\"\xC0\x80\"}",
      std::string(core::kMaxDatagram + 1, ' '),
  };
}

TEST(JsonRpcParserAllocation, TheCounterSeesRapidJsonsMalloc) {
  const AllocationCount before = allocation_count();
  auto parser = std::make_unique<RequestParser>();
  const AllocationCount after = allocation_count();
  EXPECT_GE(after.news, before.news + 1);  // the parser's tables
  if (counts_malloc()) {
    // operator new forwards to malloc; the reader's stack adds one more.
    EXPECT_GE(after.mallocs, before.mallocs + (after.news - before.news) + 1);
  }
}

TEST(JsonRpcParserAllocation, NoneFromTheFirstParseOn) {
  const std::vector<std::string> inputs = documents();
  RequestParser parser;
  const AllocationCount before = allocation_count();
  std::size_t parsed = 0;
  for (int round = 0; round < 100; ++round) {
    for (const std::string& input : inputs) {
      parsed += parser.parse(input).error.code == RpcCode::none ? 1U : 0U;
    }
  }
  const AllocationCount after = allocation_count();
  EXPECT_EQ(parsed, 100U * 14U);  // 14 parse (their calls may be invalid); 9 are refused whole
  EXPECT_EQ(after.news - before.news, 0U) << "operator new calls";
  EXPECT_EQ(after.mallocs - before.mallocs, 0U) << "malloc/calloc/realloc calls";
}

}  // namespace
}  // namespace mid::alloc_test

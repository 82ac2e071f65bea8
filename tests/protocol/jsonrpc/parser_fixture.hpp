#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "protocol/jsonrpc/request_parser.hpp"
#include "test_support.hpp"

// A parser per test and readable failures for the JSON-RPC parser tests.
namespace mid::protocol::jsonrpc {

inline void PrintTo(const RpcError& error, std::ostream* os) {
  *os << "RpcError{" << static_cast<int>(error.code) << ", \"" << error.data << "\", offset "
      << error.offset << "}";
}

inline bool operator==(const RpcError& a, const RpcError& b) {
  return a.code == b.code && a.data == b.data && a.offset == b.offset;
}

class JsonRpcParserTest : public testing::Test {
 protected:
  // Parses an exact-size heap copy (ASan sees a read past the end).
  ParseOutcome parse(std::string_view text) {
    copy_ = test::ExactCopy(text);
    return parser_.parse(copy_.view());
  }
  // The one call of a single-call document that parsed.
  const Call& single(std::string_view text) {
    outcome_ = parse(text);
    EXPECT_EQ(outcome_.error.code, RpcCode::none) << outcome_.error.data;
    EXPECT_EQ(outcome_.document.calls.size(), 1U);
    static const Call kNone{};
    return outcome_.document.calls.empty() ? kNone : outcome_.document.calls[0];
  }
  // The elements of an array parameter.
  std::span<const Value> elements(const Value& array) const {
    return outcome_.document.elements.subspan(array.first, array.count);
  }

  RequestParser parser_;
  test::ExactCopy copy_{""};
  ParseOutcome outcome_;
};

}  // namespace mid::protocol::jsonrpc

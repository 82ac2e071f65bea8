#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "protocol/jsonrpc/reply_printer.hpp"
#include "tree/tree.hpp"
#include "tree_builder.hpp"

// Shared by the JSON reply printer's tests: one printer and one tree (both
// large, so on the heap) and a one-datagram output buffer.
namespace mid::test {

class JsonReplyTest : public ::testing::Test {
 protected:
  using Style = protocol::jsonrpc::Style;
  static constexpr Style kCompact{};
  static constexpr Style kPretty{.pretty = true};

  std::string result(std::string_view reason = "OK", std::string_view id = "\"1\"",
                     Style style = kCompact) {
    core::BoundedWriter out(buffer_);
    printer_.put_result(out, *tree_, reason, id, style);
    EXPECT_FALSE(out.failed());
    return std::string(out.view());
  }

  // Only the "result" member's value, from a compact response with id 1.
  std::string result_value() {
    const std::string whole = result("OK", "1");
    constexpr std::string_view kHead = R"({"jsonrpc":"2.0","result":)";
    constexpr std::string_view kTail = R"(,"id":1})";
    EXPECT_TRUE(whole.starts_with(kHead) && whole.ends_with(kTail)) << whole;
    if (whole.size() < kHead.size() + kTail.size()) return whole;
    return whole.substr(kHead.size(), whole.size() - kHead.size() - kTail.size());
  }

  std::string error(long code, std::string_view message, std::string_view data, std::string_view id,
                    Style style = kCompact) {
    core::BoundedWriter out(buffer_);
    printer_.put_error(out, code, message, data, id, style);
    EXPECT_FALSE(out.failed());
    return std::string(out.view());
  }

  tree::NodeId kid(tree::NodeId parent, std::string_view name, std::string_view value = {}) {
    return add(*tree_, parent, name, value);
  }
  tree::NodeId number(tree::NodeId parent, std::string_view name, std::int64_t value) {
    auto checked = name.empty() ? tree::NodeName::nameless() : *tree::NodeName::make(name);
    auto node = tree_->add_number(parent, checked, value);
    EXPECT_TRUE(node.ok());
    return node.ok() ? node.value() : tree::kRoot;
  }
  tree::NodeId array(tree::NodeId parent, std::string_view name) {
    auto checked = name.empty() ? tree::NodeName::nameless() : *tree::NodeName::make(name);
    auto node = tree_->add_array(parent, checked);
    EXPECT_TRUE(node.ok());
    return node.ok() ? node.value() : tree::kRoot;
  }
  void attribute(tree::NodeId node, std::string_view name, std::string_view value) {
    add_attribute(*tree_, node, name, value);
  }
  void number_attribute(tree::NodeId node, std::string_view name, std::int64_t value) {
    EXPECT_TRUE(tree_->add_number_attribute(node, name, value).ok());
  }

  std::unique_ptr<tree::Tree> tree_ = make_tree();
  protocol::jsonrpc::ReplyPrinter printer_;
  std::vector<char> buffer_ = std::vector<char>(core::kMaxDatagram);
};

}  // namespace mid::test

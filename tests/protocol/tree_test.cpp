#include "tree/tree.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/limits.hpp"
#include "test_support.hpp"
#include "tree_builder.hpp"

namespace mid::tree {
namespace {

using core::Errc;
using core::Error;
using test::add;
using namespace std::string_literals;

class TreeTest : public ::testing::Test {
 protected:
  std::unique_ptr<Tree> tree_ = test::make_tree();
};

TEST_F(TreeTest, AddKidKeepsOrderDepthParentNameAndValue) {
  const NodeId a = add(*tree_, kRoot, "a", "1");
  const NodeId b = add(*tree_, kRoot, "", "2");
  const NodeId a1 = add(*tree_, a, "a1", "");
  EXPECT_EQ(tree_->node_count(), 3U);
  EXPECT_EQ(tree_->first_kid(kRoot), a);
  EXPECT_EQ(tree_->next_sibling(a), b);
  EXPECT_EQ(tree_->next_sibling(b), kNoNode);
  EXPECT_EQ(tree_->first_kid(a), a1);
  EXPECT_EQ(tree_->parent(a1), a);
  EXPECT_EQ(tree_->parent(a), kRoot);
  EXPECT_EQ(tree_->depth(kRoot), 0U);
  EXPECT_EQ(tree_->depth(a), 1U);
  EXPECT_EQ(tree_->depth(a1), 2U);
  EXPECT_EQ(tree_->name(b), "");
  EXPECT_EQ(tree_->value(b), "2");
  EXPECT_EQ(tree_->value(a1), "");
}

TEST_F(TreeTest, NextInWalkIsDepthFirstPreOrder) {
  EXPECT_EQ(tree_->next_in_walk(kRoot), kNoNode);
  const NodeId a = add(*tree_, kRoot, "A", "");
  const NodeId a1 = add(*tree_, a, "A1", "");
  add(*tree_, a1, "A1a", "");
  add(*tree_, a, "A2", "");
  add(*tree_, kRoot, "B", "");
  const NodeId c = add(*tree_, kRoot, "C", "");
  add(*tree_, c, "C1", "");
  std::vector<std::string_view> order;
  for (NodeId n = tree_->next_in_walk(kRoot); n != kNoNode; n = tree_->next_in_walk(n)) {
    order.push_back(tree_->name(n));
  }
  EXPECT_EQ(order, (std::vector<std::string_view>{"A", "A1", "A1a", "A2", "B", "C", "C1"}));
}

TEST_F(TreeTest, AttributesKeepTheirOrder) {
  const NodeId node = add(*tree_, kRoot, "n", "v");
  EXPECT_FALSE(tree_->has_attributes(node));
  test::add_attribute(*tree_, node, "a", "1");
  test::add_attribute(*tree_, node, "b", "");
  test::add_attribute(*tree_, node, "a", "again");
  EXPECT_TRUE(tree_->has_attributes(node));
  std::vector<std::string> seen;
  tree_->for_each_attribute(node, [&seen](const Attribute& a) {
    seen.push_back(std::string(a.name) + "=" + std::string(a.value));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a=1", "b=", "a=again"}));
}

TEST_F(TreeTest, DepthLimitExactlyAtAndOneOver) {
  NodeId node = kRoot;
  for (std::size_t depth = 1; depth <= core::kMaxTreeDepth; ++depth) {
    node = add(*tree_, node, "", "");
  }
  EXPECT_EQ(tree_->depth(node), core::kMaxTreeDepth);
  auto deeper = tree_->add_kid(node, "too", "deep");
  ASSERT_FALSE(deeper.ok());
  EXPECT_EQ(deeper.error(), (Error{Errc::tree_too_deep, 0}));
  EXPECT_EQ(tree_->node_count(), core::kMaxTreeDepth);
  EXPECT_EQ(tree_->first_kid(node), kNoNode);
}

TEST_F(TreeTest, NodeLimitExactlyAtAndOneOver) {
  for (std::size_t i = 0; i < core::kMaxNodes; ++i) {
    ASSERT_TRUE(tree_->add_kid(kRoot, "", "").ok()) << i;
  }
  auto extra = tree_->add_kid(kRoot, "", "");
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.error(), (Error{Errc::too_many_nodes, 0}));
  EXPECT_EQ(tree_->node_count(), core::kMaxNodes);
}

TEST_F(TreeTest, AttributeLimitExactlyAtAndOneOver) {
  const NodeId node = add(*tree_, kRoot, "n", "");
  for (std::size_t i = 0; i < core::kMaxAttributes; ++i) {
    ASSERT_TRUE(tree_->add_attribute(node, "a", "").ok()) << i;
  }
  EXPECT_EQ(tree_->add_attribute(node, "a", "").error(), (Error{Errc::too_many_attributes, 0}));
  std::size_t count = 0;
  tree_->for_each_attribute(node, [&count](const Attribute&) { ++count; });
  EXPECT_EQ(count, core::kMaxAttributes);
}

TEST_F(TreeTest, FullTextArenaIsReplyTooLarge) {
  const NodeId node = add(*tree_, kRoot, "", std::string(core::kMaxDatagram, 'x'));
  EXPECT_EQ(tree_->value(node).size(), core::kMaxDatagram);
  EXPECT_EQ(tree_->add_kid(kRoot, "", "y").error(), (Error{Errc::reply_too_large, 0}));
  EXPECT_EQ(tree_->add_kid(kRoot, "n", "").error(), (Error{Errc::reply_too_large, 0}));
  EXPECT_EQ(tree_->add_attribute(node, "k", "v").error(), (Error{Errc::reply_too_large, 0}));
  EXPECT_EQ(tree_->set_value(node, "z").error(), (Error{Errc::reply_too_large, 0}));
  EXPECT_EQ(tree_->value(node).size(), core::kMaxDatagram);
  EXPECT_TRUE(tree_->add_kid(kRoot, "", "").ok());  // empty text needs no room
}

TEST_F(TreeTest, ValidNodeNames) {
  const std::string names[] = {
      "a",   "dialog:active_dialogs", "Up since",
      "a::", "!~#$%&'()*+,/",         std::string(core::kMaxNameLength, 'n')};
  for (const std::string& name : names) {
    EXPECT_TRUE(Tree::is_valid_name(name)) << name;
    EXPECT_TRUE(tree_->add_kid(kRoot, name, "v").ok()) << name;
    const auto checked = NodeName::make(name);
    ASSERT_TRUE(checked.has_value()) << name;
    EXPECT_EQ(checked->view(), name);
  }
}

// Literals are checked by the compiler (an invalid one does not compile:
// the ctest node_name_literal_is_checked), text once by make(); the tree
// takes either without looking again.
TEST_F(TreeTest, CheckedNamesAreAddedAsTheyAre) {
  static constexpr NodeName kUpSince{"Up since"};
  static_assert(kUpSince.view() == "Up since");
  static_assert(NodeName::nameless().view().empty());
  static_assert(!NodeName::make("a=b").has_value());
  const NodeId named = tree_->add_kid(kRoot, kUpSince, "Thu").value();
  EXPECT_EQ(tree_->name(named), "Up since");
  EXPECT_EQ(tree_->value(named), "Thu");
  const NodeId nameless = tree_->add_kid(kRoot, NodeName::nameless(), "v").value();
  EXPECT_EQ(tree_->name(nameless), "");
  const NodeId from_text =
      tree_->add_kid(named, NodeName::make("core:processes").value(), "3").value();
  EXPECT_EQ(tree_->parent(from_text), named);
  EXPECT_EQ(tree_->node_count(), 3U);
}

TEST_F(TreeTest, InvalidNodeNamesAreBadName) {
  const std::string names[] = {std::string(core::kMaxNameLength + 1, 'n'),
                               " lead",
                               "trail ",
                               "a:: b",
                               "a=b",
                               "a\\b",
                               "tab\there",
                               "nl\n",
                               "\x01",
                               "\x7f",
                               "\xc3\xa9",
                               "nul\0"s};
  for (const std::string& name : names) {
    EXPECT_FALSE(Tree::is_valid_name(name)) << testing::PrintToString(name);
    EXPECT_FALSE(NodeName::make(name).has_value()) << testing::PrintToString(name);
    auto kid = tree_->add_kid(kRoot, name, "v");
    EXPECT_EQ(kid.ok() ? Errc::unknown_command : kid.error().code, Errc::bad_name)
        << testing::PrintToString(name);
  }
  EXPECT_EQ(tree_->node_count(), 0U);
  EXPECT_TRUE(tree_->add_kid(kRoot, "", "nameless").ok());
}

TEST_F(TreeTest, AttributeNamesMustBeNonEmptyAndHoldNoSpace) {
  const NodeId node = add(*tree_, kRoot, "n", "");
  EXPECT_EQ(tree_->add_attribute(node, "", "v").error(), (Error{Errc::bad_name, 0}));
  EXPECT_EQ(tree_->add_attribute(node, "a b", "v").error(), (Error{Errc::bad_name, 0}));
  EXPECT_EQ(tree_->add_attribute(node, "a=b", "v").error(), (Error{Errc::bad_name, 0}));
  EXPECT_FALSE(Tree::is_valid_attribute_name("Up since"));
  EXPECT_TRUE(Tree::is_valid_attribute_name("up:since"));
  EXPECT_FALSE(tree_->has_attributes(node));
}

TEST_F(TreeTest, SetValueReplacesTheValue) {
  const NodeId node = add(*tree_, kRoot, "count", "");
  add(*tree_, node, "item", "x");
  ASSERT_TRUE(tree_->set_value(node, "1").ok());
  EXPECT_EQ(tree_->value(node), "1");
  EXPECT_EQ(tree_->name(node), "count");
}

TEST_F(TreeTest, ClearEmptiesTheTreeAndRestoresEveryLimit) {
  for (std::size_t i = 0; i < core::kMaxNodes; ++i) {
    ASSERT_TRUE(tree_->add_kid(kRoot, "", "").ok());
  }
  tree_->clear();
  EXPECT_EQ(tree_->node_count(), 0U);
  EXPECT_EQ(tree_->next_in_walk(kRoot), kNoNode);
  EXPECT_FALSE(tree_->has_attributes(kRoot));
  const NodeId node = add(*tree_, kRoot, "", std::string(core::kMaxDatagram, 'x'));
  EXPECT_EQ(tree_->first_kid(kRoot), node);
  EXPECT_EQ(tree_->node_count(), 1U);
}

TEST_F(TreeTest, NumbersAndArraysAreMarked) {
  auto& tree = *tree_;
  const auto count = tree.add_number(kRoot, NodeName{"Count"}, -12);
  ASSERT_TRUE(count);
  EXPECT_EQ(tree.value(count.value()), "-12");
  EXPECT_EQ(tree.value_kind(count.value()), ValueKind::number);
  const auto list = tree.add_array(kRoot, NodeName{"List"});
  ASSERT_TRUE(list);
  EXPECT_TRUE(tree.is_array(list.value()));
  EXPECT_FALSE(tree.is_array(count.value()));
  const auto element = add(tree, list.value(), "", "x");
  EXPECT_EQ(tree.depth(element), 2U);
  EXPECT_EQ(tree.line_depth(element), 1U);  // stands in the array's place
  EXPECT_EQ(tree.value_kind(element), ValueKind::text);
  ASSERT_TRUE(tree.add_number_attribute(element, "n", 5));
  tree.for_each_attribute(element, [](const Attribute& attribute) {
    EXPECT_EQ(attribute.kind, ValueKind::number);
    EXPECT_EQ(attribute.value, "5");
  });
}

TEST_F(TreeTest, AnArrayHoldsOnlyElements) {
  auto& tree = *tree_;
  const auto list = tree.add_array(kRoot, NodeName{"List"});
  ASSERT_TRUE(list);
  EXPECT_EQ(tree.add_attribute(list.value(), "a", "b").error().code, Errc::bad_name);
  EXPECT_EQ(tree.set_value(list.value(), "v").error().code, Errc::bad_name);
  add(tree, kRoot, "after", "");
  EXPECT_EQ(tree.make_array(kRoot).error().code, Errc::bad_name);  // kids already there
  EXPECT_FALSE(tree.is_array(kRoot));
}

}  // namespace
}  // namespace mid::tree

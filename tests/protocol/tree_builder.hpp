#pragma once

#include <memory>
#include <string_view>

#include <gtest/gtest.h>

#include "tree/tree.hpp"

// Building trees in tests: a Tree is about half a MiB, so it lives on the
// heap, and every add is expected to succeed.
namespace mid::test {

inline std::unique_ptr<tree::Tree> make_tree() {
  return std::make_unique<tree::Tree>();
}

inline tree::NodeId add(tree::Tree& tree, mid::tree::NodeId parent, std::string_view name,
                        std::string_view value) {
  auto node = tree.add_kid(parent, name, value);
  EXPECT_TRUE(node.ok()) << "add_kid(" << name << ") failed";
  return node.ok() ? node.value() : tree::kRoot;
}

inline void add_attribute(tree::Tree& tree, tree::NodeId node, std::string_view name,
                          std::string_view value) {
  EXPECT_TRUE(tree.add_attribute(node, name, value).ok()) << "add_attribute(" << name << ")";
}

}  // namespace mid::test

#pragma once

#include <string_view>
#include <vector>

#include "tree/tree.hpp"

// Structural comparison of two MI trees, for round-trip checks in the
// harnesses and the properties.
namespace mid::fuzz {

inline std::vector<tree::Attribute> attributes_of(const tree::Tree& tree, tree::NodeId node) {
  std::vector<tree::Attribute> out;
  tree.for_each_attribute(node, [&out](const tree::Attribute& a) { out.push_back(a); });
  return out;
}

inline bool same_attributes(const tree::Tree& a, tree::NodeId x, const tree::Tree& b,
                            tree::NodeId y) {
  const auto left = attributes_of(a, x);
  const auto right = attributes_of(b, y);
  if (left.size() != right.size()) return false;
  for (std::size_t i = 0; i < left.size(); ++i) {
    if (left[i].name != right[i].name || left[i].value != right[i].value) return false;
  }
  return true;
}

// The same nodes in the same depth-first order, with the same names,
// values and attributes; and the same depths unless `compare_depth` is
// false (an empty reply_indent does not carry depth on the wire, so a
// reply parsed with it is the original tree flattened).
inline bool same_tree(const tree::Tree& a, const tree::Tree& b, bool compare_depth = true) {
  tree::NodeId x = a.next_in_walk(tree::kRoot);
  tree::NodeId y = b.next_in_walk(tree::kRoot);
  for (; x != tree::kNoNode && y != tree::kNoNode; x = a.next_in_walk(x), y = b.next_in_walk(y)) {
    if (a.name(x) != b.name(y) || a.value(x) != b.value(y)) return false;
    if (compare_depth && a.depth(x) != b.depth(y)) return false;
    if (!same_attributes(a, x, b, y)) return false;
  }
  return x == tree::kNoNode && y == tree::kNoNode;
}

// Whether the tree holds a node the printer must refuse: no name, no
// value, but attributes (docs/PROTOCOL.md, "Escapes in replies").
inline bool has_unprintable_node(const tree::Tree& tree) {
  for (tree::NodeId n = tree.next_in_walk(tree::kRoot); n != tree::kNoNode;
       n = tree.next_in_walk(n)) {
    if (tree.name(n).empty() && tree.value(n).empty() && tree.has_attributes(n)) return true;
  }
  return false;
}

}  // namespace mid::fuzz

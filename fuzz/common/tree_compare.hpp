#pragma once

#include <string_view>
#include <vector>

#include "mi/tree.hpp"

// Structural comparison of two MI trees, for round-trip checks in the
// harnesses and the properties.
namespace mid::fuzz {

inline std::vector<mi::Attribute> attributes_of(const mi::Tree& tree, mi::NodeId node) {
  std::vector<mi::Attribute> out;
  tree.for_each_attribute(node, [&out](const mi::Attribute& a) { out.push_back(a); });
  return out;
}

inline bool same_attributes(const mi::Tree& a, mi::NodeId x, const mi::Tree& b, mi::NodeId y) {
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
inline bool same_tree(const mi::Tree& a, const mi::Tree& b, bool compare_depth = true) {
  mi::NodeId x = a.next_in_walk(mi::kRoot);
  mi::NodeId y = b.next_in_walk(mi::kRoot);
  for (; x != mi::kNoNode && y != mi::kNoNode; x = a.next_in_walk(x), y = b.next_in_walk(y)) {
    if (a.name(x) != b.name(y) || a.value(x) != b.value(y)) return false;
    if (compare_depth && a.depth(x) != b.depth(y)) return false;
    if (!same_attributes(a, x, b, y)) return false;
  }
  return x == mi::kNoNode && y == mi::kNoNode;
}

// Whether the tree holds a node the printer must refuse: no name, no
// value, but attributes (docs/PROTOCOL.md, "Escapes in replies").
inline bool has_unprintable_node(const mi::Tree& tree) {
  for (mi::NodeId n = tree.next_in_walk(mi::kRoot); n != mi::kNoNode; n = tree.next_in_walk(n)) {
    if (tree.name(n).empty() && tree.value(n).empty() && tree.has_attributes(n)) return true;
  }
  return false;
}

}  // namespace mid::fuzz

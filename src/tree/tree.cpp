#include "tree/tree.hpp"

#include <cstring>

namespace mid::tree {

using core::Errc;
using core::Error;

void Tree::clear() noexcept {
  nodes_[kRoot] = Node{};
  node_count_ = 1;
  attr_count_ = 0;
  text_used_ = 0;
}

bool Tree::is_valid_attribute_name(std::string_view name) noexcept {
  return is_valid_name(name) && name.find(' ') == std::string_view::npos;
}

core::Result<Tree::Span> Tree::store(std::string_view s) noexcept {
  if (s.size() > text_.size() - text_used_) return Error{Errc::reply_too_large, 0};
  return append(s);
}

core::Result<NodeId> Tree::add_kid(NodeId parent, std::string_view name,
                                   std::string_view value) noexcept {
  if (name.empty()) return add_kid(parent, NodeName::nameless(), value);
  const auto checked = NodeName::make(name);
  if (!checked) return Error{Errc::bad_name, 0};
  return add_kid(parent, *checked, value);
}

core::Result<NodeId> Tree::add_kid(NodeId parent, NodeName checked_name,
                                   std::string_view value) noexcept {
  const std::string_view name = checked_name.view();
  Node& up = nodes_[parent];
  if (up.depth >= core::kMaxTreeDepth) return Error{Errc::tree_too_deep, 0};
  if (node_count_ >= nodes_.size()) return Error{Errc::too_many_nodes, 0};
  // Both texts or neither: a kid that does not fit leaves the arena as it was.
  if (name.size() + value.size() > text_.size() - text_used_) {
    return Error{Errc::reply_too_large, 0};
  }
  const auto id = static_cast<NodeId>(node_count_++);
  nodes_[id] =
      Node{.name = append(name), .value = append(value), .parent = parent, .depth = up.depth + 1};
  if (up.last_kid == kNoNode) {
    up.first_kid = id;
  } else {
    nodes_[up.last_kid].next = id;
  }
  up.last_kid = id;
  return id;
}

core::Status Tree::add_attribute(NodeId node, std::string_view name,
                                 std::string_view value) noexcept {
  if (!is_valid_attribute_name(name)) return Error{Errc::bad_name, 0};
  if (attr_count_ >= attrs_.size()) return Error{Errc::too_many_attributes, 0};
  auto stored_name = store(name);
  if (!stored_name) return stored_name.error();
  auto stored_value = store(value);
  if (!stored_value) return stored_value.error();

  const auto id = static_cast<std::uint32_t>(attr_count_++);
  attrs_[id] = AttributeSlot{stored_name.value(), stored_value.value(), kNoNode};
  Node& owner = nodes_[node];
  if (owner.last_attr == kNoNode) {
    owner.first_attr = id;
  } else {
    attrs_[owner.last_attr].next = id;
  }
  owner.last_attr = id;
  return {};
}

core::Status Tree::set_value(NodeId node, std::string_view value) noexcept {
  auto stored = store(value);
  if (!stored) return stored.error();
  nodes_[node].value = stored.value();
  return {};
}

NodeId Tree::next_in_walk(NodeId node) const noexcept {
  if (nodes_[node].first_kid != kNoNode) return nodes_[node].first_kid;
  while (node != kNoNode) {
    if (nodes_[node].next != kNoNode) return nodes_[node].next;
    node = nodes_[node].parent;
  }
  return kNoNode;
}

}  // namespace mid::tree

#include "tree/tree.hpp"

#include <array>
#include <cstring>

#include "core/bounded_writer.hpp"

namespace mid::tree {

using core::Errc;
using core::Error;

namespace {

// An integer's decimal text; 20 digits and a sign hold any int64 or uint64.
class IntegerText {
 public:
  explicit IntegerText(std::int64_t number) noexcept
      // The magnitude as unsigned: -INT64_MIN does not fit an int64.
      : IntegerText(number < 0, number < 0 ? 0 - static_cast<std::uint64_t>(number)
                                           : static_cast<std::uint64_t>(number)) {}
  IntegerText(bool negative, std::uint64_t magnitude) noexcept {
    core::BoundedWriter writer(text_);
    if (negative) writer.put('-');
    writer.put_unsigned(magnitude);
    size_ = writer.size();
  }
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }

 private:
  std::array<char, 24> text_{};
  std::size_t size_ = 0;
};

}  // namespace

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
  // An array's kids stand in its place in text; the root prints no line.
  const std::uint32_t line_depth =
      (up.array && parent != kRoot) ? up.line_depth : up.line_depth + 1;
  nodes_[id] = Node{.name = append(name),
                    .value = append(value),
                    .parent = parent,
                    .depth = up.depth + 1,
                    .line_depth = line_depth,
                    .quoted_name = checked_name.needs_json_escape()};
  if (up.last_kid == kNoNode) {
    up.first_kid = id;
  } else {
    nodes_[up.last_kid].next = id;
  }
  up.last_kid = id;
  return id;
}

core::Result<NodeId> Tree::add_number(NodeId parent, NodeName name, std::int64_t number) noexcept {
  auto id = add_kid(parent, name, IntegerText(number).view());
  if (id) nodes_[id.value()].kind = ValueKind::number;
  return id;
}

core::Result<NodeId> Tree::add_unsigned(NodeId parent, NodeName name,
                                        std::uint64_t number) noexcept {
  auto id = add_kid(parent, name, IntegerText(false, number).view());
  if (id) nodes_[id.value()].kind = ValueKind::number;
  return id;
}

core::Result<NodeId> Tree::add_array(NodeId parent, NodeName name) noexcept {
  auto id = add_kid(parent, name, {});
  if (id) nodes_[id.value()].array = true;
  return id;
}

core::Status Tree::make_array(NodeId node) noexcept {
  if (nodes_[node].first_kid != kNoNode) return Error{Errc::bad_name, 0};
  nodes_[node].array = true;
  return {};
}

core::Status Tree::add_number_attribute(NodeId node, std::string_view name,
                                        std::int64_t number) noexcept {
  auto added = add_attribute(node, name, IntegerText(number).view());
  if (added) attrs_[nodes_[node].last_attr].kind = ValueKind::number;
  return added;
}

core::Status Tree::add_attribute(NodeId node, std::string_view name,
                                 std::string_view value) noexcept {
  // An array has elements only: an attribute would print nowhere.
  if (!is_valid_attribute_name(name) || nodes_[node].array) return Error{Errc::bad_name, 0};
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
  if (nodes_[node].array) return Error{Errc::bad_name, 0};  // as for attributes
  auto stored = store(value);
  if (!stored) return stored.error();
  nodes_[node].value = stored.value();
  nodes_[node].kind = ValueKind::text;  // a number is only what add_number wrote
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

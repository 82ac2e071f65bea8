#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/limits.hpp"
#include "core/result.hpp"
#include "tree/node_name.hpp"

// The MI tree: the body of a reply. A node has an optional name, an
// optional value, ordered attributes (name=value) and ordered kids. An
// empty name or value means "absent": the wire format cannot tell the two
// apart, so the tree does not either.
//
// Two marks serve the JSON-RPC mapping (docs/PROTOCOL.md, "From tree to
// JSON") and change nothing in the 1.x text: a value or attribute added as
// a number prints unquoted in JSON; an array node lists its kids as a JSON
// array and prints no line of its own in text, its kids taking its place.
//
// Storage is fixed at construction (kMaxNodes nodes, kMaxAttributes
// attributes, kMaxDatagram bytes of text): building a reply never
// allocates, and every limit is an error value, never a truncation. A Tree
// is large (about half a MiB); allocate one per worker and clear() it per
// request. The text arena holds exactly one datagram because every stored
// byte is printed at least once: text that overflows it could never fit a
// reply anyway, so that overflow reports reply_too_large.
namespace mid::tree {

using NodeId = std::uint32_t;
inline constexpr NodeId kRoot = 0;  // the invisible root; its kids are the top lines
inline constexpr NodeId kNoNode = 0xffffffffU;

// How a value prints in JSON: a string, or a number (an integer, written
// by add_number, so the text is always a valid JSON number).
enum class ValueKind : std::uint8_t { text, number };

struct Attribute {
  std::string_view name;
  std::string_view value;
  ValueKind kind = ValueKind::text;
};

class Tree {
 public:
  Tree() noexcept { clear(); }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;

  void clear() noexcept;

  // Appends a kid to `parent`. Errors: bad_name (name not valid, see
  // is_valid_name), tree_too_deep (parent at kMaxTreeDepth),
  // too_many_nodes, reply_too_large (text arena full). The offset of an
  // error is 0: the tree is not parsed input.
  core::Result<NodeId> add_kid(NodeId parent, std::string_view name,
                               std::string_view value) noexcept;
  // The same for a name already checked (see NodeName): no bad_name.
  core::Result<NodeId> add_kid(NodeId parent, NodeName name, std::string_view value) noexcept;
  // A kid whose value is the integer `number` (ValueKind::number).
  core::Result<NodeId> add_number(NodeId parent, NodeName name, std::int64_t number) noexcept;
  // The same for an unsigned integer (a counter may use all 64 bits).
  core::Result<NodeId> add_unsigned(NodeId parent, NodeName name, std::uint64_t number) noexcept;
  // A kid that is an array: its kids are the array's elements (their names
  // unused in JSON). In text it prints no line; its kids print at its depth.
  core::Result<NodeId> add_array(NodeId parent, NodeName name) noexcept;
  // Marks a node that has no kids yet as an array (kRoot: the whole result
  // is an array). Errors: bad_name when the node already has kids.
  core::Status make_array(NodeId node) noexcept;
  // Appends an attribute to `node`. Errors: bad_name (also when `node` is
  // an array), too_many_attributes, reply_too_large.
  core::Status add_attribute(NodeId node, std::string_view name, std::string_view value) noexcept;
  // The same with the integer `number` as value (ValueKind::number).
  core::Status add_number_attribute(NodeId node, std::string_view name,
                                    std::int64_t number) noexcept;
  // Replaces a node's value (for values known only after the kids are
  // built, such as counts); the value is text (ValueKind::text) even if
  // the node held a number. Errors: reply_too_large, bad_name for an array.
  core::Status set_value(NodeId node, std::string_view value) noexcept;

  // Read access. Ids come from add_kid or from the walks below.
  // (Defined here: the printer asks them of every node of every reply.)
  [[nodiscard]] std::string_view name(NodeId node) const noexcept {
    return text(nodes_[node].name);
  }
  // NodeName::needs_json_escape of the node's name.
  [[nodiscard]] bool name_needs_json_escape(NodeId node) const noexcept {
    return nodes_[node].quoted_name;
  }
  [[nodiscard]] std::string_view value(NodeId node) const noexcept {
    return text(nodes_[node].value);
  }
  [[nodiscard]] std::size_t depth(NodeId node) const noexcept {  // root 0, top lines 1
    return nodes_[node].depth;
  }
  // The depth a node's line has in text: its depth less the arrays above
  // it (an array prints no line, so its kids stand in its place).
  [[nodiscard]] std::size_t line_depth(NodeId node) const noexcept {
    return nodes_[node].line_depth;
  }
  [[nodiscard]] ValueKind value_kind(NodeId node) const noexcept { return nodes_[node].kind; }
  [[nodiscard]] bool is_array(NodeId node) const noexcept { return nodes_[node].array; }
  [[nodiscard]] NodeId first_kid(NodeId node) const noexcept { return nodes_[node].first_kid; }
  [[nodiscard]] NodeId next_sibling(NodeId node) const noexcept { return nodes_[node].next; }
  [[nodiscard]] NodeId parent(NodeId node) const noexcept { return nodes_[node].parent; }
  [[nodiscard]] bool has_attributes(NodeId node) const noexcept {
    return nodes_[node].first_attr != kNoNode;
  }
  // Depth-first pre-order successor of `node` (kNoNode after the last).
  // Iterative: no recursion on depth.
  [[nodiscard]] NodeId next_in_walk(NodeId node) const noexcept;
  [[nodiscard]] std::size_t node_count() const noexcept { return node_count_ - 1; }

  // Calls fn(Attribute) for each attribute of `node`, in order.
  template <class Fn>
  void for_each_attribute(NodeId node, Fn&& fn) const {
    for (std::uint32_t a = nodes_[node].first_attr; a != kNoNode; a = attrs_[a].next) {
      fn(Attribute{text(attrs_[a].name), text(attrs_[a].value), attrs_[a].kind});
    }
  }

  // See is_valid_node_name (mi/node_name.hpp).
  [[nodiscard]] static bool is_valid_name(std::string_view name) noexcept {
    return is_valid_node_name(name);
  }
  // An attribute name is a node name without any space.
  [[nodiscard]] static bool is_valid_attribute_name(std::string_view name) noexcept;

 private:
  struct Span {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  struct Node {
    Span name, value;
    NodeId parent = kNoNode, first_kid = kNoNode, last_kid = kNoNode, next = kNoNode;
    std::uint32_t first_attr = kNoNode, last_attr = kNoNode;
    std::uint32_t depth = 0;
    std::uint32_t line_depth = 0;
    ValueKind kind = ValueKind::text;
    bool array = false;
    bool quoted_name = false;
  };
  struct AttributeSlot {
    Span name, value;
    std::uint32_t next = kNoNode;
    ValueKind kind = ValueKind::text;
  };

  core::Result<Span> store(std::string_view s) noexcept;
  // The caller checked that `s` fits. Inline: two per node.
  Span append(std::string_view s) noexcept {
    if (!s.empty()) std::memcpy(text_.data() + text_used_, s.data(), s.size());
    const Span span{static_cast<std::uint32_t>(text_used_), static_cast<std::uint32_t>(s.size())};
    text_used_ += s.size();
    return span;
  }
  [[nodiscard]] std::string_view text(Span s) const noexcept {
    return {text_.data() + s.offset, s.length};
  }

  std::array<Node, core::kMaxNodes + 1> nodes_;
  std::array<AttributeSlot, core::kMaxAttributes> attrs_;
  std::array<char, core::kMaxDatagram> text_;
  std::size_t node_count_ = 1;
  std::size_t attr_count_ = 0;
  std::size_t text_used_ = 0;
};

}  // namespace mid::tree

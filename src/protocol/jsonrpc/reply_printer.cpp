#include "protocol/jsonrpc/reply_printer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <span>

#include "core/limits.hpp"
#include "protocol/jsonrpc/json_text.hpp"

namespace mid::protocol::jsonrpc {

// Named, not anonymous: ReplyPrinter::Tables holds them.
namespace reply_tables {

inline constexpr std::uint32_t kNone = 0xffffffffU;

// One member of an object being printed: its own value, an attribute or a
// kid (rule 2).
struct Member {
  std::string_view name;
  std::string_view value;            // own value or attribute value; unused for a kid
  tree::NodeId kid = tree::kNoNode;  // the kid, or kNoNode
  std::uint32_t next_same = kNone;   // the next member of the same name
  tree::ValueKind kind = tree::ValueKind::text;
  bool repeat = false;      // merged into an earlier member of its name
  bool plain_name = false;  // the name needs no escape (a node name without '"')
};

struct SortKey {
  std::uint32_t hash = 0;
  std::uint32_t member = 0;
};

// One object's members: its own value, every attribute, every kid.
inline constexpr std::size_t kMaxObjectMembers = 1 + core::kMaxNodes + core::kMaxAttributes;
// The members of every object open at once: the objects on one path from
// the root, whose kids and attributes are distinct, plus one own value
// per level.
inline constexpr std::size_t kMaxLiveMembers =
    core::kMaxNodes + core::kMaxAttributes + core::kMaxTreeDepth + 1;
// The set of one object's name hashes: a power of two at least twice the
// most members an object can have but one (load at most about 1/2).
inline constexpr std::size_t kHashSlots = 32768;
static_assert(kHashSlots >= 2 * (kMaxObjectMembers - 1) && (kHashSlots & (kHashSlots - 1)) == 0);

}  // namespace reply_tables

struct ReplyPrinter::Tables {
  std::array<reply_tables::Member, reply_tables::kMaxLiveMembers> members;
  std::array<reply_tables::SortKey, reply_tables::kMaxObjectMembers> keys;
  std::array<std::uint32_t, reply_tables::kHashSlots> hash_slots;
};

namespace {

using reply_tables::kNone;
using reply_tables::Member;
using reply_tables::SortKey;
using tree::NodeId;

// Where the whitespace of the pretty layout goes (reply_printer.hpp).
class Layout {
 public:
  Layout(core::BoundedWriter& out, Style style) noexcept : out_(out), style_(style) {}

  // Before a member of an object at `depth`: the comma, the line, the key
  // (a `plain` one is written as it is).
  void key(std::string_view name, std::size_t depth, bool first, bool plain = false) noexcept {
    if (!first) out_.put(',');
    if (style_.pretty) {
      out_.put('\n');
      tabs(depth + 1);
    }
    if (plain) {
      out_.put('"');
      out_.put(name);
      out_.put('"');
    } else {
      put_string(out_, name);
    }
    out_.put(style_.pretty ? std::string_view(":\t") : std::string_view(":"));
  }
  void close_object(std::size_t depth) noexcept {
    if (style_.pretty) {
      out_.put('\n');
      tabs(depth);
    }
    out_.put('}');
  }
  void separate_elements() noexcept { out_.put(style_.pretty ? ", " : ","); }
  [[nodiscard]] core::BoundedWriter& out() noexcept { return out_; }
  [[nodiscard]] bool pretty() const noexcept { return style_.pretty; }

 private:
  void tabs(std::size_t count) noexcept {
    constexpr std::string_view kTabs = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    for (; count > kTabs.size(); count -= kTabs.size()) out_.put(kTabs);
    out_.put(kTabs.substr(0, count));
  }

  core::BoundedWriter& out_;
  Style style_;
};

// Up to eight bytes of `text` as an integer (zero-filled).
std::uint64_t word_of(std::string_view text) noexcept {
  std::uint64_t word = 0;
  if (!text.empty()) std::memcpy(&word, text.data(), std::min(text.size(), sizeof word));
  return word;
}

// The first sort key: the length and the first and last eight bytes,
// through splitmix64's finalizer (names often differ only in their last
// byte, the top byte of `tail`: the shifts carry it down). O(1) per name.
// It only has to separate most names: equal hashes fall back to comparing
// the names, so no set of names makes merging worse than O(m log m).
std::uint32_t name_hash(std::string_view name) noexcept {
  const std::uint64_t head = word_of(name);
  const std::uint64_t tail = name.size() > 8 ? word_of(name.substr(name.size() - 8)) : 0;
  std::uint64_t hash =
      head ^ ((tail << 32U) | (tail >> 32U)) ^ (name.size() * 0x9e3779b97f4a7c15ULL);
  hash = (hash ^ (hash >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  hash = (hash ^ (hash >> 27U)) * 0x94d049bb133111ebULL;
  return static_cast<std::uint32_t>(hash ^ (hash >> 31U) ^ (hash >> 32U));
}

// A number value is an integer the tree wrote itself (add_number and
// add_unsigned are its only writers), so it prints as it is.
void put_scalar(core::BoundedWriter& out, std::string_view value, tree::ValueKind kind) noexcept {
  if (kind == tree::ValueKind::number) {
    out.put(value);
  } else {
    put_string(out, value);
  }
}

// One walk over a tree by the mapping rule. Recursive, one node() frame
// per tree level (the tree's depth is at most kMaxTreeDepth, checked);
// an object's members live in members[used_ ..) while it prints.
class Walk {
 public:
  struct Scratch {
    std::span<Member> members;
    std::span<SortKey> keys;
    std::span<std::uint32_t> hash_slots;
  };

  Walk(Scratch scratch, Layout layout, const tree::Tree& tree) noexcept
      : members_(scratch.members),
        keys_(scratch.keys),
        slots_(scratch.hash_slots),
        layout_(layout),
        tree_(tree) {}

  // Rules 1 to 3.
  void node(NodeId node, std::size_t depth) noexcept {
    if (tree_.depth(node) > core::kMaxTreeDepth) {
      layout_.out().put("null");  // unreachable: the tree refuses deeper nodes
    } else if (tree_.is_array(node)) {
      array(node, depth);
    } else if (tree_.first_kid(node) != tree::kNoNode || tree_.has_attributes(node)) {
      object(node, depth);
    } else {
      put_scalar(layout_.out(), tree_.value(node), tree_.value_kind(node));
    }
  }

 private:
  void array(NodeId node, std::size_t depth) noexcept {
    layout_.out().put('[');
    for (NodeId kid = tree_.first_kid(node); kid != tree::kNoNode; kid = tree_.next_sibling(kid)) {
      if (kid != tree_.first_kid(node)) layout_.separate_elements();
      this->node(kid, depth + 1);
    }
    layout_.out().put(']');
  }

  void object(NodeId node, std::size_t depth) noexcept {
    const std::size_t begin = used_;
    if (!collect(node)) {
      used_ = begin;
      layout_.out().put("null");  // unreachable: kMaxLiveMembers holds every path
      return;
    }
    link_repeats(begin, used_ - begin);
    layout_.out().put('{');
    bool first = true;
    for (std::size_t m = begin; m < used_; ++m) {
      const Member& member = members_[m];
      if (member.repeat) continue;
      layout_.key(member.name, depth, first, member.plain_name);
      first = false;
      if (member.next_same == kNone) {
        value(member, depth + 1);
      } else {
        group(m, depth + 1);
      }
    }
    layout_.close_object(depth);
    used_ = begin;
  }

  // Appends the node's members (rule 2) from members_[used_]; false when
  // they do not fit.
  bool collect(NodeId node) noexcept {
    bool fits = true;
    const auto add = [this, &fits](const Member& member) noexcept {
      if (used_ >= members_.size()) {
        fits = false;
        return;
      }
      members_[used_++] = member;
    };
    if (!tree_.value(node).empty()) {
      add(Member{.name = "value",
                 .value = tree_.value(node),
                 .kind = tree_.value_kind(node),
                 .plain_name = true});
    }
    tree_.for_each_attribute(node, [&add](const tree::Attribute& attribute) noexcept {
      add(Member{.name = attribute.name, .value = attribute.value, .kind = attribute.kind});
    });
    for (NodeId kid = tree_.first_kid(node); kid != tree::kNoNode; kid = tree_.next_sibling(kid)) {
      add(Member{.name = tree_.name(kid),
                 .value = {},
                 .kid = kid,
                 .plain_name = !tree_.name_needs_json_escape(kid)});
    }
    return fits;
  }

  // Whether two of the keys may name the same member: false only when
  // their hashes all differ, found by a set of the hashes (open
  // addressing; an object's hashes at most, so clearing it is O(n)). A
  // probe budget bounds the work for hashes that crowd together; past it
  // the answer is "may", and sorting decides.
  bool may_repeat(std::span<const SortKey> keys) noexcept {
    std::size_t capacity = 64;
    while (capacity < 2 * keys.size() && capacity < slots_.size()) capacity *= 2;
    const std::span<std::uint32_t> slots = slots_.first(capacity);
    std::fill(slots.begin(), slots.end(), 0U);
    std::size_t budget = 4 * keys.size() + 64;
    for (const SortKey& key : keys) {
      const std::uint32_t stored = key.hash | 1U;  // 0 marks a free slot
      for (std::size_t i = key.hash & (capacity - 1);; i = (i + 1) & (capacity - 1)) {
        if (budget-- == 0 || slots[i] == stored) return true;
        if (slots[i] == 0) {
          slots[i] = stored;
          break;
        }
      }
    }
    return false;
  }

  // Chains the members of one name through next_same and marks all but
  // the first as repeats: sorted by (hash, name, position), members of a
  // name are adjacent and in order. O(n) when the hashes all differ (the
  // usual case), O(n log n) whatever the names.
  void link_repeats(std::size_t begin, std::size_t count) noexcept {
    if (count < 2 || count > keys_.size()) return;
    const std::span<SortKey> keys = keys_.first(count);
    for (std::size_t i = 0; i < count; ++i) {
      keys[i] = SortKey{name_hash(members_[begin + i].name), static_cast<std::uint32_t>(begin + i)};
    }
    if (!may_repeat(keys)) return;
    const auto same_name = [this](const SortKey& a, const SortKey& b) noexcept {
      return a.hash == b.hash && members_[a.member].name == members_[b.member].name;
    };
    std::sort(keys.begin(), keys.end(), [this](const SortKey& a, const SortKey& b) noexcept {
      if (a.hash != b.hash) return a.hash < b.hash;
      const int order = members_[a.member].name.compare(members_[b.member].name);
      return order != 0 ? order < 0 : a.member < b.member;
    });
    for (std::size_t i = 1; i < count; ++i) {
      if (!same_name(keys[i - 1], keys[i])) continue;
      members_[keys[i - 1].member].next_same = keys[i].member;
      members_[keys[i].member].repeat = true;
    }
  }

  // A merged member: the array of the values of its name, in order.
  void group(std::size_t first, std::size_t depth) noexcept {
    layout_.out().put('[');
    for (std::uint32_t m = static_cast<std::uint32_t>(first); m != kNone;
         m = members_[m].next_same) {
      if (m != first) layout_.separate_elements();
      value(members_[m], depth + 1);
    }
    layout_.out().put(']');
  }

  void value(const Member& member, std::size_t depth) noexcept {
    if (member.kid != tree::kNoNode) {
      node(member.kid, depth);
    } else {
      put_scalar(layout_.out(), member.value, member.kind);
    }
  }

  std::span<Member> members_;
  std::span<SortKey> keys_;
  std::span<std::uint32_t> slots_;
  Layout layout_;
  const tree::Tree& tree_;
  std::size_t used_ = 0;
};

// A response up to its result or error member's value. The compact
// layout writes the fixed keys in one piece: most replies are compact,
// and the keys need no escaping.
void open_response(Layout& layout, std::string_view member, std::size_t depth) noexcept {
  if (!layout.pretty()) {
    layout.out().put(member == "result" ? std::string_view(R"({"jsonrpc":"2.0","result":)")
                                        : std::string_view(R"({"jsonrpc":"2.0","error":)"));
    return;
  }
  layout.out().put('{');
  layout.key("jsonrpc", depth, true);
  layout.out().put("\"2.0\"");
  layout.key(member, depth, false);
}

// The id member and the end of the response object.
void put_id_and_close(Layout& layout, std::string_view id, std::size_t depth) noexcept {
  if (layout.pretty()) {
    layout.key("id", depth, false);
  } else {
    layout.out().put(R"(,"id":)");
  }
  if (id.empty()) {
    layout.out().put("null");
  } else {
    put_id(layout.out(), id);
  }
  layout.close_object(depth);
}

}  // namespace

ReplyPrinter::ReplyPrinter() : tables_(std::make_unique<Tables>()) {}
ReplyPrinter::~ReplyPrinter() = default;
ReplyPrinter::ReplyPrinter(ReplyPrinter&&) noexcept = default;
ReplyPrinter& ReplyPrinter::operator=(ReplyPrinter&&) noexcept = default;

void ReplyPrinter::put_result(core::BoundedWriter& out, const tree::Tree& tree,
                              std::string_view status_reason, std::string_view id, Style style,
                              std::size_t depth) noexcept {
  Layout layout(out, style);
  open_response(layout, "result", depth);
  const bool status_only = !tree.is_array(tree::kRoot) &&
                           tree.first_kid(tree::kRoot) == tree::kNoNode &&
                           !tree.has_attributes(tree::kRoot);
  if (status_only) {
    put_string(out, status_reason);
  } else {
    const Walk::Scratch scratch{tables_->members, tables_->keys, tables_->hash_slots};
    Walk(scratch, layout, tree).node(tree::kRoot, depth + 1);
  }
  put_id_and_close(layout, id, depth);
}

void ReplyPrinter::put_error(core::BoundedWriter& out, long code, std::string_view message,
                             std::string_view data, std::string_view id, Style style,
                             std::size_t depth) noexcept {
  Layout layout(out, style);
  open_response(layout, "error", depth);
  out.put('{');
  layout.key("code", depth + 1, true);
  put_integer(out, code);
  layout.key("message", depth + 1, false);
  put_string(out, message);
  if (!data.empty()) {
    layout.key("data", depth + 1, false);
    put_string(out, data);
  }
  layout.close_object(depth + 1);
  put_id_and_close(layout, id, depth);
}

void begin_batch(core::BoundedWriter& out, Style /*style*/) noexcept {
  out.put('[');
}

void separate_responses(core::BoundedWriter& out, Style style) noexcept {
  Layout(out, style).separate_elements();
}

void end_batch(core::BoundedWriter& out, Style /*style*/) noexcept {
  out.put(']');
}

}  // namespace mid::protocol::jsonrpc

#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/limits.hpp"

// Node names, checked once instead of on every reply.
namespace mid::tree {

// A node name is 1..kMaxNameLength printable ASCII bytes without '=',
// '\\' or a control byte, with no blank at either end and no ":: " inside
// (names are not escaped on the wire; "Up since" is a valid name).
constexpr bool is_valid_node_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > core::kMaxNameLength) return false;
  if (name.front() == ' ' || name.back() == ' ') return false;
  if (name.find(":: ") != std::string_view::npos) return false;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '=' || c == '\\') return false;
  }
  return true;
}

// A name the tree accepts without looking at it again: empty (a nameless
// node), a literal checked by the compiler, or text checked once by make().
// Handlers answer with the same few names on every request, so the check
// belongs where the name is made, not in every Tree::add_kid.
//
//   constexpr NodeName kServer{"Server"};   // an invalid literal does not compile
//   tree.add_kid(kRoot, kServer, value);
//
// The name is a view: text given to make() must outlive the NodeName.
// Declare literals as constants outside lambdas: clang 14 crashes
// generating code for a NodeName literal inside some lambdas (seen with
// init-captures and `mutable`).
class NodeName {
 public:
  template <std::size_t N>
  consteval explicit NodeName(const char (&literal)[N])
      : text_(literal, N - 1), quoted_(has_quote(text_)) {
    // Reaching a throw ends constant evaluation: the program is ill-formed.
    if (!is_valid_node_name(text_)) throw "invalid MI node name";
  }

  // The empty name: the node is a value alone. (No default constructor, so
  // that `tree.add_kid(parent, {}, value)` stays the string_view overload.)
  [[nodiscard]] static constexpr NodeName nameless() noexcept { return {{}, Checked{}}; }

  // Nullopt when `text` is not a valid node name.
  [[nodiscard]] static constexpr std::optional<NodeName> make(std::string_view text) noexcept {
    if (!is_valid_node_name(text)) return std::nullopt;
    return NodeName(text, Checked{});
  }

  [[nodiscard]] constexpr std::string_view view() const noexcept { return text_; }

  // Whether the name holds a '"', the one byte of a valid name that JSON
  // must escape; known when the name is made, so that a printer of
  // replies need not look at the name again.
  [[nodiscard]] constexpr bool needs_json_escape() const noexcept { return quoted_; }

 private:
  struct Checked {};
  constexpr NodeName(std::string_view text, Checked /*proof*/) noexcept
      : text_(text), quoted_(has_quote(text)) {}

  static constexpr bool has_quote(std::string_view text) noexcept {
    return text.find('"') != std::string_view::npos;
  }

  std::string_view text_;
  bool quoted_ = false;
};

}  // namespace mid::tree

#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "generators.hpp"
#include "tree/tree.hpp"

// Builds an tree::Tree from generated NodeSpecs, and prints the same specs
// with an independent reference printer written from docs/PROTOCOL.md
// ("Replies", "Escapes in replies"), the model print_reply is held to.
namespace mid::proptest {

// The depth of each spec, 1..kMaxTreeDepth, as build_tree places it.
inline std::vector<std::size_t> depths_of(const std::vector<NodeSpec>& specs) {
  std::vector<std::size_t> depths;
  std::size_t previous = 0;
  for (const NodeSpec& spec : specs) {
    std::size_t depth = 1;
    if (previous != 0) {
      depth = spec.down ? std::min(previous + 1, core::kMaxTreeDepth)
                        : previous - std::min<std::size_t>(spec.up, previous - 1);
    }
    depths.push_back(depth);
    previous = depth;
  }
  return depths;
}

// Returns false if the tree refused a node (its limits are not what these
// properties test; the generators stay well inside them).
inline bool build_tree(const std::vector<NodeSpec>& specs, tree::Tree& tree) {
  tree.clear();
  const std::vector<std::size_t> depths = depths_of(specs);
  std::vector<tree::NodeId> open{tree::kRoot};  // open[d] = last node at depth d
  for (std::size_t i = 0; i < specs.size(); ++i) {
    open.resize(depths[i]);
    const auto node = tree.add_kid(open.back(), specs[i].name, specs[i].value);
    if (!node) return false;
    open.push_back(node.value());
    for (const AttrSpec& attribute : specs[i].attributes) {
      if (!tree.add_attribute(node.value(), attribute.name, attribute.value)) return false;
    }
  }
  return true;
}

// A control byte (below 0x20, or 0x7f) as a reply writes it: \n, \r, \t,
// else \xHH in lowercase hex; empty for any other byte.
inline std::string reference_control_escape(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (c == '\n') return "\\n";
  if (c == '\r') return "\\r";
  if (c == '\t') return "\\t";
  if (byte >= 0x20 && byte != 0x7f) return "";
  const char* const hex = "0123456789abcdef";
  return std::string("\\x") + hex[byte / 16] + hex[byte % 16];
}

// The reason as the status line writes it: control bytes escaped.
inline std::string reference_reason(const std::string& reason) {
  std::string out;
  for (const char c : reason) {
    const std::string escape = reference_control_escape(c);
    out += escape.empty() ? std::string(1, c) : escape;
  }
  return out;
}

inline std::string reference_escape(const std::string& value, bool all_spaces, bool nameless) {
  std::string out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\') {
      out += "\\\\";
    } else if (!reference_control_escape(c).empty()) {
      out += reference_control_escape(c);
    } else if (c == ' ' && (all_spaces || (nameless && i == 0))) {
      out += "\\s";
    } else if (c == ':' && nameless) {
      out += "\\:";
    } else {
      out += c;
    }
  }
  return out;
}

inline std::string reference_reply(unsigned code, const std::string& reason,
                                   const std::vector<NodeSpec>& specs, const std::string& indent) {
  std::string out = std::to_string(code) + " " + reference_reason(reason) + "\n";
  const std::vector<std::size_t> depths = depths_of(specs);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const NodeSpec& spec = specs[i];
    for (std::size_t level = 1; level < depths[i]; ++level) out += indent;
    if (!spec.name.empty()) out += spec.name + ":: ";
    const bool all_spaces = !spec.attributes.empty() || spec.value.find('=') != std::string::npos;
    out += reference_escape(spec.value, all_spaces, spec.name.empty());
    for (const AttrSpec& attribute : spec.attributes) {
      out += " " + attribute.name + "=" + reference_escape(attribute.value, true, false);
    }
    out += "\n";
  }
  return out;
}

}  // namespace mid::proptest

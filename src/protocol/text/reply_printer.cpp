#include "protocol/text/reply_printer.hpp"

#include <algorithm>
#include <array>
#include <iterator>

#include "core/bounded_writer.hpp"
#include "core/control_bytes.hpp"
#include "protocol/text/grammar.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;

struct EscapeRules {
  bool all_spaces = false;  // the value holds '=' or attributes follow it
  bool nameless = false;    // the line is the value alone
};

// Returns the escape sequence for value[i], or an empty view when the
// byte is written as it is. Control bytes (LF, CR, tab, ESC, DEL...) are
// always escaped: a reply line never carries one raw.
std::string_view escape_for(std::string_view value, std::size_t i, EscapeRules rules) noexcept {
  switch (value[i]) {
    case '\\':
      return "\\\\";
    case ' ':
      return (rules.all_spaces || (rules.nameless && i == 0)) ? "\\s" : "";
    case ':':
      return rules.nameless ? "\\:" : "";
    default:
      return core::control_escape(value[i]);
  }
}

// The bytes that may need an escape under each combination of rules
// (index: all_spaces + 2 * nameless); every other byte is copied as it is.
using EscapeTable = std::array<bool, 256>;
constexpr EscapeTable escape_table(bool all_spaces, bool nameless) noexcept {
  EscapeTable table{};
  for (std::size_t byte = 0; byte < table.size(); ++byte) {
    table[byte] = core::is_control_byte(static_cast<char>(byte));
  }
  table[static_cast<unsigned char>('\\')] = true;
  table[static_cast<unsigned char>(' ')] = all_spaces;
  table[static_cast<unsigned char>(':')] = nameless;
  return table;
}
constexpr std::array<EscapeTable, 4> kEscapeTables = {
    escape_table(false, false), escape_table(true, false), escape_table(false, true),
    escape_table(true, true)};

// Copies runs of plain bytes in one call each, so values without special
// bytes cost one scan and one memcpy. A nameless value's first byte is
// checked on its own (a leading blank would read as indentation).
void put_escaped(core::BoundedWriter& out, std::string_view value, EscapeRules rules) noexcept {
  const EscapeTable& special =
      kEscapeTables[(rules.all_spaces ? 1U : 0U) + (rules.nameless ? 2U : 0U)];
  // std::find_if: libstdc++ unrolls it for contiguous text.
  const auto find_special = [&value, &special](std::size_t from) noexcept {
    const std::string_view rest = value.substr(from);
    const auto found = std::find_if(rest.begin(), rest.end(), [&special](char c) {
      return special[static_cast<unsigned char>(c)];
    });
    return from + static_cast<std::size_t>(std::distance(rest.begin(), found));
  };
  std::size_t run = 0;
  if (rules.nameless && !value.empty() && !escape_for(value, 0, rules).empty()) {
    out.put(escape_for(value, 0, rules));
    run = 1;
  }
  for (std::size_t i = find_special(run); i < value.size(); i = find_special(i + 1)) {
    out.put(value.substr(run, i - run));
    out.put(escape_for(value, i, rules));
    run = i + 1;
  }
  out.put(value.substr(run));
}

// The bytes that keep a value of a line without attributes from printing
// as it is: every byte escaped under some rule, and '=' (which makes its
// spaces escaped). Index: nameless.
constexpr std::array<EscapeTable, 2> kPlainStops = [] {
  std::array<EscapeTable, 2> tables{escape_table(false, false), escape_table(false, true)};
  for (EscapeTable& table : tables) table[static_cast<unsigned char>('=')] = true;
  return tables;
}();

// Whether the value of a line without attributes needs no escape at all,
// as almost every value does: one scan instead of a search for '=' and a
// scan for escapes.
bool prints_as_is(std::string_view value, bool nameless) noexcept {
  if (nameless && !value.empty() && is_blank(value.front())) return false;
  const EscapeTable& stops = kPlainStops[nameless ? 1U : 0U];
  return std::none_of(value.begin(), value.end(),
                      [&stops](char c) { return stops[static_cast<unsigned char>(c)]; });
}

// The reason is text for people, written as it is but for its control
// bytes (a handler may quote request bytes in it, as `help` does).
void put_reason(core::BoundedWriter& out, std::string_view reason) noexcept {
  std::size_t run = 0;
  for (std::size_t i = 0; i < reason.size(); ++i) {
    const std::string_view escape = core::control_escape(reason[i]);
    if (escape.empty()) continue;
    out.put(reason.substr(run, i - run));
    out.put(escape);
    run = i + 1;
  }
  out.put(reason.substr(run));
}

core::Status put_node(core::BoundedWriter& out, const tree::Tree& tree, tree::NodeId node,
                      std::string_view indent) noexcept {
  const std::string_view name = tree.name(node);
  const std::string_view value = tree.value(node);
  const bool has_attributes = tree.has_attributes(node);
  if (name.empty() && value.empty() && has_attributes) return Error{Errc::bad_name, 0};
  for (std::size_t level = 1; level < tree.line_depth(node); ++level) out.put(indent);
  if (!name.empty()) {
    out.put(name);
    out.put(":: ");
  }
  if (!has_attributes && prints_as_is(value, name.empty())) {
    out.put(value);
  } else {
    const EscapeRules rules{has_attributes || value.find('=') != std::string_view::npos,
                            name.empty()};
    put_escaped(out, value, rules);
  }
  tree.for_each_attribute(node, [&out](const tree::Attribute& attribute) {
    out.put(' ');
    out.put(attribute.name);
    out.put('=');
    put_escaped(out, attribute.value, EscapeRules{true, false});
  });
  out.put('\n');
  return {};
}

}  // namespace

core::Result<std::size_t> print_reply(const Reply& reply, std::string_view indent,
                                      std::span<char> out) noexcept {
  if (reply.code < 100 || reply.code > 999 || !is_valid_indent(indent)) {
    return Error{Errc::bad_name, 0};
  }
  core::BoundedWriter writer(out.first(std::min(out.size(), core::kMaxDatagram)));
  // Three digits (checked above) and a space, without a general number formatter.
  const std::array<char, 4> status{static_cast<char>('0' + reply.code / 100),
                                   static_cast<char>('0' + reply.code / 10 % 10),
                                   static_cast<char>('0' + reply.code % 10), ' '};
  writer.put(std::string_view(status.data(), status.size()));
  put_reason(writer, reply.reason);
  writer.put('\n');
  if (reply.tree != nullptr) {
    const tree::Tree& tree = *reply.tree;
    for (tree::NodeId node = tree.next_in_walk(tree::kRoot);
         node != tree::kNoNode && !writer.failed(); node = tree.next_in_walk(node)) {
      if (tree.is_array(node)) continue;  // its kids print in its place
      if (auto printed = put_node(writer, tree, node, indent); !printed) return printed.error();
    }
  }
  if (writer.failed()) return Error{Errc::reply_too_large, 0};
  return writer.size();
}

}  // namespace mid::protocol::text

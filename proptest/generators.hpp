#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <string>
#include <vector>

#include "core/limits.hpp"

// RapidCheck generators for the protocol's inputs. All are built from
// rc::gen combinators, so every counterexample shrinks (shorter strings,
// fewer nodes, plainer bytes).
namespace mid::proptest {

inline constexpr char kCommandChars[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";

// A byte of a value: mostly the bytes the grammars treat specially, then
// letters, then any byte but NUL.
inline rc::Gen<char> value_byte() {
  return rc::gen::weightedOneOf<char>({
      {4, rc::gen::element('"', '\\', '\r', '\n', ' ', '\t', ':', '=')},
      {4, rc::gen::inRange('a', static_cast<char>('z' + 1))},
      {1, rc::gen::suchThat(rc::gen::arbitrary<char>(), [](char c) { return c != '\0'; })},
  });
}

inline rc::Gen<std::string> value() {
  return rc::gen::container<std::string>(value_byte());
}

inline rc::Gen<std::string> command_name() {
  return rc::gen::mapcat(
      rc::gen::inRange<std::size_t>(1, core::kMaxCommandName + 1), [](std::size_t n) {
        return rc::gen::container<std::string>(n, rc::gen::elementOf(std::string(kCommandChars)));
      });
}

// Argument names print_request accepts: no blanks at the ends, no "::",
// no '"', CR, LF or NUL (a name may end in ':').
inline bool is_printable_arg_name(const std::string& name) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  return !name.empty() && !blank(name.front()) && !blank(name.back()) &&
         name.find("::") == std::string::npos &&
         name.find_first_of(std::string("\"\r\n\0", 4)) == std::string::npos;
}

inline rc::Gen<std::string> arg_name() {
  const auto byte = rc::gen::weightedOneOf<char>({
      {6, rc::gen::inRange('a', static_cast<char>('z' + 1))},
      {2, rc::gen::element(':', ' ', '\t', '\\', '=', '.')},
      {1,
       rc::gen::suchThat(rc::gen::arbitrary<char>(),
                         [](char c) { return c != '\0' && c != '"' && c != '\r' && c != '\n'; })},
  });
  return rc::gen::suchThat(rc::gen::nonEmpty(rc::gen::container<std::string>(byte)),
                           is_printable_arg_name);
}

struct ArgSpec {
  std::string name;  // empty: positional
  std::string value;
};

inline rc::Gen<ArgSpec> argument() {
  return rc::gen::build<ArgSpec>(
      rc::gen::set(&ArgSpec::name, rc::gen::weightedOneOf<std::string>(
                                       {{1, rc::gen::just(std::string())}, {2, arg_name()}})),
      rc::gen::set(&ArgSpec::value, value()));
}

// Bytes that look like requests: grammar tokens and random bytes glued
// together, often behind a valid first line, so the parser's deeper
// states are reached as well as its first-line errors.
inline rc::Gen<std::string> request_like_bytes() {
  const auto token = rc::gen::weightedOneOf<std::string>({
      {6, rc::gen::element<std::string>(":", "::", "\"", "\\\"", "\\\\", "\\", "\n", "\r\n", "\r",
                                        std::string(1, '\0'), " ", "\t", "a", "name", "v a l",
                                        "\n\n", "version", "x::y", "\"\"")},
      {1, rc::gen::container<std::string>(rc::gen::arbitrary<char>())},
  });
  const auto body = rc::gen::map(rc::gen::container<std::vector<std::string>>(token),
                                 [](const std::vector<std::string>& parts) {
                                   std::string out;
                                   for (const auto& part : parts) out += part;
                                   return out;
                                 });
  return rc::gen::weightedOneOf<std::string>({
      {3, rc::gen::map(body, [](const std::string& b) { return ":cmd:\n" + b; })},
      {1, body},
  });
}

// Requests built line by line from the grammar (docs/PROTOCOL.md): blanks
// around names and values, named and positional arguments, unquoted and
// quoted values with escapes and raw CR/LF, LF or CR LF line ends, names
// with blanks before "::". Most parse; the fixed-point property needs that.
inline rc::Gen<std::string> unquoted_text() {
  return rc::gen::container<std::string>(rc::gen::weightedOneOf<char>({
      {6, rc::gen::inRange('a', static_cast<char>('z' + 1))},
      {3, rc::gen::element(' ', '\t', ':', '\\', '=')},
  }));
}

inline rc::Gen<std::string> quoted_text() {
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
                          "a", " ", "\\\"", "\\\\", "\n", "\r\n", "\r", "::", "\t", "z")),
                      [](const std::vector<std::string>& parts) {
                        std::string out = "\"";
                        for (const auto& part : parts) out += part;
                        return out + "\"";
                      });
}

inline rc::Gen<std::string> request_line() {
  const auto blanks = rc::gen::element<std::string>("", "", " ", "\t", "  \t");
  const auto value_part =
      rc::gen::weightedOneOf<std::string>({{2, unquoted_text()}, {1, quoted_text()}});
  return rc::gen::apply(
      [](const std::string& lead, bool named, const std::string& name, const std::string& mid,
         const std::string& value, const std::string& trail, const std::string& end) {
        return lead + (named ? name + mid + "::" : std::string()) + value + trail + end;
      },
      blanks, rc::gen::arbitrary<bool>(),
      rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::element('a', 'b', ':', '.', ' '))),
      blanks, value_part, blanks, rc::gen::element<std::string>("\n", "\r\n"));
}

inline rc::Gen<std::string> grammar_request() {
  return rc::gen::map(
      rc::gen::pair(command_name(), rc::gen::container<std::vector<std::string>>(request_line())),
      [](const std::pair<std::string, std::vector<std::string>>& parts) {
        std::string out = ":" + parts.first + ":\n";
        for (const auto& line : parts.second) out += line;
        return out;
      });
}

// A valid reply_indent: 0..16 spaces and tabs.
inline rc::Gen<std::string> indent() {
  return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, core::kMaxIndent + 1), [](std::size_t n) {
    return rc::gen::container<std::string>(n, rc::gen::element(' ', '\t'));
  });
}

// Node and attribute names the tree accepts: printable ASCII but space,
// '=' and '\\'; ':' is frequent (statistics are "group:name").
inline rc::Gen<std::string> node_name() {
  const auto byte = rc::gen::weightedOneOf<char>({
      {6, rc::gen::inRange('a', static_cast<char>('z' + 1))},
      {2, rc::gen::element(':', '_', '"', '.')},
      {1, rc::gen::suchThat(rc::gen::inRange('!', '\x7f'),
                            [](char c) { return c != '=' && c != '\\'; })},
  });
  return rc::gen::nonEmpty(rc::gen::container<std::string>(byte));
}

struct AttrSpec {
  std::string name;
  std::string value;
};

// One node of a tree in depth-first order. `down` puts it one level below
// the previous node; otherwise it climbs `up` levels (a sibling for 0).
struct NodeSpec {
  bool down = false;
  unsigned up = 0;
  std::string name;  // empty: a nameless node
  std::string value;
  std::vector<AttrSpec> attributes;
};

inline rc::Gen<NodeSpec> node_spec() {
  return rc::gen::build<NodeSpec>(
      rc::gen::set(&NodeSpec::down, rc::gen::arbitrary<bool>()),
      rc::gen::set(&NodeSpec::up, rc::gen::inRange(0U, 4U)),
      rc::gen::set(&NodeSpec::name, rc::gen::weightedOneOf<std::string>(
                                        {{1, rc::gen::just(std::string())}, {3, node_name()}})),
      rc::gen::set(&NodeSpec::value, value()),
      rc::gen::set(
          &NodeSpec::attributes,
          rc::gen::resize(4, rc::gen::container<std::vector<AttrSpec>>(rc::gen::build<AttrSpec>(
                                 rc::gen::set(&AttrSpec::name, node_name()),
                                 rc::gen::set(&AttrSpec::value, value()))))));
}

// Trees the printer accepts: a node with neither name nor value carries
// no attributes.
inline rc::Gen<std::vector<NodeSpec>> tree_spec() {
  return rc::gen::map(rc::gen::container<std::vector<NodeSpec>>(node_spec()),
                      [](std::vector<NodeSpec> nodes) {
                        for (NodeSpec& node : nodes) {
                          if (node.name.empty() && node.value.empty()) node.attributes.clear();
                        }
                        return nodes;
                      });
}

}  // namespace mid::proptest

#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "core/bounded_writer.hpp"
#include "tree/tree.hpp"

// JSON-RPC 2.0 replies: one response object, or batch framing around
// several. Pure and noexcept; output goes only through the BoundedWriter
// (never past its span; the first refusal sticks, so write a whole reply
// and check out.failed() once). The caller bounds the span to one
// datagram (kMaxDatagram).
//
// From tree to JSON (docs/PROTOCOL.md), the one mapping rule:
//  1. An array node is a JSON array of its kids' JSON values, in order
//     (kids' names unused).
//  2. A node with attributes or kids is a JSON object. Its members, in
//     order: "value" (the node's own value, only if not empty), then its
//     attributes, then its kids, each keyed by its name (a nameless kid by
//     ""). Members that share a name are merged into one member at the
//     place of the first, whose value is the array of their values in
//     order (so the output never has duplicate keys).
//  3. Any other node is its value: a JSON number when its ValueKind is
//     number, else a string ("" when empty).
//  4. The result is the root by these rules, except a root that is not an
//     array and has no kids and no attributes (a command that answers only
//     its status): the result is then the status reason as a string (e.g.
//     "OK", as OpenSIPS answers kill).
// Values and attributes of kind number are written as they are when they
// are a JSON integer (always, when made by add_number), else as strings.
// Strings and keys are escaped as jsonrpc::put_string says (json_text.hpp):
// the output is valid JSON in valid UTF-8 without a raw control byte,
// whatever bytes the tree holds.
//
// Layout. Compact (the default): no whitespace, no trailing newline.
// Pretty (OpenSIPS's pretty_printing = 1, cJSON's formatted print): an
// object is "{", LF, then per member (depth+1) TABs, the key, ":", TAB, the
// value, "," but after the last, LF; then (depth) TABs and "}"; an array
// is on one line, elements separated by ", "; an element or member value
// is printed at its container's depth + 1; no trailing newline.
namespace mid::protocol::jsonrpc {

struct Style {
  bool pretty = false;
};

// Prints replies. Construction allocates the tables the mapping needs
// (about 1 MiB, sized from kMaxNodes + kMaxAttributes); printing never
// allocates. Make one per worker and reuse it; not for concurrent use.
// Cost: linear in the output, plus, per object of m members, O(m) to see
// that its names all differ (a set of name hashes) or else O(m log m) to
// merge them (a sort on hash, name and position): get_statistics may put
// 8192 kids under one node, and no set of names makes it quadratic. The
// tree walk recurses at most a few frames per tree level (depth <=
// kMaxTreeDepth).
class ReplyPrinter {
 public:
  ReplyPrinter();
  ~ReplyPrinter();
  ReplyPrinter(const ReplyPrinter&) = delete;
  ReplyPrinter& operator=(const ReplyPrinter&) = delete;
  ReplyPrinter(ReplyPrinter&&) noexcept;
  ReplyPrinter& operator=(ReplyPrinter&&) noexcept;

  // {"jsonrpc":"2.0","result":R,"id":ID}: R is the tree by the mapping
  // rule (the reason when the tree is only a status). Appended to `out` at
  // nesting depth `depth` (0 alone, 1 inside a batch array; it matters
  // only when pretty). `id` is the id's JSON text as the request sent it
  // (already valid JSON), written as it is; empty writes null.
  void put_result(core::BoundedWriter& out, const tree::Tree& tree, std::string_view status_reason,
                  std::string_view id, Style style, std::size_t depth = 0) noexcept;

  // {"jsonrpc":"2.0","error":{"code":C,"message":"M","data":"D"},"id":ID};
  // "data" is left out when empty. `id` as for put_result.
  void put_error(core::BoundedWriter& out, long code, std::string_view message,
                 std::string_view data, std::string_view id, Style style,
                 std::size_t depth = 0) noexcept;

 private:
  struct Tables;
  std::unique_ptr<Tables> tables_;
};

// Batch framing: "[" before the first response, the separator between two
// ("," compact, ", " pretty, as cJSON prints an array), "]" after the
// last. Responses inside a batch are printed at depth 1.
void begin_batch(core::BoundedWriter& out, Style style) noexcept;
void separate_responses(core::BoundedWriter& out, Style style) noexcept;
void end_batch(core::BoundedWriter& out, Style style) noexcept;

}  // namespace mid::protocol::jsonrpc

#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "protocol/text/reply.hpp"

namespace mid::protocol::text {

// Prints a reply: the status line, then one line per node in depth-first
// order, each indented by `indent` once per depth below the top, written
// `NAME:: VALUE` (or just `VALUE` for a node without a name) followed by
// ` NAME=VALUE` per attribute. Values are escaped only where a reader
// could not otherwise find the line's parts, and every control byte
// (below 0x20, and 0x7f) is escaped everywhere, the reason included: no
// line carries one raw but its own LF (docs/PROTOCOL.md, "Replies").
//
// Writes at most min(out.size(), kMaxDatagram) bytes and never past
// `out`; returns the size of the complete reply. Errors (offset 0):
// reply_too_large when it does not fit; bad_name for a code outside
// 100..999, an indent that is not 0..16 spaces and tabs, or a node
// without name and value that has attributes.
// Iterative over the tree: no recursion on depth.
[[nodiscard]] core::Result<std::size_t> print_reply(const Reply& reply, std::string_view indent,
                                                    std::span<char> out) noexcept;

}  // namespace mid::protocol::text

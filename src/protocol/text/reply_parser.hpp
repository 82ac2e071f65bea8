#pragma once

#include <array>
#include <string_view>

#include "core/limits.hpp"
#include "core/result.hpp"
#include "tree/tree.hpp"

namespace mid::protocol::text {

struct ReplyStatus {
  unsigned code = 0;
  std::string_view reason;  // a view into the datagram
};

// Room to unescape one field at a time (a field is never longer than the
// datagram). About 64 KiB: keep one per client, not on a small stack.
struct ReplyScratch {
  std::array<char, core::kMaxDatagram> unescaped;
};

// Reads a reply printed by print_reply with the same `indent`: the status
// line is returned, the lines are rebuilt into `tree` (cleared first), so
// that parse_reply(print_reply(r)) gives back r's code and tree, and its
// reason as printed: a reason is text for people, and the escapes of its
// control bytes are not undone (the reason of a reason without control
// bytes comes back unchanged). Values undo every escape, "\xHH" included.
//
// Errors, with the offset of the offending byte: reply_too_large (over
// kMaxDatagram), bad_status_line, bad_reply_line (a line without its LF,
// an attribute without '=' or with a bad name), bad_reply_escape,
// bad_indentation (deeper than the previous line plus one), and the
// tree's own limits (tree_too_deep, too_many_nodes, ...). An indent
// outside is_valid_indent is bad_status_line at offset 0.
// Linear time, no allocation, no recursion.
[[nodiscard]] core::Result<ReplyStatus> parse_reply(std::string_view datagram,
                                                    std::string_view indent, tree::Tree& tree,
                                                    ReplyScratch& scratch) noexcept;

}  // namespace mid::protocol::text

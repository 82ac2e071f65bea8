#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/limits.hpp"
#include "mi/async.hpp"
#include "mi/command.hpp"
#include "mi/registry.hpp"
#include "mi/tree.hpp"
#include "protocol/request.hpp"

// The whole request path without sockets: bytes of one request in, bytes
// of one reply out. The server calls it per datagram; the request_path
// fuzz harness calls it directly.
namespace mid::mi {

// Everything one request needs, allocated once per worker (about 1 MiB;
// keep it on the heap) and reused: the request path never allocates.
struct Workspace {
  protocol::RequestScratch request;
  Tree tree;
  ReasonText reason;
  std::array<char, core::kMaxDatagram> reply;
};

enum class Outcome : std::uint8_t {
  ok,              // a 2xx reply
  command_failed,  // the handler answered with a non-2xx status
  bad_request,     // the request did not parse (a 400 naming the offset)
  request_too_large,
  unknown_command,  // 404
  reply_too_large,  // the complete reply did not fit; a 500 was sent instead
  reply_invalid,    // the handler built a tree the printer refused; a 500 instead
  deferred,         // an async command will answer later; `reply` is empty
};

struct Handled {
  std::string_view reply;  // a view into workspace.reply; empty only when deferred
  Outcome outcome = Outcome::ok;
  const Command* command = nullptr;  // null when the request did not parse
};

// Parses `datagram`, runs the command from `registry`, prints the reply
// with `indent` (a valid reply_indent). Always produces a reply no larger
// than kMaxDatagram: a well-formed one, or an error reply naming the
// problem. Handler exceptions become "500 command failed". `async` is
// given to commands flagged kAsync (null: such a command answers at once
// or fails); a command that deferred its reply yields Outcome::deferred.
[[nodiscard]] Handled handle_datagram(std::string_view datagram, const Registry& registry,
                                      Workspace& workspace, std::string_view indent,
                                      AsyncReply* async = nullptr) noexcept;

// Prints the reply of a completed async command into workspace.reply
// (the same rules as handle_datagram: an error reply when it cannot be
// printed). `status` and workspace.tree come from the completion.
[[nodiscard]] Handled print_completion(CommandReply status, Workspace& workspace,
                                       std::string_view indent) noexcept;

}  // namespace mid::mi

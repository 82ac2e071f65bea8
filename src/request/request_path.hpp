#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/limits.hpp"
#include "mi/async.hpp"
#include "mi/command.hpp"
#include "mi/registry.hpp"
#include "protocol/text/request.hpp"
#include "tree/tree.hpp"

// The whole request path without sockets: bytes of one request in, bytes
// of one reply out. The server calls it per datagram; the request_path
// fuzz harness calls it directly.
namespace mid::request {

// Everything one request needs, allocated once per worker (about 1 MiB;
// keep it on the heap) and reused: the request path never allocates.
struct Workspace {
  protocol::text::RequestScratch request;
  tree::Tree tree;
  mi::ReasonText reason;
  std::array<char, core::kMaxDatagram> reply;
};

// The caller's access rules for one request (the caller knows the peer):
// asked after the command is found and before anything else about the
// call is checked, with the class of this call (command_class.hpp).
// False: the command does not run and the reply is a 403.
class AccessGate {
 public:
  [[nodiscard]] virtual bool allows(std::string_view command,
                                    mi::CommandClass command_class) const noexcept = 0;

 protected:
  AccessGate() = default;
  AccessGate(const AccessGate&) = default;
  AccessGate& operator=(const AccessGate&) = default;
  ~AccessGate() = default;
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
  const mi::Command* command = nullptr;  // null when the request did not parse
  // The class of this call of `command` (meaningful when command is set):
  // what the caller audits.
  mi::CommandClass command_class = mi::CommandClass::write;
  // The AccessGate refused the call: the reply is the 403 and the outcome
  // command_failed (a flag, so existing switches over Outcome stay whole).
  bool forbidden = false;
};

// The status code `handled.reply` starts with (every reply printed here
// starts with its three-digit code), or 0 when there is none (deferred).
[[nodiscard]] constexpr unsigned status_code(const Handled& handled) noexcept {
  const std::string_view reply = handled.reply;
  if (reply.size() < 3) return 0;
  unsigned code = 0;
  for (const char c : reply.substr(0, 3)) {
    if (c < '0' || c > '9') return 0;
    code = code * 10 + static_cast<unsigned>(c - '0');
  }
  return code;
}

// Parses `datagram`, runs the command from `registry`, prints the reply
// with `indent` (a valid reply_indent). Always produces a reply no larger
// than kMaxDatagram: a well-formed one, or an error reply naming the
// problem. Handler exceptions become "500 command failed". `async` is
// given to commands flagged kAsync (null: such a command answers at once
// or fails); a command that deferred its reply yields Outcome::deferred.
// `gate` (null: every command runs) decides whether the command runs; a
// refused call is answered "403 forbidden by the access rules: NAME".
[[nodiscard]] Handled handle_datagram(std::string_view datagram, const mi::Registry& registry,
                                      Workspace& workspace, std::string_view indent,
                                      mi::AsyncReply* async = nullptr,
                                      const AccessGate* gate = nullptr) noexcept;

// Prints the reply of a completed async command into workspace.reply
// (the same rules as handle_datagram: an error reply when it cannot be
// printed). `status` and workspace.tree come from the completion.
[[nodiscard]] Handled print_completion(mi::CommandReply status, Workspace& workspace,
                                       std::string_view indent) noexcept;

}  // namespace mid::request

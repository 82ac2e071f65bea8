#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/limits.hpp"
#include "mi/async.hpp"
#include "mi/command.hpp"
#include "mi/registry.hpp"

// The whole request path without sockets: bytes of one datagram in, bytes
// of one reply out. It picks the protocol (a datagram whose first
// non-blank byte is '{' or '[' is JSON-RPC 2.0, else the 1.x text), checks
// the call against the command's declared forms, asks the access gate,
// runs the command and prints its tree in the protocol that asked. The
// server calls it per datagram; the request_path fuzz harnesses call it
// directly.
namespace mid::request {

struct WorkspaceParts;  // request_path.cpp: the codecs' scratch and tables

// Everything one request needs, allocated once per worker (a few MiB; it
// lives on the heap) and reused: the request path never allocates. Only
// the request path reads or writes its parts.
class Workspace {
 public:
  // `pretty_json`: JSON replies laid out as OpenSIPS' pretty_printing = 1.
  explicit Workspace(bool pretty_json = false);
  ~Workspace();
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  [[nodiscard]] WorkspaceParts& parts() noexcept { return *parts_; }

 private:
  std::unique_ptr<WorkspaceParts> parts_;
};

// One call that named a known command, as the gate hears of it.
struct CallRecord {
  const mi::Command* command = nullptr;
  mi::CommandClass command_class = mi::CommandClass::write;
  unsigned status = 0;     // the status the call answered (403 when refused)
  bool forbidden = false;  // refused by allows()
};

// The caller's access rules and audit for one datagram (the caller knows
// the peer). allows() is asked after the command is found and its
// parameters checked, with the class of this call (command_class.hpp):
// false, and the command does not run and answers 403. record() hears of
// every call that named a known command once its status is known (each
// call of a JSON batch; not a deferred one, whose completion the caller
// audits itself).
class AccessGate {
 public:
  [[nodiscard]] virtual bool allows(std::string_view command,
                                    mi::CommandClass command_class) const noexcept = 0;
  virtual void record(const CallRecord& /*call*/) const noexcept {}

 protected:
  AccessGate() = default;
  AccessGate(const AccessGate&) = default;
  AccessGate& operator=(const AccessGate&) = default;
  ~AccessGate() = default;
};

enum class Outcome : std::uint8_t {
  ok,              // a 2xx reply (a JSON batch: every call was handled)
  command_failed,  // the handler answered with a non-2xx status, or was refused
  bad_request,     // the request did not parse or matched no form (400, -32700, -32600, -32602)
  request_too_large,
  unknown_command,  // 404, -32601
  reply_too_large,  // the complete reply did not fit; an error was sent instead
  reply_invalid,    // the handler built a tree the printer refused; a 500 instead
  deferred,         // an async command will answer later; `reply` is empty
  no_reply,         // a JSON notification (or a batch of them): nothing to send
};

// What a deferred reply needs to be printed later, in its own protocol.
struct Deferred {
  static constexpr std::size_t kMaxId = 128;  // a longer JSON id: the command runs at once
  const mi::Command* command = nullptr;
  mi::CommandClass command_class = mi::CommandClass::write;
  bool json = false;
  std::uint8_t id_size = 0;
  std::array<char, kMaxId> id{};
};

struct Handled {
  std::string_view reply = {};  // into the workspace; empty when deferred or no_reply
  Outcome outcome = Outcome::ok;
  // The call's command (a single call that named a known one), else null.
  const mi::Command* command = nullptr;
  mi::CommandClass command_class = mi::CommandClass::write;
  bool forbidden = false;  // the AccessGate refused the call
  unsigned status = 0;     // the single call's status code; 0 when none
  // When deferred: whether JSON asked, and its id (a view into the
  // datagram, valid until the next request: keep() copies it).
  bool json = false;
  std::string_view id = {};
};

// What a deferred call needs kept until its completion (the id copied).
[[nodiscard]] Deferred keep(const Handled& handled) noexcept;

// The status code the reply answers (0 when none: deferred, no reply, batch).
[[nodiscard]] constexpr unsigned status_code(const Handled& handled) noexcept {
  return handled.status;
}

// Parses `datagram`, runs the command from `registry`, prints the reply
// (text with `indent`, a valid reply_indent). Always produces a reply no
// larger than kMaxDatagram, a well-formed one or an error naming the
// problem, except for JSON notifications (no_reply). Handler exceptions
// become "500 command failed". `async` is given to commands flagged
// kAsync (null: such a command answers at once or fails); a command that
// deferred its reply yields Outcome::deferred. `gate` (null: every command
// runs, nothing is recorded) decides whether the command runs.
[[nodiscard]] Handled handle_datagram(std::string_view datagram, const mi::Registry& registry,
                                      Workspace& workspace, std::string_view indent,
                                      mi::AsyncReply* async = nullptr,
                                      const AccessGate* gate = nullptr) noexcept;

// Runs a deferred command's completion and prints its reply into the
// workspace, in the protocol that asked (the same rules as
// handle_datagram). Exceptions from `completion` become a 500.
[[nodiscard]] Handled complete(const Deferred& deferred, mi::AsyncReply::Completion& completion,
                               Workspace& workspace, std::string_view indent) noexcept;

// The reply to a peer refused before its request is read (403 Forbidden),
// in the protocol its datagram speaks.
[[nodiscard]] std::string_view refuse_peer(std::string_view datagram,
                                           Workspace& workspace) noexcept;

}  // namespace mid::request

#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "request/request_path.hpp"
#include "transport/access_decision.hpp"

// The audit trail's line for one call: every `write` call and every
// refusal leaves one, at notice level, through the rate limit of every
// peer-triggered line (the caller's job). Pure: no syscalls, no
// allocation, noexcept.
//
//   audit: command=NAME status=CODE uid=N gid=N pid=N      (UNIX peer)
//   audit: command=NAME status=CODE from=ADDR:PORT         (UDP peer; [v6]:PORT)
//
// NAME is escaped so the line keeps its fields whatever a peer sent: every
// byte outside '!'..'~' (blanks, control bytes, DEL, non-ASCII) and '\'
// is written \xNN. A NAME longer than kMaxAuditName bytes is cut there and
// marked with "..." after the escapes (a valid command name is at most 64).
namespace mid::transport {

// Whether a call leaves an audit line: a refusal by the access rules, or
// a `write` call that was answered (the request path records a deferred
// one only when its completion is printed).
[[nodiscard]] inline bool needs_audit(const request::CallRecord& call) noexcept {
  if (call.command == nullptr) return false;
  return call.forbidden || call.command_class == mi::CommandClass::write;
}

class AuditLine {
 public:
  static constexpr std::size_t kMaxAuditName = 64;

  AuditLine(std::string_view command, unsigned status, const PeerIdentity& peer) noexcept;
  // The line for a call: its command's name and status.
  // Precondition: call.command is set (needs_audit).
  AuditLine(const request::CallRecord& call, const PeerIdentity& peer) noexcept
      : AuditLine(call.command->name, call.status, peer) {}
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }

 private:
  // "audit: command=" + 64 * 4 + "..." + " status=" + 10 digits + the
  // longer peer part ("from=[" + 45 + "]:" + 5 digits): under 384 bytes.
  std::array<char, 384> text_{};
  std::size_t size_ = 0;
};

}  // namespace mid::transport

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

// Whether a handled call leaves an audit line: a refusal by the access
// rules, or a `write` call that was answered (a deferred one is audited
// when its completion is printed, with the command the caller kept).
[[nodiscard]] inline bool needs_audit(const request::Handled& handled) noexcept {
  if (handled.command == nullptr) return false;
  if (handled.forbidden) return true;
  return handled.command_class == mi::CommandClass::write &&
         handled.outcome != request::Outcome::deferred;
}

class AuditLine {
 public:
  static constexpr std::size_t kMaxAuditName = 64;

  AuditLine(std::string_view command, unsigned status, const PeerIdentity& peer) noexcept;
  // The line for a handled call: its command's name and request::status_code.
  // Precondition: handled.command is set (needs_audit).
  AuditLine(const request::Handled& handled, const PeerIdentity& peer) noexcept
      : AuditLine(handled.command->name, request::status_code(handled), peer) {}
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }

 private:
  // "audit: command=" + 64 * 4 + "..." + " status=" + 10 digits + the
  // longer peer part ("from=[" + 45 + "]:" + 5 digits): under 384 bytes.
  std::array<char, 384> text_{};
  std::size_t size_ = 0;
};

}  // namespace mid::transport

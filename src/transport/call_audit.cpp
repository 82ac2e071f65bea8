#include "transport/call_audit.hpp"

#include <netinet/in.h>

#include <cstring>

#include "log/rate_limit.hpp"
#include "transport/audit_line.hpp"

namespace mid::transport {
namespace {

void write_line(const AuditLine& line) noexcept {
  const std::string_view text = line.view();
  MID_LOG_LIMITED(audit, notice, "%.*s", static_cast<int>(text.size()), text.data());
}

std::uint16_t port_of(const sockaddr_storage& address) noexcept {
  if (address.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address, sizeof v4);
    return ntohs(v4.sin_port);
  }
  sockaddr_in6 v6{};
  std::memcpy(&v6, &address, sizeof v6);
  return ntohs(v6.sin6_port);
}

}  // namespace

PeerIdentity identity_of(const Peer& peer, bool is_unix) noexcept {
  if (is_unix) return PeerIdentity::unix_peer(peer.uid, peer.gid, peer.pid);
  bool v6 = false;
  IpBytes bytes{};
  if (!peer.ip(v6, bytes)) return PeerIdentity::udp_peer(false, bytes, 0);
  return PeerIdentity::udp_peer(v6, bytes, port_of(peer.address));
}

void audit_call(const request::CallRecord& call, const PeerIdentity& who) noexcept {
  if (!needs_audit(call)) return;
  write_line(AuditLine(call, who));
}

void audit_refusal(const PeerIdentity& who) noexcept {
  constexpr unsigned kForbidden = 403;
  write_line(AuditLine("-", kForbidden, who));
}

}  // namespace mid::transport

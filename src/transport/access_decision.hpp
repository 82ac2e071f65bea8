#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "config/config.hpp"
#include "mi/command_class.hpp"
#include "request/request_path.hpp"
#include "transport/access.hpp"

// Who may run what: the `access` rules (docs/CONFIGURATION.md) applied to
// one call. Pure: no syscalls, no globals, no allocation, noexcept. The
// coarse gate (allowed_uids, allowed_gids, allow_from: access.hpp) has
// already admitted the peer; these rules decide per command.
namespace mid::transport {

// The sender of one datagram, as the kernel reports it.
struct PeerIdentity {
  bool is_udp = false;
  // UNIX: the SCM_CREDENTIALS of the sender.
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::int32_t pid = 0;
  // UDP: the source address (network byte order; IPv4 in bytes [0, 4)) and port.
  bool v6 = false;
  IpBytes address{};
  std::uint16_t port = 0;

  [[nodiscard]] static PeerIdentity unix_peer(std::uint32_t uid, std::uint32_t gid,
                                              std::int32_t pid) noexcept {
    return PeerIdentity{false, uid, gid, pid, false, {}, 0};
  }
  [[nodiscard]] static PeerIdentity udp_peer(bool v6, const IpBytes& address,
                                             std::uint16_t port) noexcept {
    return PeerIdentity{true, 0, 0, 0, v6, address, port};
  }
};

enum class AccessDecision : std::uint8_t { allow, deny };

// Whether a rule's WHO names `peer`: `*` anyone; uid:/user: a UNIX peer of
// that uid; gid:/group: a UNIX peer of that gid (the one SCM_CREDENTIALS
// carries; supplementary groups are not seen); udp: a UDP source in the
// network (cidr_contains). A name load_config has not resolved matches
// no one.
[[nodiscard]] bool who_matches(const config::AccessWho& who, const PeerIdentity& peer) noexcept;

// Whether a rule's WHAT lets `command`, of this class, run.
[[nodiscard]] bool what_covers(const config::AccessWhat& what, std::string_view command,
                               mi::CommandClass command_class) noexcept;

// No rules: allow (everyone the coarse gate admits runs everything).
// Otherwise the first rule whose WHO matches the peer decides: allow when
// its WHAT covers the call, deny when not; later rules are not asked. No
// rule matches: deny. Linear in the rules and their command lists.
[[nodiscard]] AccessDecision decide(std::span<const config::AccessRule> rules,
                                    const PeerIdentity& peer, std::string_view command,
                                    mi::CommandClass command_class) noexcept;

// decide() for one peer, as request::handle_datagram asks it. Holds views: the
// rules and the peer must outlive the gate (one request).
class PeerAccessGate final : public request::AccessGate {
 public:
  PeerAccessGate(std::span<const config::AccessRule> rules, const PeerIdentity& peer) noexcept
      : rules_(rules), peer_(&peer) {}
  [[nodiscard]] bool allows(std::string_view command,
                            mi::CommandClass command_class) const noexcept override {
    return decide(rules_, *peer_, command, command_class) == AccessDecision::allow;
  }

 private:
  std::span<const config::AccessRule> rules_;
  const PeerIdentity* peer_;
};

}  // namespace mid::transport

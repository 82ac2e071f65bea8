#include "transport/access_decision.hpp"

#include <algorithm>

namespace mid::transport {

bool who_matches(const config::AccessWho& who, const PeerIdentity& peer) noexcept {
  switch (who.kind) {
    case config::AccessWhoKind::anyone:
      return true;
    case config::AccessWhoKind::uid:
      return !peer.is_udp && who.principal.id && *who.principal.id == peer.uid;
    case config::AccessWhoKind::gid:
      return !peer.is_udp && who.principal.id && *who.principal.id == peer.gid;
    case config::AccessWhoKind::udp:
      return peer.is_udp && cidr_contains(who.network, peer.v6, peer.address);
  }
  return false;
}

bool what_covers(const config::AccessWhat& what, std::string_view command,
                 mi::CommandClass command_class) noexcept {
  if (command_class == mi::CommandClass::read ? what.read : what.write) return true;
  return std::any_of(what.commands.begin(), what.commands.end(),
                     [command](const std::string& name) { return name == command; });
}

AccessDecision decide(std::span<const config::AccessRule> rules, const PeerIdentity& peer,
                      std::string_view command, mi::CommandClass command_class) noexcept {
  if (rules.empty()) return AccessDecision::allow;
  for (const config::AccessRule& rule : rules) {
    if (!who_matches(rule.who, peer)) continue;
    return what_covers(rule.what, command, command_class) ? AccessDecision::allow
                                                          : AccessDecision::deny;
  }
  return AccessDecision::deny;
}

}  // namespace mid::transport

#pragma once

#include "request/request_path.hpp"
#include "transport/access_decision.hpp"
#include "transport/datagram_io.hpp"

// The worker's side of "who may run what, and who did": the identity the
// access rules see for a datagram's sender, and the audit line of a call,
// written at notice level through the rate limit of peer-triggered lines.
namespace mid::transport {

// UNIX: the sender's SCM_CREDENTIALS; UDP: its source address and port.
[[nodiscard]] PeerIdentity identity_of(const Peer& peer, bool is_unix) noexcept;

// Logs the audit line of a call that needs one (needs_audit).
void audit_call(const request::CallRecord& call, const PeerIdentity& who) noexcept;

// Logs the audit line of a request the coarse gate (allowed_uids,
// allowed_gids, allow_from) refused before parsing it: command "-".
void audit_refusal(const PeerIdentity& who) noexcept;

}  // namespace mid::transport

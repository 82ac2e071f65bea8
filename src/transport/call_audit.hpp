#pragma once

#include <span>

#include "config/config.hpp"
#include "request/request_path.hpp"
#include "stats/statistics.hpp"
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

// The access rules and the audit trail for one peer, as the request path
// asks and tells them per call (each call of a JSON batch too); a call
// the rules refuse is counted in `denied`. Holds views: everything given
// must outlive it (one request).
class PeerCalls final : public request::AccessGate {
 public:
  PeerCalls(std::span<const config::AccessRule> rules, const PeerIdentity& who,
            stats::Statistics& statistics, stats::StatId denied) noexcept
      : gate_(rules, who), who_(&who), statistics_(&statistics), denied_(denied) {}
  [[nodiscard]] bool allows(std::string_view command,
                            mi::CommandClass command_class) const noexcept override {
    return gate_.allows(command, command_class);
  }
  void record(const request::CallRecord& call) const noexcept override {
    if (call.forbidden) statistics_->add(denied_);
    audit_call(call, *who_);
  }

 private:
  PeerAccessGate gate_;
  const PeerIdentity* who_;
  stats::Statistics* statistics_;
  stats::StatId denied_;
};

}  // namespace mid::transport

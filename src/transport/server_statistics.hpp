#pragma once

#include "core/result.hpp"
#include "stats/statistics.hpp"

// The daemon's own statistics (documented in mi-datagramd(8)).
namespace mid::transport {

struct ServerStatistics {
  // datagram: what arrived and what left.
  stats::StatId requests;            // every datagram received
  stats::StatId replies;             // every reply sent whole
  stats::StatId bytes_in;            // bytes of every datagram received
  stats::StatId bytes_out;           // bytes of every reply sent
  stats::StatId parse_errors;        // requests answered 400 for their syntax
  stats::StatId too_large;           // requests over 65457 bytes
  stats::StatId unknown_commands;    // requests answered 404 "unknown command"
  stats::StatId command_errors;      // commands that answered a non-2xx status
  stats::StatId replies_too_large;   // replies replaced by "500 reply too large"
  stats::StatId denied;              // peers refused by allowed_uids/gids or allow_from
  stats::StatId unaddressable;       // UNIX requests from unbound sockets: no reply possible
  stats::StatId send_timeouts;       // replies dropped after socket_timeout
  stats::StatId send_errors;         // replies dropped because the peer was gone
  stats::StatId send_denied;         // replies the peer's socket would not take (EACCES/EPERM)
  stats::StatId replies_delayed;     // replies sent after waiting for a full receiver
  stats::StatId replies_over_quota;  // replies withheld: the uid holds too many unread replies
  // core: the processes.
  stats::StatId processes;        // gauge: live processes, master included
  stats::StatId worker_restarts;  // workers restarted after dying
  stats::StatId started_at;       // gauge: start time, seconds since the epoch
};

// Defines every statistic above in `statistics`. Call once at start.
[[nodiscard]] core::Result<ServerStatistics> define_server_statistics(
    stats::Statistics& statistics) noexcept;

}  // namespace mid::transport

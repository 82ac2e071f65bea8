#include "transport/server_statistics.hpp"

namespace mid::transport {

core::Result<ServerStatistics> define_server_statistics(stats::Statistics& statistics) noexcept {
  struct Entry {
    stats::StatId ServerStatistics::*field;
    const char* group;
    const char* name;
    stats::Kind kind;
  };
  using K = stats::Kind;
  using S = ServerStatistics;
  static constexpr Entry kEntries[] = {
      {&S::requests, "datagram", "requests", K::counter},
      {&S::replies, "datagram", "replies", K::counter},
      {&S::bytes_in, "datagram", "bytes_in", K::counter},
      {&S::bytes_out, "datagram", "bytes_out", K::counter},
      {&S::parse_errors, "datagram", "parse_errors", K::counter},
      {&S::too_large, "datagram", "requests_too_large", K::counter},
      {&S::unknown_commands, "datagram", "unknown_commands", K::counter},
      {&S::command_errors, "datagram", "command_errors", K::counter},
      {&S::replies_too_large, "datagram", "replies_too_large", K::counter},
      {&S::denied, "datagram", "denied", K::counter},
      {&S::unaddressable, "datagram", "unaddressable", K::counter},
      {&S::send_timeouts, "datagram", "send_timeouts", K::counter},
      {&S::send_errors, "datagram", "send_errors", K::counter},
      {&S::send_denied, "datagram", "send_denied", K::counter},
      {&S::replies_delayed, "datagram", "replies_delayed", K::counter},
      {&S::replies_over_quota, "datagram", "replies_over_quota", K::counter},
      {&S::processes, "core", "processes", K::gauge},
      {&S::worker_restarts, "core", "worker_restarts", K::counter},
      {&S::started_at, "core", "started_at", K::gauge},
  };
  ServerStatistics ids{};
  for (const Entry& entry : kEntries) {
    auto id = statistics.define(entry.group, entry.name, entry.kind);
    if (!id) return id.error();
    ids.*entry.field = id.value();
  }
  return ids;
}

}  // namespace mid::transport

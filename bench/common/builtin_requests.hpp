#pragma once

#include <cstdlib>
#include <memory>
#include <string_view>

#include "builtin_world.hpp"
#include "transport/server_statistics.hpp"

// What the request-path benchmarks ask, and of what (docs/PERFORMANCE.md).
namespace mid::bench {

// The requests the benchmarks compare, and their labels: four in text,
// then two of them in JSON-RPC as opensips-cli sends them.
inline constexpr std::string_view kRequests[] = {
    ":version:\n",
    ":uptime:\n",
    ":get_statistics:\ncore:\n",
    ":get_statistics:\nall\n",
    R"({"jsonrpc": "2.0", "id": "29963", "method": "uptime", "params": {}})",
    R"({"jsonrpc": "2.0", "id": "1065", "method": "get_statistics", "params": [["core:"]]})",
};
inline constexpr const char* kRequestNames[] = {"version",
                                                "uptime",
                                                "get_statistics core:",
                                                "get_statistics all",
                                                "json uptime",
                                                "json get_statistics core:"};
// The text requests (the first four); the JSON ones follow.
inline constexpr int kTextRequests = 4;

// The daemon's own statistics, then the built-ins, as mi-datagramd has
// them. False if either could not be registered.
inline bool start_as_daemon(support::BuiltinWorld& world) {
  return transport::define_server_statistics(world.statistics).ok() &&
         world.start("mi-datagram 0.1.0");
}

// One such world per benchmark program, made at its first use.
inline support::BuiltinWorld& daemon_world() {
  static const auto kWorld = [] {
    auto made = std::make_unique<support::BuiltinWorld>();
    if (!start_as_daemon(*made)) std::abort();
    return made;
  }();
  return *kWorld;
}

}  // namespace mid::bench

#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

#include "mi/builtin/environment.hpp"
#include "mi/dispatch.hpp"
#include "mi/registry.hpp"
#include "stats/shared_state.hpp"
#include "stats/statistics.hpp"
#include "transport/server_statistics.hpp"

// The daemon's request path without sockets: the built-in commands over
// the daemon's own statistics, as app::Runtime builds them, with a fixed
// clock. Shared by the benchmarks and the allocation test. Large (the
// statistics and the workspace are about 1.5 MiB): keep it on the heap.
namespace mid::bench {

inline std::int64_t fixed_clock() noexcept {
  return 1'790'000'000;
}

struct BuiltinFixture {
  stats::SharedState shared;
  stats::Statistics statistics{shared.values};
  mi::builtin::Environment environment;
  mi::Registry registry;
  std::unique_ptr<mi::Workspace> workspace = std::make_unique<mi::Workspace>();

  // False if the statistics or the commands could not be registered.
  bool set_up() {
    if (!transport::define_server_statistics(statistics)) return false;
    environment.server = "mi-datagram 0.1.0";
    environment.started_at = fixed_clock() - 3600;
    environment.clock = fixed_clock;
    environment.working_directory = "/";
    environment.arguments = {"mi-datagramd", "--foreground"};
    environment.statistics = &statistics;
    environment.shared = &shared;
    environment.registry = &registry;
    shared.processes[0].pid = 1;
    shared.processes[0].role = stats::ProcessRole::master;
    shared.processes[1].pid = 2;
    shared.processes[1].role = stats::ProcessRole::worker;
    return mi::builtin::register_builtins(registry, environment).ok();
  }

  mi::Handled handle(std::string_view datagram) noexcept {
    return mi::handle_datagram(datagram, registry, *workspace, "\t");
  }
};

}  // namespace mid::bench

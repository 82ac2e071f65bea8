#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/log_level.hpp"
#include "mi/builtin/environment.hpp"
#include "mi/registry.hpp"
#include "request/request_path.hpp"
#include "stats/shared_state.hpp"
#include "stats/statistics.hpp"

// The daemon's request path without sockets: the built-in commands over
// real statistics and shared state, as app::Runtime builds them, with a
// clock the caller sets. Shared by the benchmarks, the allocation test,
// the request-path fuzz harness and the built-in command tests (never
// installed). Large (statistics and workspace are about 1.5 MiB): keep
// it on the heap.
namespace mid::support {

struct BuiltinWorld {
  static constexpr std::int64_t kDefaultNow = 1'790'000'000;  // Mon Sep 21 14:13:20 2026 UTC
  // The built-ins' clock: seconds since the epoch, as the caller sets it.
  static inline std::int64_t now = kDefaultNow;
  static std::int64_t clock() noexcept { return now; }

  stats::SharedState shared;
  stats::Statistics statistics{shared.values};
  mi::builtin::Environment environment;
  mi::Registry registry;
  std::unique_ptr<request::Workspace> workspace = std::make_unique<request::Workspace>();

  // Registers the built-ins for a server called `server`, started an hour
  // before `now`, with a master and one worker in the process table.
  // Define statistics and set environment fields (kill_enabled) first.
  // False if a command could not be registered.
  bool start(std::string server) {
    environment.server = std::move(server);
    environment.started_at = now - 3600;
    environment.clock = clock;
    environment.working_directory = "/";
    environment.arguments = {"mi-datagramd", "--foreground"};
    environment.statistics = &statistics;
    environment.shared = &shared;
    environment.registry = &registry;
    fill_process_table();
    return mi::builtin::register_builtins(registry, environment).ok();
  }

  // The shared state as start() left it, every value 0: each fuzz input
  // starts from the same state, so a finding replays alone.
  void reset_shared() noexcept {
    for (auto& value : shared.values) value.store(0, std::memory_order_relaxed);
    shared.log_level = static_cast<int>(core::LogLevel::notice);  // SharedState's default
    shared.stop_requested = false;
    fill_process_table();
  }

  request::Handled handle(std::string_view datagram, std::string_view indent = "\t") noexcept {
    return request::handle_datagram(datagram, registry, *workspace, indent);
  }

 private:
  void fill_process_table() noexcept {
    shared.processes[0].pid = 1;
    shared.processes[0].role = stats::ProcessRole::master;
    shared.processes[1].pid = 2;
    shared.processes[1].role = stats::ProcessRole::worker;
  }
};

}  // namespace mid::support

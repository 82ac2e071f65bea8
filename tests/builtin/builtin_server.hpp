#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "mi/builtin/environment.hpp"
#include "mi/dispatch.hpp"
#include "mi/registry.hpp"
#include "stats/shared_state.hpp"
#include "stats/statistics.hpp"

// The built-in commands over a few statistics and a clock the test sets,
// answering through the whole request path (mi::handle_datagram).
namespace mid::mi::test {

struct BuiltinServer {
  static inline std::int64_t now = 1'790'000'000;  // Mon Sep 21 14:13:20 2026 UTC
  static std::int64_t clock() noexcept { return now; }

  std::unique_ptr<stats::SharedState> shared = std::make_unique<stats::SharedState>();
  stats::Statistics statistics{shared->values};
  builtin::Environment environment;
  Registry registry;
  std::unique_ptr<Workspace> workspace = std::make_unique<Workspace>();

  // Statistics first: the commands list them in definition order.
  void start() {
    environment.server = "mi-datagram test";
    environment.started_at = now - 3600;
    environment.clock = clock;
    environment.statistics = &statistics;
    environment.shared = shared.get();
    environment.registry = &registry;
    if (!builtin::register_builtins(registry, environment).ok()) std::abort();
  }

  stats::StatId define(std::string_view group, std::string_view name, stats::Kind kind,
                       std::uint64_t value) {
    const auto id = statistics.define(group, name, kind);
    if (!id) std::abort();
    statistics.set(id.value(), value);
    return id.value();
  }

  std::string ask(std::string_view request) {
    return std::string(handle_datagram(request, registry, *workspace, "\t").reply);
  }
};

}  // namespace mid::mi::test

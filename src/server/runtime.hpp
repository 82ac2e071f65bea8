#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "mi/builtin/environment.hpp"
#include "mi/registry.hpp"
#include "stats/shared_state.hpp"
#include "stats/statistics.hpp"
#include "transport/reply_ledger.hpp"
#include "transport/server_statistics.hpp"
#include "transport/socket_setup.hpp"
#include "transport/worker.hpp"

// What the daemon builds before it forks: the statistics over shared
// memory, the command registry and what the built-in commands read.
// Lives for the whole process; the workers inherit it through fork.
namespace mid::server {

class Runtime {
 public:
  // Dies (exit 1) if the statistics or the commands cannot be registered.
  Runtime(const config::Config& config, stats::SharedState* shared,
          std::vector<std::string> arguments);
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  [[nodiscard]] transport::WorkerSetup worker_setup(const transport::ListeningSocket& socket);
  [[nodiscard]] const std::string& socket_text() const noexcept { return socket_text_; }
  [[nodiscard]] mi::Registry& registry() noexcept { return registry_; }
  [[nodiscard]] stats::Statistics& statistics() noexcept { return statistics_; }

 private:
  const config::Config& config_;
  stats::SharedState* shared_;
  stats::Statistics statistics_;
  transport::ServerStatistics ids_{};
  mi::builtin::Environment environment_;
  mi::Registry registry_;
  std::string socket_text_;
  unsigned receiver_queue_limit_ =
      transport::unix_receiver_queue_limit();  // read before the sandbox
};

}  // namespace mid::server

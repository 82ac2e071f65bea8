#include "server/runtime.hpp"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <ctime>

#include "core/version.hpp"
#include "log/log.hpp"

namespace mid::server {
namespace {

std::int64_t wall_clock() noexcept {
  return static_cast<std::int64_t>(std::time(nullptr));
}

std::string working_directory() {
  std::array<char, 4096> path{};
  return getcwd(path.data(), path.size()) != nullptr ? std::string(path.data()) : std::string("?");
}

}  // namespace

Runtime::Runtime(const config::Config& config, stats::SharedState* shared,
                 std::vector<std::string> arguments)
    : config_(config), shared_(shared), statistics_(shared->values) {
  shared_->log_level.store(config.log_level);
  auto ids = transport::define_server_statistics(statistics_);
  if (!ids) {
    MID_LOG(error, "cannot define the server's statistics");
    std::exit(1);
  }
  ids_ = ids.value();
  statistics_.set(ids_.started_at, static_cast<std::uint64_t>(wall_clock()));

  environment_.server = std::string("mi-datagram ") + core::kVersion;
  environment_.started_at = wall_clock();
  environment_.clock = wall_clock;
  environment_.working_directory = working_directory();
  environment_.arguments = std::move(arguments);
  environment_.statistics = &statistics_;
  environment_.shared = shared_;
  environment_.kill_enabled = config.enable_kill;
  environment_.registry = &registry_;
  if (auto added = mi::builtin::register_builtins(registry_, environment_); !added) {
    MID_LOG(error, "cannot register the built-in commands: %s",
            core::to_string(added.error().code).data());
    std::exit(1);
  }
  socket_text_ = config::format_socket_address(*config.socket_name);
}

transport::WorkerSetup Runtime::worker_setup(const transport::ListeningSocket& socket) {
  transport::WorkerSetup setup;
  setup.socket_fd = socket.fd();
  setup.is_unix = socket.is_unix();
  setup.config = &config_;
  setup.registry = &registry_;
  setup.statistics = &statistics_;
  setup.ids = &ids_;
  setup.shared = shared_;
  setup.receiver_queue_limit = receiver_queue_limit_;
  return setup;
}

}  // namespace mid::server

#include "server/server.hpp"

#include <optional>

#include "log/log.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/seccomp.hpp"
#include "server/process_setup.hpp"
#include "server/runtime.hpp"
#include "stats/shared_memory.hpp"
#include "transport/socket_activation.hpp"
#include "transport/socket_setup.hpp"
#include "transport/supervisor.hpp"

namespace mid::server {

struct Server::State {
  State(config::Config c, Options o)
      : config(std::move(c)),
        options(std::move(o)),
        shared(stats::create_shared_state_or_die()),
        runtime(config, shared, options.arguments) {}
  config::Config config;
  Options options;
  stats::SharedState* shared;
  Runtime runtime;
};

Server::Server(config::Config config, Options options) {
  start_logging(config, options.foreground, options.log_ident.c_str());
  warn_about_weakened_settings(config);
  state_ = std::make_unique<State>(std::move(config), std::move(options));
}

Server::~Server() = default;

mi::Registry& Server::commands() noexcept {
  return state_->runtime.registry();
}
stats::Statistics& Server::statistics() noexcept {
  return state_->runtime.statistics();
}
const config::Config& Server::config() const noexcept {
  return state_->config;
}

// The order is the security property: everything that needs privileges or
// the name service happens first, then the privileges go, then the
// master's filter, then the workers are forked, and each narrows the
// filter before it reads a single datagram.
int Server::run() {
  const config::Config& config = state_->config;

  // 1. The socket, with its mode, owner and group; or the one a service
  //    manager bound and passed (socket activation), served as it is.
  const std::optional<int> passed = transport::take_listen_fds();
  const bool activated = !passed || *passed != 0;
  transport::ListeningSocket socket =
      activated ? transport::adopt_activated_socket_or_die(config, passed.value_or(-1))
                : transport::bind_listening_socket_or_die(config);
  transport::prepare_ready_notification();
  if (!state_->options.foreground) detach_or_die();

  // 2. Privileges: from here on nothing runs as root (unless user = root
  //    was asked for explicitly) and no capability is left.
  drop_privileges_or_die(config);
  if (sandbox::limit_resources_or_die() == sandbox::FileSizeLimit::left_alone) {
    MID_LOG(info, "RLIMIT_FSIZE left as it is: standard output or error is a regular file");
  }

  // 3. The master's filter; each worker stacks its narrower one on top.
  const sandbox::Mode mode = sandbox_mode(config);
  if (mode != sandbox::Mode::off) sandbox::apply_seccomp_or_die(sandbox::Role::master, mode);

  // 4. Fork and supervise the workers.
  transport::SupervisorSetup setup;
  setup.workers = config.children_count;
  setup.worker = state_->runtime.worker_setup(socket);
  setup.socket = activated ? nullptr : &socket;  // the manager's socket stays at stop
  if (mode != sandbox::Mode::off) {
    setup.confine_worker = [mode] { sandbox::apply_seccomp_or_die(sandbox::Role::worker, mode); };
  }
  transport::take_master_signals();
  MID_LOG(notice, "serving %s with %u worker%s", state_->runtime.socket_text().c_str(),
          config.children_count, config.children_count == 1 ? "" : "s");
  transport::notify_ready();
  return transport::supervise(setup);
}

}  // namespace mid::server

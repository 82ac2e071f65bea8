// mi-datagramd: the startup sequence, and nothing else. The order is the
// security property: everything that needs privileges or the name service
// happens first (configuration, names, bind, chown), then the privileges
// go, then the master's seccomp filter, then the workers are forked, and
// each narrows the filter further before it reads a single datagram.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "app/daemon_config.hpp"
#include "app/daemon_options.hpp"
#include "app/daemon_runtime.hpp"
#include "core/version.hpp"
#include "log/log.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/privileges.hpp"
#include "sandbox/seccomp.hpp"
#include "stats/shared_memory.hpp"
#include "transport/socket_setup.hpp"
#include "transport/supervisor.hpp"

using namespace mid;

int main(int argc, char** argv) {
  app::DaemonOptions options;
  std::string usage_error;
  if (!app::parse_daemon_options(argc, argv, options, usage_error)) {
    std::fprintf(stderr, "mi-datagramd: %s\nTry 'mi-datagramd --help'.\n", usage_error.c_str());
    return 2;
  }
  if (options.help) return std::fputs(app::daemon_usage(), stdout) < 0 ? 1 : 0;
  if (options.version) return std::printf("mi-datagramd %s\n", core::kVersion) < 0 ? 1 : 0;

  // 1. Configuration: parsed, validated and every name resolved to a
  //    number, before anything is bound.
  const config::Config config = app::load_daemon_config_or_die(options);
  if (options.check_config) return app::print_checked_config(config);
  app::start_logging(config, options.foreground);
  app::warn_about_weakened_settings(config);

  // 2. Shared state, statistics and commands, while allocation is free.
  stats::SharedState* shared = stats::create_shared_state_or_die();
  app::Runtime runtime(config, shared, argc, argv);

  // 3. The socket, with its mode, owner and group.
  transport::ListeningSocket socket = transport::bind_listening_socket_or_die(config);
  if (!options.foreground) app::detach_or_die();

  // 4. Privileges: from here on nothing runs as root (unless user = root
  //    was asked for explicitly) and no capability is left.
  app::drop_privileges_or_die(config);
  if (sandbox::limit_resources_or_die() == sandbox::FileSizeLimit::left_alone) {
    MID_LOG(info, "RLIMIT_FSIZE left as it is: standard output or error is a regular file");
  }

  // 5. The master's filter; each worker stacks its narrower one on top.
  const auto mode = app::sandbox_mode(config);
  if (mode != sandbox::Mode::off) sandbox::apply_seccomp_or_die(sandbox::Role::master, mode);

  // 6. Fork and supervise the workers.
  transport::SupervisorSetup setup;
  setup.workers = config.children_count;
  setup.worker = runtime.worker_setup(socket);
  setup.socket = &socket;
  if (mode != sandbox::Mode::off) {
    setup.confine_worker = [mode] { sandbox::apply_seccomp_or_die(sandbox::Role::worker, mode); };
  }
  MID_LOG(notice, "serving %s with %u worker%s", runtime.socket_text().c_str(),
          config.children_count, config.children_count == 1 ? "" : "s");
  return transport::supervise(setup);
}

// mi-datagramd: the reference daemon. Its main reads the command line and
// the configuration; the startup sequence itself (bind, drop, filter,
// fork, supervise) is server::Server::run, shared with every embedder.

#include <cstdio>

#include "app/daemon_config.hpp"
#include "app/daemon_options.hpp"
#include "core/version.hpp"
#include "server/process_setup.hpp"
#include "server/server.hpp"
#include "transport/socket_activation.hpp"

using namespace mid;

int main(int argc, char** argv) {
  // Before anything else: whatever descriptors the daemon was started with
  // (a shell's `7<secret`) must not reach the sandboxed workers; only the
  // sockets a service manager passed (from descriptor 3, announced by
  // LISTEN_PID/LISTEN_FDS, which are taken out of the environment here)
  // stay, for Server::run to check and serve.
  const int passed = transport::take_listen_fds().value_or(0);
  server::close_inherited_descriptors_or_die(transport::kListenFdsStart + passed);
  app::DaemonOptions options;
  std::string usage_error;
  if (!app::parse_daemon_options(argc, argv, options, usage_error)) {
    (void)std::fprintf(stderr, "mi-datagramd: %s\nTry 'mi-datagramd --help'.\n",
                       usage_error.c_str());
    return 2;
  }
  if (options.help) return std::fputs(app::daemon_usage(), stdout) < 0 ? 1 : 0;
  if (options.version) return std::printf("mi-datagramd %s\n", core::kVersion) < 0 ? 1 : 0;

  // Parsed, validated and every name resolved before anything is bound.
  config::Config config = app::load_daemon_config_or_die(options);
  if (options.check_config) return app::print_checked_config(config);

  server::Server server(std::move(config),
                        server::Options{options.foreground, "mi-datagramd",
                                        std::vector<std::string>(argv, argv + argc)});
  return server.run();
}

// mi-echo-server: the load benchmark's baseline. mi-datagramd's startup
// sequence, socket set-up, workers, supervisor and sandbox, step for step,
// with the MI request path replaced by a do-nothing answer (through
// transport::WorkerSetup::answer) that echoes the request's bytes back.
// The difference between the two under the same load is what parsing,
// running and printing cost.

#include <array>
#include <cstdio>
#include <cstring>

#include "app/daemon_config.hpp"
#include "app/daemon_options.hpp"
#include "log/log.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/seccomp.hpp"
#include "server/process_setup.hpp"
#include "server/runtime.hpp"
#include "stats/shared_memory.hpp"
#include "transport/socket_setup.hpp"
#include "transport/supervisor.hpp"

using namespace mid;

namespace {

// Echoes the request (copied, as a reply built in the workspace would
// be). An empty datagram gets "200 OK\n" so the reply is never empty.
request::Handled echo(std::string_view datagram) noexcept {
  static std::array<char, core::kMaxDatagram> reply;
  static constexpr std::string_view kOk = "200 OK\n";
  const std::string_view source = datagram.empty() ? kOk : datagram;
  const std::size_t size = source.size() < reply.size() ? source.size() : reply.size();
  std::memcpy(reply.data(), source.data(), size);
  return request::Handled{.reply = {reply.data(), size}, .outcome = request::Outcome::ok};
}

}  // namespace

// server::Server::run's sequence, step for step (it has no answer hook of
// its own: the echo is a benchmark, not something to offer embedders).
int main(int argc, char** argv) {
  app::DaemonOptions options;
  std::string usage_error;
  if (!app::parse_daemon_options(argc, argv, options, usage_error)) {
    std::fprintf(stderr, "mi-echo-server: %s\n", usage_error.c_str());
    return 2;
  }
  if (options.help) {
    std::fputs("mi-echo-server: mi-datagramd's options; every reply echoes the request.\n\n",
               stdout);
    return std::fputs(app::daemon_usage(), stdout) < 0 ? 1 : 0;
  }
  const config::Config config = app::load_daemon_config_or_die(options);
  server::start_logging(config, options.foreground, "mi-echo-server");
  server::warn_about_weakened_settings(config);
  stats::SharedState* shared = stats::create_shared_state_or_die();
  server::Runtime runtime(config, shared, std::vector<std::string>(argv, argv + argc));

  transport::ListeningSocket socket = transport::bind_listening_socket_or_die(config);
  if (!options.foreground) server::detach_or_die();
  server::drop_privileges_or_die(config);
  (void)sandbox::limit_resources_or_die();
  const sandbox::Mode mode = server::sandbox_mode(config);
  if (mode != sandbox::Mode::off) sandbox::apply_seccomp_or_die(sandbox::Role::master, mode);

  transport::SupervisorSetup setup;
  setup.workers = config.children_count;
  setup.worker = runtime.worker_setup(socket);
  setup.worker.answer = echo;
  setup.socket = &socket;
  if (mode != sandbox::Mode::off) {
    setup.confine_worker = [mode] { sandbox::apply_seccomp_or_die(sandbox::Role::worker, mode); };
  }
  MID_LOG(notice, "echo serving %s with %u worker%s", runtime.socket_text().c_str(),
          config.children_count, config.children_count == 1 ? "" : "s");
  return transport::supervise(setup);
}

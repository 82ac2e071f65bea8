#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "mi/registry.hpp"
#include "stats/statistics.hpp"

// An MI datagram endpoint, for mi-datagramd and for any daemon that embeds
// one with its own commands and statistics:
//
//   mid::server::Server server(config, {.foreground = true});
//   auto calls = server.statistics().define("myapp", "calls", mid::stats::Kind::counter);
//   server.commands().add({"hello", "says hello", mid::mi::kNoArguments, handler});
//   return server.run();
//
// Handlers run in the worker processes, unprivileged and under the worker's
// seccomp filter (policy/worker.policy): a handler must not open files,
// create sockets or fork. Run with `sandbox = trap` to see which system call
// a handler would need.
namespace mid::server {

struct Options {
  bool foreground = true;                  // false: detach and log to syslog
  std::string log_ident = "mi-datagramd";  // the name in every log line
  std::vector<std::string> arguments;      // the command line, for the `arg` command
};

class Server {
 public:
  // Creates the shared memory, the server's own statistics and the
  // built-in commands. Binds nothing. Ends the process (exit 1) if they
  // cannot be created.
  Server(config::Config config, Options options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Register commands and statistics before run(); both are read-only
  // afterwards. Duplicate names are refused with Errc::duplicate_name.
  [[nodiscard]] mi::Registry& commands() noexcept;
  [[nodiscard]] stats::Statistics& statistics() noexcept;
  [[nodiscard]] const config::Config& config() const noexcept;

  // The startup sequence, in the order that makes it safe: bind the socket
  // (mode, owner, group), detach unless foreground, drop privileges and
  // capabilities, set resource limits, load the master's seccomp filter,
  // fork the workers (each loads its own, narrower filter) and supervise
  // them. Returns the exit status: 0 after a requested stop, 1 when no
  // worker could be kept alive. Setup failures end the process (exit 1)
  // with a message naming what failed: a partial sandbox never runs.
  // Call it while the process is single-threaded: the socket set-up
  // changes the umask for the length of bind(2).
  int run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mid::server

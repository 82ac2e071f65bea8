#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

// End-to-end test support: the real mi-datagramd binary started as a real
// process with a real configuration file, and real datagrams to it.
namespace mid::e2e {

// A private directory under /tmp, owned by root (the suite runs as root)
// with mode 0755: a directory the daemon accepts for its socket, which
// every uid may search. The daemon, once it runs as nobody, cannot remove
// its socket there at stop (a test that needs that makes a subdirectory
// owned by the socket's configured owner).
class Scratch {
 public:
  Scratch();
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  [[nodiscard]] std::string path(const std::string& name) const { return dir_ + "/" + name; }
  [[nodiscard]] const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

struct RunResult {
  int exit_status = -1;  // WEXITSTATUS, or 128 + signal
  std::string output;    // stdout and stderr together
};

// Runs a program to completion (at most `limit`), capturing its output.
RunResult run_program(const std::vector<std::string>& argv,
                      std::chrono::milliseconds limit = std::chrono::seconds(20),
                      const std::string& stdin_text = "");

class Daemon {
 public:
  // Writes `config_text` to a file in `scratch` and starts
  // `mi-datagramd --foreground --config FILE`, then waits until the master logs
  // that it serves (or the process exits). With MID_E2E_STRACE_DIR=DIR in
  // the environment the daemon runs under `strace -f -ff`, its processes
  // traced to DIR/<strace pid>/trace.<pid> (tests/sandbox/policy_coverage.sh);
  // pid() is the daemon's own pid in both cases.
  Daemon(const Scratch& scratch, const std::string& config_text,
         std::vector<std::string> extra_args = {});
  ~Daemon();  // SIGTERM, then SIGKILL after 5 s
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] bool running();
  // Sends SIGTERM and waits; returns the exit status (or 128 + signal).
  int stop(int signal_number = 15);
  // Waits for the process to exit on its own (at most `limit`).
  std::optional<int> wait_exit(std::chrono::milliseconds limit);
  [[nodiscard]] std::string log() const;  // what it wrote to stderr so far
  [[nodiscard]] const std::string& socket() const { return socket_; }

 private:
  std::string socket_;
  std::string log_path_;
  pid_t child_ = -1;  // the process forked here: the daemon, or strace running it
  pid_t pid_ = -1;    // the daemon's master
  int status_ = -1;
};

// One request/reply exchange from a fresh client socket (UNIX: autobound
// abstract address, connected to the server). Returns the reply, or
// nullopt on timeout.
std::optional<std::string> ask(const std::string& socket_name, const std::string& request,
                               std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Reads lines starting with `key` from /proc/PID/status ("Uid:" ...).
std::string proc_status_line(pid_t pid, const std::string& key);

// True once PID has exited: no such process, or a zombie (an orphan waits
// for whoever adopted it to reap it, which is not this test's doing).
bool has_exited(pid_t pid);

// Pids from a `ps` reply.
std::vector<pid_t> pids_from_ps(const std::string& reply);

// Asks `ps` until it lists `count` processes (the master registers each
// worker right after forking it), at most a few seconds; returns the pids.
std::vector<pid_t> wait_for_processes(const std::string& socket_name, std::size_t count);

// The value of "group:name:: N" in a get_statistics reply, or -1.
long long statistic(const std::string& reply, const std::string& full_name);

// A UDP port nothing is bound to right now on the loopback address, so
// parallel test runs do not collide on a fixed port.
unsigned free_udp_port(bool v6);

std::string daemon_path();
std::string client_path();

}  // namespace mid::e2e

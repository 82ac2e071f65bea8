#include "transport/supervisor.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "log/log.hpp"
#include "sandbox/signals.hpp"

namespace mid::transport {
namespace {

constexpr std::int64_t kFastFailureMs = 1000;
constexpr std::int64_t kFirstBackoffMs = 100;
constexpr std::int64_t kMaxBackoffMs = 5000;
constexpr std::int64_t kStopGraceMs = 2000;

std::int64_t now_ms() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

struct Slot {
  pid_t pid = 0;
  std::int64_t started_ms = 0;
  std::int64_t restart_at_ms = 0;  // when pid == 0 and not given up
  int fast_failures = 0;
  bool given_up = false;
};

// The signals the master acts on, taken only through sigtimedwait.
sigset_t master_signals() noexcept {
  sigset_t set;
  sigemptyset(&set);
  for (const int signal : {SIGCHLD, SIGTERM, SIGINT, SIGQUIT, SIGHUP}) sigaddset(&set, signal);
  return set;
}

class Supervisor {
 public:
  explicit Supervisor(const SupervisorSetup& setup) noexcept : setup_(setup) {}
  int run() noexcept;

 private:
  void start(std::size_t index) noexcept;
  [[noreturn]] void become_worker(std::size_t index) noexcept;
  void reap() noexcept;
  void on_exit(Slot& slot, std::size_t index, int status) noexcept;
  void start_due() noexcept;
  [[nodiscard]] bool all_given_up() const noexcept;
  [[nodiscard]] std::int64_t next_deadline_ms() const noexcept;
  void update_gauge() noexcept;
  int stop(int status) noexcept;

  const SupervisorSetup& setup_;
  std::array<Slot, stats::kMaxProcesses - 1> slots_{};
  pid_t master_pid_ = 0;
};

int Supervisor::run() noexcept {
  master_pid_ = getpid();
  setup_.worker.shared->processes[0].pid.store(master_pid_);
  setup_.worker.shared->processes[0].role.store(stats::ProcessRole::master);
  take_master_signals();
  const sigset_t waited = master_signals();
  // Counted before the forks: a worker may answer before the master runs again.
  setup_.worker.statistics->set(setup_.worker.ids->processes, 1 + setup_.workers);
  for (std::size_t i = 0; i < setup_.workers; ++i) start(i);
  update_gauge();

  for (;;) {
    const std::int64_t deadline = next_deadline_ms();
    const std::int64_t wait_ms =
        deadline < 0 ? 60000 : std::max<std::int64_t>(0, deadline - now_ms());
    const timespec timeout{static_cast<time_t>(wait_ms / 1000),
                           static_cast<long>(wait_ms % 1000) * 1000000};
    siginfo_t info{};
    const int signal = sigtimedwait(&waited, &info, &timeout);
    if (signal == SIGTERM || signal == SIGINT || signal == SIGQUIT) {
      MID_LOG(notice, "stopping on signal %d", signal);
      return stop(0);
    }
    if (signal == SIGHUP) MID_LOG(notice, "SIGHUP ignored: restart the daemon to reload");
    reap();
    if (setup_.worker.shared->stop_requested.load()) {
      MID_LOG(notice, "stopping: the kill command was run");
      return stop(0);
    }
    start_due();
    if (all_given_up()) {
      MID_LOG(error, "no worker can be kept alive; stopping");
      return stop(1);
    }
  }
}

void Supervisor::start(std::size_t index) noexcept {
  Slot& slot = slots_[index];
  const pid_t pid = fork();
  if (pid < 0) {
    MID_LOG(error, "fork failed: %s", std::strerror(errno));
    slot.fast_failures++;
    slot.restart_at_ms = now_ms() + kMaxBackoffMs;
    return;
  }
  if (pid == 0) become_worker(index);
  slot.pid = pid;
  slot.started_ms = now_ms();
  setup_.worker.shared->processes[index + 1].pid.store(pid);
  setup_.worker.shared->processes[index + 1].role.store(stats::ProcessRole::worker);
}

void Supervisor::become_worker(std::size_t index) noexcept {
  // A worker must not outlive its master (which would leave it serving
  // with nobody to restart or stop it).
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != master_pid_) _exit(0);
  // The master records the pid too, but this worker may answer `ps` first.
  setup_.worker.shared->processes[index + 1].pid.store(getpid());
  setup_.worker.shared->processes[index + 1].role.store(stats::ProcessRole::worker);
  std::array<char, 32> role{};
  (void)std::snprintf(role.data(), role.size(), "worker %zu", index + 1);
  log::set_role(role.data());
  // Stray signals (SIGHUP and SIGQUIT too, which are the master's) are
  // ignored before the worker's filter forbids rt_sigaction.
  sandbox::ignore_stray_signals_or_die(sandbox::SignalRole::worker);
  // The socket's directory is the master's, for the clean stop.
  if (setup_.socket != nullptr) setup_.socket->close_directory();
  sigset_t unblock;
  sigemptyset(&unblock);
  sigaddset(&unblock, SIGCHLD);
  sigprocmask(SIG_UNBLOCK, &unblock, nullptr);
  _exit(run_worker(setup_.worker, setup_.confine_worker));
}

void Supervisor::reap() noexcept {
  for (;;) {
    int status = 0;
    const pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (std::size_t i = 0; i < setup_.workers; ++i) {
      if (slots_[i].pid == pid) on_exit(slots_[i], i, status);
    }
  }
}

void Supervisor::on_exit(Slot& slot, std::size_t index, int status) noexcept {
  slot.pid = 0;
  setup_.worker.shared->processes[index + 1].pid.store(0);
  setup_.worker.shared->processes[index + 1].role.store(stats::ProcessRole::none);
  if (WIFSIGNALED(status)) {
    MID_LOG(error, "worker %zu died on signal %d%s", index + 1, WTERMSIG(status),
            WTERMSIG(status) == SIGSYS ? " (a system call outside the seccomp policy)" : "");
  } else {
    MID_LOG(warning, "worker %zu exited with status %d", index + 1, WEXITSTATUS(status));
  }
  const std::int64_t now = now_ms();
  slot.fast_failures = now - slot.started_ms < kFastFailureMs ? slot.fast_failures + 1 : 0;
  if (slot.fast_failures >= kMaxFastFailures) {
    slot.given_up = true;
    MID_LOG(error, "worker %zu failed %d times in a row; not restarting it", index + 1,
            slot.fast_failures);
    return;
  }
  std::int64_t backoff = slot.fast_failures == 0 ? 0 : kFirstBackoffMs;
  for (int i = 1; i < slot.fast_failures && backoff < kMaxBackoffMs; ++i) backoff *= 2;
  slot.restart_at_ms = now + std::min(backoff, kMaxBackoffMs);
  update_gauge();
}

void Supervisor::start_due() noexcept {
  const std::int64_t now = now_ms();
  bool started = false;
  for (std::size_t i = 0; i < setup_.workers; ++i) {
    Slot& slot = slots_[i];
    if (slot.pid != 0 || slot.given_up || slot.restart_at_ms > now) continue;
    start(i);
    if (slots_[i].pid != 0) {
      setup_.worker.statistics->add(setup_.worker.ids->worker_restarts);
      MID_LOG(notice, "worker %zu restarted", i + 1);
      started = true;
    }
  }
  if (started) update_gauge();
}

bool Supervisor::all_given_up() const noexcept {
  for (std::size_t i = 0; i < setup_.workers; ++i) {
    if (!slots_[i].given_up) return false;
  }
  return true;
}

std::int64_t Supervisor::next_deadline_ms() const noexcept {
  std::int64_t deadline = -1;
  for (std::size_t i = 0; i < setup_.workers; ++i) {
    const Slot& slot = slots_[i];
    if (slot.pid != 0 || slot.given_up) continue;
    if (deadline < 0 || slot.restart_at_ms < deadline) deadline = slot.restart_at_ms;
  }
  return deadline;
}

void Supervisor::update_gauge() noexcept {
  std::uint64_t alive = 1;
  for (std::size_t i = 0; i < setup_.workers; ++i) alive += slots_[i].pid != 0 ? 1U : 0U;
  setup_.worker.statistics->set(setup_.worker.ids->processes, alive);
}

// Stops every worker (SIGTERM, then SIGKILL after a grace period), then
// removes the socket file.
int Supervisor::stop(int status) noexcept {
  for (std::size_t i = 0; i < setup_.workers; ++i) {
    if (slots_[i].pid != 0) kill(slots_[i].pid, SIGTERM);
  }
  const std::int64_t deadline = now_ms() + kStopGraceMs;
  sigset_t child;
  sigemptyset(&child);
  sigaddset(&child, SIGCHLD);
  for (;;) {
    for (std::size_t i = 0; i < setup_.workers; ++i) {
      if (slots_[i].pid != 0 && waitpid(slots_[i].pid, nullptr, WNOHANG) == slots_[i].pid) {
        slots_[i].pid = 0;
      }
    }
    bool alive = false;
    for (std::size_t i = 0; i < setup_.workers; ++i) alive = alive || slots_[i].pid != 0;
    if (!alive) break;
    const std::int64_t left = deadline - now_ms();
    if (left <= 0) {
      for (std::size_t i = 0; i < setup_.workers; ++i) {
        if (slots_[i].pid != 0) kill(slots_[i].pid, SIGKILL);
      }
      while (waitpid(-1, nullptr, 0) > 0) {
      }
      break;
    }
    const timespec timeout{0, static_cast<long>(std::min<std::int64_t>(left, 100)) * 1000000};
    sigtimedwait(&child, nullptr, &timeout);
  }
  if (setup_.socket != nullptr && setup_.socket->is_unix()) {
    std::string error;
    if (!setup_.socket->remove_unix_path(error)) {
      MID_LOG(warning, "socket not removed: %s (the next start replaces a stale socket)",
              error.c_str());
    }
  }
  MID_LOG(notice, "stopped");
  return status;
}

}  // namespace

void take_master_signals() noexcept {
  // A stray signal from another process of the same uid must not end the
  // master (and leave the socket behind): only the ones below act.
  sandbox::ignore_stray_signals_or_die(sandbox::SignalRole::master);
  const sigset_t waited = master_signals();
  sigprocmask(SIG_BLOCK, &waited, nullptr);  // taken only through sigtimedwait
}

int supervise(const SupervisorSetup& setup) noexcept {
  Supervisor supervisor(setup);
  return supervisor.run();
}

}  // namespace mid::transport

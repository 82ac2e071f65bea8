#pragma once

#include <functional>

#include "transport/socket_setup.hpp"
#include "transport/worker.hpp"

// The master process: forks the workers, restarts one that dies (with a
// back-off, so a crash loop cannot become a fork storm), and on SIGTERM,
// SIGINT, SIGQUIT or a `kill` command stops them all and removes the
// socket. Every other signal that would end a process is ignored, in the
// master and in each worker (sandbox/signals.hpp).
namespace mid::transport {

struct SupervisorSetup {
  unsigned workers = 1;
  WorkerSetup worker;
  std::function<void()> confine_worker;  // loads the worker's seccomp filter
  ListeningSocket* socket = nullptr;     // removed (UNIX) at a clean stop
};

// A worker that dies within kFastFailure of its start counts as a fast
// failure; its restart waits 100 ms, doubling per fast failure up to 5 s.
// After kMaxFastFailures in a row the slot is given up; when every slot
// is given up, supervise() returns 1.
inline constexpr int kMaxFastFailures = 10;

// Ignores the master's stray signals and blocks the ones supervise() takes
// (SIGCHLD, SIGTERM, SIGINT, SIGQUIT, SIGHUP), so that from here a stop
// request waits for the master instead of ending it by default and leaving
// the socket behind. Call before saying the daemon serves (a log line,
// READY=1 to the service manager); supervise() calls it too.
void take_master_signals() noexcept;

// Returns the master's exit status: 0 after a requested stop, 1 when no
// worker could be kept alive.
int supervise(const SupervisorSetup& setup) noexcept;

}  // namespace mid::transport

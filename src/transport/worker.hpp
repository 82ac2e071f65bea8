#pragma once

#include <functional>
#include <string_view>

#include "config/config.hpp"
#include "mi/registry.hpp"
#include "request/request_path.hpp"
#include "stats/shared_state.hpp"
#include "stats/statistics.hpp"
#include "transport/server_statistics.hpp"

// One worker process: waits for datagrams on the shared listening socket,
// answers each one, and returns when told to stop.
namespace mid::transport {

struct WorkerSetup {
  int socket_fd = -1;
  bool is_unix = true;
  const config::Config* config = nullptr;  // indent, access lists
  const mi::Registry* registry = nullptr;
  stats::Statistics* statistics = nullptr;
  const ServerStatistics* ids = nullptr;
  // How many unread datagrams one receiving UNIX socket can hold
  // (unix_receiver_queue_limit(), read before the sandbox).
  unsigned receiver_queue_limit = 512;
  stats::SharedState* shared = nullptr;
  // Replaces the MI request path when set (the load benchmark's echo
  // server uses the same socket set-up and loop with a do-nothing answer).
  request::Handled (*answer)(std::string_view datagram) = nullptr;
};

// Prepares what the loop needs while the process may still allocate and
// create descriptors (epoll instance, workspace), then calls `confine`
// (which loads the worker's seccomp filter), then serves until SIGTERM,
// SIGINT, or a `kill` command. Returns the process exit status.
//
// One datagram wakes one worker instead of all of them (select() on a
// shared socket wakes every worker for every datagram): a worker with
// nothing of its own due waits in a blocking recvmmsg of one datagram on
// the shared socket (the kernel's receive wait is exclusive), one with a delayed
// reply or a reply retry due waits on its own epoll instance with
// EPOLLEXCLUSIVE on the socket. The blocking receive needs the socket's
// SO_RCVTIMEO set to at most kWorkerWaitBoundMs (listening sockets have
// it); without it the worker always waits in epoll. A stop signal is seen
// at once, or kWorkerWaitBoundMs later at most when it lands just before
// the receive's wait begins.
int run_worker(const WorkerSetup& setup, const std::function<void()>& confine) noexcept;

}  // namespace mid::transport

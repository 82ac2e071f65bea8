#include "transport/worker.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>

#include "core/limits.hpp"
#include "log/log.hpp"
#include "mi/dispatch.hpp"
#include "transport/access.hpp"
#include "transport/datagram_io.hpp"
#include "transport/pending_replies.hpp"

namespace mid::transport {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_stop_signal(int) {
  g_stop = 1;
}

class Worker final : public mi::AsyncReply {
 public:
  explicit Worker(const WorkerSetup& setup) noexcept : setup_(setup) {}
  bool prepare() noexcept;
  int serve() noexcept;

  // mi::AsyncReply: defers the reply to the request being answered.
  bool complete_after(std::uint32_t delay_ms, Completion completion) noexcept override {
    return current_peer_ != nullptr &&
           pending_.add(*current_peer_, delay_ms, std::move(completion));
  }

 private:
  void drain() noexcept;
  void answer(std::size_t size, const Peer& peer) noexcept;
  void complete_pending() noexcept;
  void send(const mi::Handled& handled, const Peer& peer) noexcept;
  bool admitted(const Peer& peer) noexcept;
  void count(const mi::Handled& handled) noexcept;
  void follow_shared_log_level() noexcept;

  const WorkerSetup& setup_;
  int epoll_fd_ = -1;
  sigset_t wait_mask_{};
  std::unique_ptr<mi::Workspace> workspace_;
  std::unique_ptr<std::array<char, core::kReceiveBuffer>> receive_buffer_;
  SlowPeer slow_peer_;
  PendingReplies pending_;
  const Peer* current_peer_ = nullptr;  // set while a request is dispatched
};

bool Worker::prepare() noexcept {
  workspace_.reset(new (std::nothrow) mi::Workspace);
  receive_buffer_.reset(new (std::nothrow) std::array<char, core::kReceiveBuffer>);
  if (!workspace_ || !receive_buffer_) return false;

  // SIGTERM and SIGINT are blocked except inside epoll_pwait, so a stop
  // request can never slip in between the flag check and the wait.
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigprocmask(SIG_BLOCK, &blocked, &wait_mask_);
  sigdelset(&wait_mask_, SIGTERM);
  sigdelset(&wait_mask_, SIGINT);

  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) return false;
  epoll_event event{};
  event.events = EPOLLIN | EPOLLEXCLUSIVE;
  event.data.fd = setup_.socket_fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, setup_.socket_fd, &event) != 0) return false;
  // The async replies' timer is this worker's own: no EPOLLEXCLUSIVE.
  if (!pending_.open()) return false;
  epoll_event timer{};
  timer.events = EPOLLIN;
  timer.data.fd = pending_.fd();
  return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, pending_.fd(), &timer) == 0;
}

int Worker::serve() noexcept {
  while (g_stop == 0 && !setup_.shared->stop_requested.load(std::memory_order_relaxed)) {
    std::array<epoll_event, 2> events{};
    const int ready =
        epoll_pwait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1, &wait_mask_);
    if (ready < 0 && errno != EINTR) {
      MID_LOG(error, "epoll_pwait failed: %s", std::strerror(errno));
      return 1;
    }
    for (int i = 0; i < ready; ++i) {
      if (events[static_cast<std::size_t>(i)].data.fd == pending_.fd()) {
        complete_pending();
      } else {
        drain();
      }
    }
  }
  if (pending_.size() > 0) {
    MID_LOG(notice, "stopping with %zu async replies not sent", pending_.size());
  }
  return 0;
}

void Worker::complete_pending() noexcept {
  pending_.run_due([this](const Peer& peer, Completion& completion) {
    workspace_->tree.clear();
    mi::CommandReply status{500, "command failed"};
    try {
      status = completion(workspace_->tree, workspace_->reason);
    } catch (...) {
      workspace_->tree.clear();
    }
    const mi::Handled handled =
        mi::print_completion(status, *workspace_, setup_.config->reply_indent);
    count(handled);
    send(handled, peer);
  });
}

// Answers every datagram already queued: under load one wake-up serves
// many requests, and a worker never sleeps while work is waiting.
void Worker::drain() noexcept {
  follow_shared_log_level();
  for (;;) {
    Peer peer;
    const Received received = receive_datagram(setup_.socket_fd, *receive_buffer_, peer);
    if (received.status == ReceiveStatus::empty) return;
    if (received.status == ReceiveStatus::interrupted) {
      if (g_stop != 0) return;
      continue;
    }
    if (received.status == ReceiveStatus::failed) {
      MID_LOG(warning, "recvmsg failed: %s", std::strerror(errno));
      return;
    }
    answer(received.size, peer);
    if (g_stop != 0 || setup_.shared->stop_requested.load(std::memory_order_relaxed)) return;
  }
}

void Worker::answer(std::size_t size, const Peer& peer) noexcept {
  stats::Statistics& statistics = *setup_.statistics;
  const ServerStatistics& ids = *setup_.ids;
  statistics.add(ids.requests);
  statistics.add(ids.bytes_in, size);
  if (!admitted(peer)) return;
  if (!peer.addressable()) {
    statistics.add(ids.unaddressable);
    MID_LOG(debug, "request from an unbound UNIX socket: no address to reply to");
    return;
  }
  // A datagram over the limit is handed over as its first limit + 1 bytes
  // (all the buffer holds), which the parser rejects as too large: it is
  // never parsed cut to the limit.
  const std::size_t seen = size < receive_buffer_->size() ? size : receive_buffer_->size();
  const std::string_view datagram(receive_buffer_->data(), seen);
  current_peer_ = &peer;
  const mi::Handled handled = setup_.answer != nullptr
                                  ? setup_.answer(datagram, *workspace_)
                                  : mi::handle_datagram(datagram, *setup_.registry, *workspace_,
                                                        setup_.config->reply_indent, this);
  current_peer_ = nullptr;
  count(handled);
  if (handled.outcome == mi::Outcome::deferred) return;
  send(handled, peer);
}

void Worker::send(const mi::Handled& handled, const Peer& peer) noexcept {
  stats::Statistics& statistics = *setup_.statistics;
  const ServerStatistics& ids = *setup_.ids;
  // The clock is read only while a slow peer is remembered.
  const bool known_slow = slow_peer_.active() && slow_peer_.is(peer, monotonic_ms());
  switch (send_reply(setup_.socket_fd, handled.reply, peer, !known_slow)) {
    case SendStatus::sent:
      if (known_slow) slow_peer_.forget();
      statistics.add(ids.replies);
      statistics.add(ids.bytes_out, handled.reply.size());
      return;
    case SendStatus::timed_out:
      if (!known_slow) slow_peer_.remember(peer, monotonic_ms());
      statistics.add(ids.send_timeouts);
      MID_LOG(info, "reply dropped: the client did not take it within %u ms",
              setup_.config->socket_timeout_ms);
      return;
    case SendStatus::peer_gone:
      statistics.add(ids.send_errors);
      MID_LOG(debug, "reply dropped: the client is gone");
      return;
    case SendStatus::failed:
      statistics.add(ids.send_errors);
      MID_LOG(warning, "reply dropped: sendto failed: %s", std::strerror(errno));
      return;
  }
}

// UNIX peers by kernel-checked credentials, UDP peers by source address.
// A refused UNIX peer is told so; a refused UDP source gets nothing, so
// the daemon cannot be used to reflect traffic at a forged address.
bool Worker::admitted(const Peer& peer) noexcept {
  const config::Config& config = *setup_.config;
  bool allowed = false;
  if (setup_.is_unix) {
    allowed = peer.has_credentials &&
              unix_peer_allowed(peer.uid, peer.gid, config.allowed_uids, config.allowed_gids);
  } else {
    bool v6 = false;
    IpBytes bytes{};
    allowed = peer.ip(v6, bytes) && udp_peer_allowed(v6, bytes, config.allow_from);
  }
  if (allowed) return true;
  setup_.statistics->add(setup_.ids->denied);
  if (setup_.is_unix) {
    MID_LOG(info, "request refused: uid %u gid %u not allowed", peer.uid, peer.gid);
  } else {
    MID_LOG(info, "request refused: UDP source not in allow_from");
  }
  if (setup_.is_unix && peer.addressable()) {
    static constexpr std::string_view kForbidden = "403 Forbidden\n";
    if (send_reply(setup_.socket_fd, kForbidden, peer) == SendStatus::sent) {
      setup_.statistics->add(setup_.ids->replies);
      setup_.statistics->add(setup_.ids->bytes_out, kForbidden.size());
    }
  }
  return false;
}

void Worker::count(const mi::Handled& handled) noexcept {
  stats::Statistics& statistics = *setup_.statistics;
  const ServerStatistics& ids = *setup_.ids;
  switch (handled.outcome) {
    case mi::Outcome::ok:
    case mi::Outcome::deferred:
      return;
    case mi::Outcome::command_failed:
      statistics.add(ids.command_errors);
      return;
    case mi::Outcome::bad_request:
      statistics.add(ids.parse_errors);
      return;
    case mi::Outcome::request_too_large:
      statistics.add(ids.too_large);
      return;
    case mi::Outcome::unknown_command:
      statistics.add(ids.unknown_commands);
      return;
    case mi::Outcome::reply_too_large:
    case mi::Outcome::reply_invalid:
      statistics.add(ids.replies_too_large);
      return;
  }
}

void Worker::follow_shared_log_level() noexcept {
  const auto shared =
      static_cast<log::Level>(setup_.shared->log_level.load(std::memory_order_relaxed));
  if (shared != log::level()) log::set_level(shared);
}

}  // namespace

int run_worker(const WorkerSetup& setup, const std::function<void()>& confine) noexcept {
  Worker worker(setup);
  if (!worker.prepare()) {
    MID_LOG(error, "worker setup failed: %s", std::strerror(errno));
    return 1;
  }
  if (confine) confine();
  return worker.serve();
}

}  // namespace mid::transport

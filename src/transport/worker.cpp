#include "transport/worker.hpp"

#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>

#include "core/limits.hpp"
#include "log/log.hpp"
#include "log/rate_limit.hpp"
#include "os/unique_fd.hpp"
#include "request/request_path.hpp"
#include "transport/access.hpp"
#include "transport/access_decision.hpp"
#include "transport/call_audit.hpp"
#include "transport/datagram_io.hpp"
#include "transport/pending_replies.hpp"
#include "transport/reply_ledger.hpp"
#include "transport/reply_sender.hpp"
#include "transport/socket_setup.hpp"

namespace mid::transport {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_stop_signal(int) {
  g_stop = 1;
}

// A worker waits in a blocking receive only on a socket whose SO_RCVTIMEO
// bounds the wait to kWorkerWaitBoundMs or less (set on every listening
// socket); on any other it always waits in epoll_pwait, as a stop could
// otherwise wait for the next datagram.
bool receive_wait_bounded(int fd) noexcept {
  timeval bound{};
  socklen_t length = sizeof bound;
  if (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, &length) != 0) return false;
  const long long bound_ms = static_cast<long long>(bound.tv_sec) * 1000 + bound.tv_usec / 1000;
  return (bound.tv_sec > 0 || bound.tv_usec > 0) && bound_ms <= kWorkerWaitBoundMs;
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
  bool prepare_sender() noexcept;
  void take_stop_signals() noexcept;
  void set_signals_open(bool open) noexcept;
  bool watch(int fd, std::uint32_t events) noexcept;
  [[nodiscard]] bool stopping() const noexcept;
  [[nodiscard]] bool idle() const noexcept;
  bool wait_events() noexcept;
  void receive_waiting() noexcept;
  void drain() noexcept;
  void answer_batch() noexcept;
  void answer(std::string_view datagram, std::size_t size, const Peer& peer) noexcept;
  void complete_pending() noexcept;
  bool admitted(std::string_view datagram, const Peer& peer) noexcept;
  void count(const request::Handled& handled) noexcept;
  void follow_shared_log_level() noexcept;

  const WorkerSetup& setup_;
  os::UniqueFd epoll_fd_;
  sigset_t wait_mask_{};     // the stop signals open (epoll_pwait, the blocking receive)
  sigset_t blocked_mask_{};  // the stop signals blocked (the rest of epoll_pwait's mode)
  bool signals_open_ = false;
  bool receive_waits_ = false;  // the socket bounds a blocking receive (SO_RCVTIMEO)
  std::unique_ptr<request::Workspace> workspace_;
  ReceiveBatch batch_;
  ReplySender sender_;
  PendingReplies pending_;
  const Peer* current_peer_ = nullptr;  // set while a request is dispatched
  pid_t own_pid_ = 0;
  stats::ProcessSlot* own_slot_ = nullptr;  // in the shared process table, once found
};

bool Worker::prepare() noexcept {
  own_pid_ = getpid();
  workspace_.reset(new (std::nothrow) request::Workspace(setup_.config->pretty_printing));
  if (!workspace_ || !batch_.allocate()) return false;

  take_stop_signals();
  receive_waits_ = receive_wait_bounded(setup_.socket_fd);
  epoll_fd_.reset(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_fd_.valid() || !watch(setup_.socket_fd, EPOLLIN | EPOLLEXCLUSIVE)) return false;
  // The timers are this worker's own: no EPOLLEXCLUSIVE.
  return pending_.open() && watch(pending_.fd(), EPOLLIN) && prepare_sender() &&
         watch(sender_.timer_fd(), EPOLLIN);
}

// SIGTERM and SIGINT are blocked while the worker waits in epoll_pwait's
// mode (they are let in only inside the wait, so a stop request can never
// slip in between the flag check and the wait), and open while it waits in
// the receive (set_signals_open). SA_RESTART: a stop signal that lands
// during a log line's write does not cut it short; the blocking receive
// is never restarted (the socket has SO_RCVTIMEO, signal(7)).
void Worker::take_stop_signals() noexcept {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  sigset_t blocked;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigprocmask(SIG_BLOCK, &blocked, &wait_mask_);
  blocked_mask_ = wait_mask_;
  sigaddset(&blocked_mask_, SIGTERM);
  sigaddset(&blocked_mask_, SIGINT);
  sigdelset(&wait_mask_, SIGTERM);
  sigdelset(&wait_mask_, SIGINT);
}

void Worker::set_signals_open(bool open) noexcept {
  if (open == signals_open_) return;
  sigprocmask(SIG_SETMASK, open ? &wait_mask_ : &blocked_mask_, nullptr);
  signals_open_ = open;
}

bool Worker::watch(int fd, std::uint32_t events) noexcept {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  return epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &event) == 0;
}

// Each uid may hold 1/kUidShare of the send buffer's unread replies,
// split between the workers (each keeps its own ledger).
bool Worker::prepare_sender() noexcept {
  int send_buffer = 0;
  socklen_t length = sizeof send_buffer;
  if (getsockopt(setup_.socket_fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, &length) != 0) return false;
  const std::size_t workers = setup_.config->children_count > 0 ? setup_.config->children_count : 1;
  ReplySenderSetup sender;
  sender.socket_fd = setup_.socket_fd;
  sender.is_unix = setup_.is_unix;
  sender.socket_timeout_ms = setup_.config->socket_timeout_ms;
  sender.uid_budget = static_cast<std::size_t>(send_buffer) / ReplyLedger::kUidShare / workers;
  sender.receiver_queue_limit = setup_.receiver_queue_limit;
  sender.statistics = setup_.statistics;
  sender.ids = setup_.ids;
  return sender_.open(sender);
}

// While nothing of its own is due (no delayed reply, no reply waiting for
// a retry), the worker waits in the receive itself: a blocking recvmmsg
// of one datagram on the shared socket, where the kernel wakes one waiter
// per datagram (an exclusive wait, as EPOLLEXCLUSIVE), and one system call
// both waits and takes the request (one at a time: see ReceiveWait). With
// something due it waits in epoll_pwait for the socket and its timers.
// The stop signals are open during the receive's wait: one that lands just
// before the wait begins sets the flag, and the wait ends at the latest
// kWorkerWaitBoundMs later (SO_RCVTIMEO); one that lands inside it ends it
// at once (EINTR).
int Worker::serve() noexcept {
  while (!stopping()) {
    const bool in_receive = receive_waits_ && idle();
    set_signals_open(in_receive);
    if (in_receive) {
      receive_waiting();
    } else if (!wait_events()) {
      return 1;
    }
  }
  if (!idle()) {
    MID_LOG(notice, "stopping with %zu async and %zu waiting replies not sent", pending_.size(),
            sender_.waiting());
  }
  return 0;
}

bool Worker::stopping() const noexcept {
  return g_stop != 0 || setup_.shared->stop_requested.load(std::memory_order_relaxed);
}

bool Worker::idle() const noexcept {
  return pending_.size() == 0 && sender_.waiting() == 0;
}

// False when epoll_pwait fails for another reason than a signal.
bool Worker::wait_events() noexcept {
  std::array<epoll_event, 3> events{};
  const int ready =
      epoll_pwait(epoll_fd_.get(), events.data(), static_cast<int>(events.size()), -1, &wait_mask_);
  if (ready < 0 && errno != EINTR) {
    MID_LOG(error, "epoll_pwait failed: %s", std::strerror(errno));
    return false;
  }
  for (int i = 0; i < ready; ++i) {
    const int fd = events[static_cast<std::size_t>(i)].data.fd;
    if (fd == pending_.fd()) {
      complete_pending();
    } else if (fd == sender_.timer_fd()) {
      sender_.retry_due();
    } else {
      drain();
    }
  }
  return true;
}

// One blocking receive: waits for a datagram (at most
// kWorkerWaitBoundMs), takes it, and answers it.
void Worker::receive_waiting() noexcept {
  follow_shared_log_level();
  const ReceiveStatus status = batch_.receive(setup_.socket_fd, ReceiveWait::one);
  if (status == ReceiveStatus::failed) {
    MID_LOG(warning, "recvmmsg failed: %s", std::strerror(errno));
    return;
  }
  if (status == ReceiveStatus::datagrams) answer_batch();
}

void Worker::answer_batch() noexcept {
  for (std::size_t i = 0; i < batch_.size(); ++i) {
    answer(batch_.datagram(i), batch_.real_size(i), batch_.peer(i));
  }
}

void Worker::complete_pending() noexcept {
  pending_.run_due([this](const Peer& peer, const PendingReplies::Call& call,
                          Completion& completion) {
    const request::Handled handled =
        request::complete(call, completion, *workspace_, setup_.config->reply_indent);
    count(handled);
    audit_call(request::CallRecord{handled.command, handled.command_class, handled.status, false},
               identity_of(peer, setup_.is_unix));
    sender_.send(handled.reply, peer);
  });
}

// Answers every datagram already queued, a batch per system call: under
// load one wake-up serves many requests. A batch that comes back short
// means the queue was empty a moment ago: back to epoll rather than a
// receive that would only say EAGAIN.
void Worker::drain() noexcept {
  follow_shared_log_level();
  for (;;) {
    const ReceiveStatus status = batch_.receive(setup_.socket_fd);
    if (status == ReceiveStatus::empty) return;
    if (status == ReceiveStatus::interrupted) {
      if (g_stop != 0) return;
      continue;
    }
    if (status == ReceiveStatus::failed) {
      MID_LOG(warning, "recvmmsg failed: %s", std::strerror(errno));
      return;
    }
    answer_batch();
    if (!batch_.full() || stopping()) return;
  }
}

// A datagram over the limit arrives as its first limit + 1 bytes (all the
// buffer holds), which the parser rejects as too large: it is never
// parsed cut to the limit.
void Worker::answer(std::string_view datagram, std::size_t size, const Peer& peer) noexcept {
  stats::Statistics& statistics = *setup_.statistics;
  const ServerStatistics& ids = *setup_.ids;
  statistics.add(ids.requests);
  statistics.add(ids.bytes_in, size);
  if (!admitted(datagram, peer)) return;
  if (!peer.addressable()) {
    statistics.add(ids.unaddressable);
    MID_LOG_LIMITED(unanswerable, debug,
                    "request from an unbound UNIX socket: no address to reply to");
    return;
  }
  // The access rules decide per command, so they are asked once the
  // request has named one; no rules, no gate (everything runs).
  const PeerIdentity who = identity_of(peer, setup_.is_unix);
  const PeerCalls calls(setup_.config->access, who, *setup_.statistics, setup_.ids->denied);
  current_peer_ = &peer;
  const request::Handled handled =
      setup_.answer != nullptr
          ? setup_.answer(datagram)
          : request::handle_datagram(datagram, *setup_.registry, *workspace_,
                                     setup_.config->reply_indent, this, &calls);
  current_peer_ = nullptr;
  count(handled);
  if (handled.outcome == request::Outcome::deferred) {
    pending_.tag_latest(request::keep(handled));
    return;
  }
  if (handled.outcome == request::Outcome::no_reply) return;
  sender_.send(handled.reply, peer);
}

// UNIX peers by kernel-checked credentials, UDP peers by source address.
// A refused UNIX peer is told so; a refused UDP source gets nothing, so
// the daemon cannot be used to reflect traffic at a forged address.
bool Worker::admitted(std::string_view datagram, const Peer& peer) noexcept {
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
  audit_refusal(identity_of(peer, setup_.is_unix));
  if (setup_.is_unix) {
    MID_LOG_LIMITED(refused, info, "request refused: uid %u gid %u not allowed", peer.uid,
                    peer.gid);
  } else {
    MID_LOG_LIMITED(refused, info, "request refused: UDP source not in allow_from");
  }
  if (setup_.is_unix && peer.addressable()) {
    sender_.send(request::refuse_peer(datagram, *workspace_), peer, /*best_effort=*/true);
  }
  return false;
}

void Worker::count(const request::Handled& handled) noexcept {
  stats::Statistics& statistics = *setup_.statistics;
  const ServerStatistics& ids = *setup_.ids;
  switch (handled.outcome) {
    case request::Outcome::ok:
    case request::Outcome::deferred:
    case request::Outcome::no_reply:
      return;
    case request::Outcome::command_failed:
      statistics.add(ids.command_errors);
      return;
    case request::Outcome::bad_request:
      statistics.add(ids.parse_errors);
      return;
    case request::Outcome::request_too_large:
      statistics.add(ids.too_large);
      return;
    case request::Outcome::unknown_command:
      statistics.add(ids.unknown_commands);
      return;
    case request::Outcome::reply_too_large:
    case request::Outcome::reply_invalid:
      statistics.add(ids.replies_too_large);
      return;
  }
}

// The worker's own level (log_level LEVEL PID) or the global one. Its
// slot is found once the master has registered it (after the fork).
void Worker::follow_shared_log_level() noexcept {
  stats::SharedState& shared = *setup_.shared;
  if (own_slot_ == nullptr) {
    for (stats::ProcessSlot& slot : shared.processes) {
      if (slot.pid.load(std::memory_order_relaxed) == own_pid_) own_slot_ = &slot;
    }
  }
  const int level = own_slot_ != nullptr ? stats::effective_log_level(shared, *own_slot_)
                                         : shared.log_level.load(std::memory_order_relaxed);
  const auto wanted = static_cast<log::Level>(level);
  if (wanted != log::level()) log::set_level(wanted);
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

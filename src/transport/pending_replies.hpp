#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "mi/async.hpp"
#include "mi/command.hpp"
#include "os/unique_fd.hpp"
#include "request/request_path.hpp"
#include "transport/datagram_io.hpp"

// The replies a worker owes for async commands, with the timer that says
// when the next one is due. One timerfd per worker, in its epoll set.
namespace mid::transport {

class PendingReplies {
 public:
  // A worker holds at most this many deferred replies; beyond it a
  // handler's complete_after() fails and the handler answers at once.
  static constexpr std::size_t kMaxPending = 64;

  // Creates the timerfd (before the worker's filter). False on failure.
  bool open() noexcept;
  [[nodiscard]] int fd() const noexcept { return timer_fd_.get(); }

  bool add(const Peer& peer, std::uint32_t delay_ms,
           mi::AsyncReply::Completion completion) noexcept;

  // The call a deferred reply answers, in its protocol, for printing and
  // the audit line when it is sent (the request itself is gone by then).
  using Call = request::Deferred;
  // Records the call of the reply added last (once its handler returned).
  void tag_latest(const Call& call) noexcept;

  // Clears the timer's expiry count, then calls answer(peer, call,
  // completion) for every reply that is due, oldest deadline first, and
  // re-arms.
  void run_due(const std::function<void(const Peer&, const Call&, mi::AsyncReply::Completion&)>&
                   answer) noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return count_; }

 private:
  struct Entry {
    bool used = false;
    std::int64_t due_ms = 0;
    Peer peer;
    Call call;
    mi::AsyncReply::Completion completion;
  };
  void arm() noexcept;

  os::UniqueFd timer_fd_;
  std::array<Entry, kMaxPending> entries_{};
  std::size_t count_ = 0;
  Entry* latest_ = nullptr;
};

}  // namespace mid::transport

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "mi/async.hpp"
#include "os/unique_fd.hpp"
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

  // Clears the timer's expiry count, then calls answer(peer, completion)
  // for every reply that is due, oldest deadline first, and re-arms.
  void run_due(
      const std::function<void(const Peer&, mi::AsyncReply::Completion&)>& answer) noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return count_; }

 private:
  struct Entry {
    bool used = false;
    std::int64_t due_ms = 0;
    Peer peer;
    mi::AsyncReply::Completion completion;
  };
  void arm() noexcept;

  os::UniqueFd timer_fd_;
  std::array<Entry, kMaxPending> entries_{};
  std::size_t count_ = 0;
};

}  // namespace mid::transport

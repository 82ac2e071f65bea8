#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "os/unique_fd.hpp"
#include "transport/datagram_io.hpp"

// Replies that could not leave at once (the receiver's queue was full),
// tried again on the worker's own timer while it goes on serving others,
// until socket_timeout has passed since the first try; then dropped.
// One timerfd per worker, in its epoll set.
//
// Bounded: kSlots replies per worker and kPerUid per uid, so one peer that
// never reads cannot take every slot; a reply that finds no slot is
// dropped at once. Replies to one address keep their order: while one
// waits, later replies to that address wait behind it.
namespace mid::transport {

class ReplyRetries {
 public:
  static constexpr std::size_t kSlots = 32;
  static constexpr std::size_t kPerUid = 4;
  static constexpr std::int64_t kFirstRetryMs = 1;
  static constexpr std::int64_t kMaxRetryMs = 32;

  // Creates the timerfd (before the worker's filter). False on failure.
  bool open() noexcept;
  [[nodiscard]] int fd() const noexcept { return timer_fd_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return count_; }

  // True while a reply to `peer`'s address waits (a new one must queue).
  [[nodiscard]] bool waiting_for(const Peer& peer) const noexcept;

  // Keeps a copy of `reply` for `peer` (whose request came from `uid`),
  // to be tried until `deadline_ms`. False when no slot is free for it.
  bool add(const Peer& peer, std::uint32_t uid, std::span<const char> reply, std::int64_t now_ms,
           std::int64_t deadline_ms) noexcept;

  enum class Outcome { sent, still_blocked, dropped };
  // Tries every due reply, oldest first, with `send` (which returns
  // SendStatus); calls `done(peer, uid, size, outcome)` for each reply that
  // left (sent) or was given up (dropped: gone, refused, or past its
  // deadline). Clears the timer's expiry count and re-arms it.
  void run_due(std::int64_t now_ms,
               const std::function<SendStatus(const Peer&, std::span<const char>)>& send,
               const std::function<void(const Peer&, std::uint32_t, std::size_t, SendStatus)>&
                   done) noexcept;

 private:
  struct Slot {
    bool used = false;
    std::uint64_t sequence = 0;
    std::uint32_t uid = 0;
    std::int64_t next_ms = 0;
    std::int64_t delay_ms = 0;
    std::int64_t deadline_ms = 0;
    Peer peer;
    std::vector<char> reply;  // capacity kept between uses
    std::size_t size = 0;
  };
  [[nodiscard]] std::size_t count_for(std::uint32_t uid) const noexcept;
  void arm(std::int64_t now_ms) noexcept;

  os::UniqueFd timer_fd_;
  std::array<Slot, kSlots> slots_{};
  std::size_t count_ = 0;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace mid::transport

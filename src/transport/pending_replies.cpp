#include "transport/pending_replies.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cstdint>

namespace mid::transport {

bool PendingReplies::open() noexcept {
  timer_fd_.reset(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  return timer_fd_.valid();
}

bool PendingReplies::add(const Peer& peer, std::uint32_t delay_ms,
                         mi::AsyncReply::Completion completion) noexcept {
  if (!timer_fd_.valid() || !completion) return false;
  for (Entry& entry : entries_) {
    if (entry.used) continue;
    entry.used = true;
    entry.due_ms = monotonic_ms() + delay_ms;
    entry.peer = peer;
    entry.completion = std::move(completion);
    entry.call = Call{};
    latest_ = &entry;
    ++count_;
    arm();
    return true;
  }
  return false;
}

void PendingReplies::tag_latest(const Call& call) noexcept {
  if (latest_ != nullptr && latest_->used) latest_->call = call;
  latest_ = nullptr;
}

void PendingReplies::run_due(
    const std::function<void(const Peer&, const Call&, mi::AsyncReply::Completion&)>&
        answer) noexcept {
  std::uint64_t expirations = 0;
  [[maybe_unused]] const ssize_t n = ::read(timer_fd_.get(), &expirations, sizeof(expirations));
  for (;;) {
    Entry* next = nullptr;
    const std::int64_t now = monotonic_ms();
    for (Entry& entry : entries_) {
      if (entry.used && entry.due_ms <= now && (next == nullptr || entry.due_ms < next->due_ms)) {
        next = &entry;
      }
    }
    if (next == nullptr) break;
    answer(next->peer, next->call, next->completion);
    next->completion = nullptr;
    next->used = false;
    --count_;
  }
  arm();
}

// Arms the timer for the earliest deadline, or disarms it when nothing is
// pending. A deadline already past fires at once (1 ns).
void PendingReplies::arm() noexcept {
  std::int64_t earliest = -1;
  for (const Entry& entry : entries_) {
    if (entry.used && (earliest < 0 || entry.due_ms < earliest)) earliest = entry.due_ms;
  }
  arm_timer(timer_fd_.get(), earliest, monotonic_ms());
}

}  // namespace mid::transport

#include "transport/reply_retries.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace mid::transport {

bool ReplyRetries::open() noexcept {
  timer_fd_.reset(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  return timer_fd_.valid();
}

bool ReplyRetries::waiting_for(const Peer& peer) const noexcept {
  if (count_ == 0) return false;
  return std::any_of(slots_.begin(), slots_.end(),
                     [&](const Slot& slot) { return slot.used && slot.peer.same_address(peer); });
}

std::size_t ReplyRetries::count_for(std::uint32_t uid) const noexcept {
  return static_cast<std::size_t>(
      std::count_if(slots_.begin(), slots_.end(),
                    [&](const Slot& slot) { return slot.used && slot.uid == uid; }));
}

bool ReplyRetries::add(const Peer& peer, std::uint32_t uid, std::span<const char> reply,
                       std::int64_t now_ms, std::int64_t deadline_ms) noexcept {
  if (!timer_fd_.valid() || count_ >= kSlots || count_for(uid) >= kPerUid) return false;
  auto free_slot =
      std::find_if(slots_.begin(), slots_.end(), [](const Slot& s) { return !s.used; });
  try {
    free_slot->reply.resize(std::max(free_slot->reply.size(), reply.size()));
  } catch (...) {
    return false;
  }
  std::memcpy(free_slot->reply.data(), reply.data(), reply.size());
  free_slot->size = reply.size();
  free_slot->used = true;
  free_slot->sequence = next_sequence_++;
  free_slot->uid = uid;
  free_slot->peer = peer;
  free_slot->delay_ms = kFirstRetryMs;
  free_slot->next_ms = now_ms + kFirstRetryMs;
  free_slot->deadline_ms = deadline_ms;
  ++count_;
  arm(now_ms);
  return true;
}

void ReplyRetries::run_due(
    std::int64_t now_ms, const std::function<SendStatus(const Peer&, std::span<const char>)>& send,
    const std::function<void(const Peer&, std::uint32_t, std::size_t, SendStatus)>& done) noexcept {
  std::uint64_t expirations = 0;
  [[maybe_unused]] const ssize_t n = ::read(timer_fd_.get(), &expirations, sizeof(expirations));
  std::array<Slot*, kSlots> order{};
  std::size_t used = 0;
  for (Slot& slot : slots_) {
    if (slot.used) order[used++] = &slot;
  }
  std::sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(used),
            [](const Slot* a, const Slot* b) { return a->sequence < b->sequence; });
  // A reply behind a blocked one for the same address is not tried: it
  // is due when the one ahead of it is.
  std::array<const Slot*, kSlots> blocked{};
  std::size_t blocked_count = 0;
  for (std::size_t i = 0; i < used; ++i) {
    Slot& slot = *order[i];
    const Slot* const* ahead =
        std::find_if(blocked.begin(), blocked.begin() + static_cast<std::ptrdiff_t>(blocked_count),
                     [&](const Slot* s) { return s->peer.same_address(slot.peer); });
    const bool behind = ahead != blocked.begin() + static_cast<std::ptrdiff_t>(blocked_count);
    SendStatus status = SendStatus::would_block;
    if (!behind && slot.next_ms <= now_ms) {
      status = send(slot.peer, std::span<const char>(slot.reply.data(), slot.size));
    }
    if (status == SendStatus::would_block && now_ms < slot.deadline_ms) {
      if (behind) {
        slot.next_ms = (*ahead)->next_ms;
      } else if (slot.next_ms <= now_ms) {
        slot.delay_ms = std::min(slot.delay_ms * 2, kMaxRetryMs);
        slot.next_ms = now_ms + slot.delay_ms;
      }
      blocked[blocked_count++] = &slot;
      continue;
    }
    done(slot.peer, slot.uid, slot.size, status);
    slot.used = false;
    --count_;
  }
  arm(now_ms);
}

// Arms the timer for the earliest retry (never past a deadline), or
// disarms it when nothing waits.
void ReplyRetries::arm(std::int64_t now_ms) noexcept {
  std::int64_t earliest = -1;
  for (const Slot& slot : slots_) {
    if (!slot.used) continue;
    const std::int64_t due = std::min(slot.next_ms, slot.deadline_ms);
    if (earliest < 0 || due < earliest) earliest = due;
  }
  arm_timer(timer_fd_.get(), earliest, now_ms);
}

}  // namespace mid::transport

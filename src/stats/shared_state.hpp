#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "stats/statistics.hpp"

// The state every process of the daemon shares: placed in one anonymous
// shared mapping before the workers are forked (stats::SharedMemory), and
// touched only through lock-free atomics afterwards.
namespace mid::stats {

// The master and at most 64 workers (children_count's upper bound).
inline constexpr std::size_t kMaxProcesses = 65;

enum class ProcessRole : std::uint8_t { none = 0, master = 1, worker = 2 };

// A level of its own for one process (log_level with a pid), or none.
inline constexpr int kNoOwnLogLevel = -1;

struct ProcessSlot {
  std::atomic<std::int32_t> pid{0};
  std::atomic<ProcessRole> role{ProcessRole::none};
  std::atomic<int> log_level{kNoOwnLogLevel};  // set by log_level LEVEL PID
};

struct SharedState;
// The level `slot`'s process logs at: its own, else the global one.
[[nodiscard]] int effective_log_level(const SharedState& shared, const ProcessSlot& slot) noexcept;

struct SharedState {
  std::atomic<int> log_level{2};
  std::atomic<bool> stop_requested{false};
  std::array<ProcessSlot, kMaxProcesses> processes{};
  std::array<std::atomic<std::uint64_t>, kMaxStatistics> values{};
};

inline int effective_log_level(const SharedState& shared, const ProcessSlot& slot) noexcept {
  const int own = slot.log_level.load(std::memory_order_relaxed);
  return own != kNoOwnLogLevel ? own : shared.log_level.load(std::memory_order_relaxed);
}

static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
              "statistics must be lock-free to be shared between processes");
static_assert(std::atomic<std::int32_t>::is_always_lock_free);
static_assert(std::atomic<int>::is_always_lock_free);
static_assert(std::atomic<bool>::is_always_lock_free);

}  // namespace mid::stats

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "log/log.hpp"

// Log lines that a peer can trigger (a refusal, a dropped reply, a
// malformed request) are rate limited per kind: a peer that sends
// thousands of datagrams a second must not turn each one into a log line.
// Within one second at most kLinesPerSecond lines of a kind are written;
// the rest are counted, and the first line of that kind in a later second
// is preceded by "N similar lines suppressed (KIND)".
namespace mid::log {

enum class Noise : std::uint8_t {
  refused,        // a peer refused by the access lists
  unanswerable,   // a reply the daemon may not send (EACCES, EPERM) or no address
  reply_dropped,  // a reply dropped: peer gone, timed out, other send errors
  over_quota,     // a reply withheld: the peer's uid holds too many unread replies
  malformed,      // a request that did not parse or was too large
  audit,          // the audit line of a write call or a refusal
  count_,
};

// The per-kind window. Pure bookkeeping over a caller-supplied clock, so
// it is tested without sleeping.
class RateLimiter {
 public:
  static constexpr std::uint32_t kLinesPerSecond = 5;

  struct Verdict {
    bool write = false;                   // write this line
    std::uint64_t suppressed_before = 0;  // lines of this kind dropped since the last one written
  };

  // One event of `kind` at `now_ms` (a monotonic clock).
  [[nodiscard]] Verdict admit(Noise kind, std::int64_t now_ms) noexcept;

 private:
  struct Window {
    std::int64_t second = -1;
    std::uint32_t written = 0;
    std::uint64_t suppressed = 0;
  };
  std::array<Window, static_cast<std::size_t>(Noise::count_)> windows_{};
};

// The process's own limiter over CLOCK_MONOTONIC; writes the
// "suppressed" line itself. True when the caller should write its line.
[[nodiscard]] bool admit(Noise kind) noexcept;

[[nodiscard]] const char* to_string(Noise kind) noexcept;

}  // namespace mid::log

// MID_LOG for lines a peer can trigger: rate limited per kind.
#define MID_LOG_LIMITED(kind, level, ...)                       \
  do {                                                          \
    if (::mid::log::enabled(::mid::log::Level::level) &&        \
        ::mid::log::admit(::mid::log::Noise::kind)) {           \
      ::mid::log::write(::mid::log::Level::level, __VA_ARGS__); \
    }                                                           \
  } while (0)

#include "log/rate_limit.hpp"

#include <time.h>

namespace mid::log {
namespace {

RateLimiter g_limiter;

std::int64_t monotonic_now_ms() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace

RateLimiter::Verdict RateLimiter::admit(Noise kind, std::int64_t now_ms) noexcept {
  Window& window = windows_[static_cast<std::size_t>(kind)];
  const std::int64_t second = now_ms / 1000;
  if (second != window.second) {
    window.second = second;
    window.written = 0;
  }
  if (window.written >= kLinesPerSecond) {
    ++window.suppressed;
    return {};
  }
  ++window.written;
  const Verdict verdict{true, window.suppressed};
  window.suppressed = 0;
  return verdict;
}

bool admit(Noise kind) noexcept {
  const RateLimiter::Verdict verdict = g_limiter.admit(kind, monotonic_now_ms());
  if (verdict.write && verdict.suppressed_before > 0) {
    write(Level::notice, "%llu similar lines suppressed (%s)",
          static_cast<unsigned long long>(verdict.suppressed_before), to_string(kind));
  }
  return verdict.write;
}

const char* to_string(Noise kind) noexcept {
  switch (kind) {
    case Noise::refused:
      return "refused";
    case Noise::unanswerable:
      return "unanswerable";
    case Noise::reply_dropped:
      return "reply dropped";
    case Noise::over_quota:
      return "over quota";
    case Noise::malformed:
      return "malformed";
    case Noise::audit:
      return "audit";
    case Noise::count_:
      break;
  }
  return "?";
}

}  // namespace mid::log

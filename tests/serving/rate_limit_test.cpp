// Peer-triggered log lines: a few per second per kind, then a count of
// what was suppressed, given with the next line of that kind.

#include <gtest/gtest.h>

#include "log/rate_limit.hpp"

namespace mid::log {
namespace {

TEST(RateLimit, AFewLinesPerSecondPerKindThenACountOfTheRest) {
  RateLimiter limiter;
  std::size_t written = 0;
  for (int i = 0; i < 3000; ++i) {
    if (limiter.admit(Noise::unanswerable, 1000).write) ++written;
  }
  EXPECT_EQ(written, RateLimiter::kLinesPerSecond);
  const RateLimiter::Verdict next_second = limiter.admit(Noise::unanswerable, 2000);
  EXPECT_TRUE(next_second.write);
  EXPECT_EQ(next_second.suppressed_before, 3000U - RateLimiter::kLinesPerSecond);
  EXPECT_EQ(limiter.admit(Noise::unanswerable, 2001).suppressed_before, 0U);
}

TEST(RateLimit, KindsHaveWindowsOfTheirOwn) {
  RateLimiter limiter;
  for (int i = 0; i < 100; ++i) (void)limiter.admit(Noise::refused, 0);
  EXPECT_TRUE(limiter.admit(Noise::malformed, 0).write);
  EXPECT_FALSE(limiter.admit(Noise::refused, 999).write);
  EXPECT_TRUE(limiter.admit(Noise::refused, 1000).write);
}

TEST(RateLimit, ThreeThousandEventsOverTenSecondsWriteAtMostFiftyLines) {
  RateLimiter limiter;
  std::size_t lines = 0;
  for (int i = 0; i < 3000; ++i) {
    const RateLimiter::Verdict v = limiter.admit(Noise::reply_dropped, i * 10 / 3);
    lines += (v.write ? 1U : 0U) + (v.suppressed_before > 0 ? 1U : 0U);
  }
  EXPECT_LE(lines, 2 * 10 * RateLimiter::kLinesPerSecond);
}

}  // namespace
}  // namespace mid::log

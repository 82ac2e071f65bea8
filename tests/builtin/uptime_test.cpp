// uptime: the date of "Now" is formatted once per second and cached; the
// cache must never show a second other than the clock's.
#include <gtest/gtest.h>

#include "ask.hpp"

namespace mid::mi::test {
namespace {

class UptimeTest : public testing::Test {
 protected:
  void SetUp() override {
    support::BuiltinWorld::now = support::BuiltinWorld::kDefaultNow;
    ASSERT_TRUE(world_.start("mi-datagram test"));
  }
  support::BuiltinWorld world_;
};

std::string uptime_reply(std::string_view now, std::string_view up) {
  return "200 OK\nNow:: " + std::string(now) + " UTC\nUp since:: Mon Sep 21 13:13:20 2026 UTC\n" +
         "Up time:: " + std::string(up) + " [sec]\n";
}

TEST_F(UptimeTest, ShowsNowStartAndSecondsUp) {
  EXPECT_EQ(ask(world_, ":uptime:\n"), uptime_reply("Mon Sep 21 14:13:20 2026", "3600"));
}

TEST_F(UptimeTest, NowFollowsTheClockEverySecond) {
  EXPECT_EQ(ask(world_, ":uptime:\n"), uptime_reply("Mon Sep 21 14:13:20 2026", "3600"));
  EXPECT_EQ(ask(world_, ":uptime:\n"), uptime_reply("Mon Sep 21 14:13:20 2026", "3600"));
  support::BuiltinWorld::now += 1;
  EXPECT_EQ(ask(world_, ":uptime:\n"), uptime_reply("Mon Sep 21 14:13:21 2026", "3601"));
  support::BuiltinWorld::now += 59;
  EXPECT_EQ(ask(world_, ":uptime:\n"), uptime_reply("Mon Sep 21 14:14:20 2026", "3660"));
  // A clock set back is followed too; the server is never up for less than 0 s.
  support::BuiltinWorld::now -= 7200;
  EXPECT_EQ(ask(world_, ":uptime:\n"), uptime_reply("Mon Sep 21 12:14:20 2026", "0"));
}

TEST_F(UptimeTest, TakesNoArguments) {
  EXPECT_EQ(ask(world_, ":uptime:\nextra\n").substr(0, 4), "400 ");
}

}  // namespace
}  // namespace mid::mi::test

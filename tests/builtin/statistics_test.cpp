// get_statistics, reset_statistics and list_statistics: one selector (the
// common request) and several (each statistic still listed once, in
// definition order), counters against gauges, nothing selected.
#include <gtest/gtest.h>

#include "ask.hpp"

namespace mid::mi::test {
namespace {

using stats::Kind;

class StatisticsCommandsTest : public testing::Test {
 protected:
  void SetUp() override {
    requests_ = define(world_, "datagram", "requests", Kind::counter, 7);
    define(world_, "datagram", "replies", Kind::counter, 6);
    active_ = define(world_, "dialog", "active", Kind::gauge, 3);
    define(world_, "tm", "requests", Kind::counter, 2);
    ASSERT_TRUE(world_.start("mi-datagram test"));
  }
  support::BuiltinWorld world_;
  stats::StatId requests_ = 0;
  stats::StatId active_ = 0;
};

TEST_F(StatisticsCommandsTest, OneSelectorOfEachKind) {
  EXPECT_EQ(ask(world_, ":get_statistics:\nall\n"),
            "200 OK\ndatagram:requests:: 7\ndatagram:replies:: 6\ndialog:active:: 3\n"
            "tm:requests:: 2\n");
  EXPECT_EQ(ask(world_, ":get_statistics:\ndatagram:\n"),
            "200 OK\ndatagram:requests:: 7\ndatagram:replies:: 6\n");
  EXPECT_EQ(ask(world_, ":get_statistics:\ndialog:active\n"), "200 OK\ndialog:active:: 3\n");
  EXPECT_EQ(ask(world_, ":get_statistics:\nrequests\n"),
            "200 OK\ndatagram:requests:: 7\ntm:requests:: 2\n");
}

TEST_F(StatisticsCommandsTest, SeveralSelectorsListEachStatisticOnceInDefinitionOrder) {
  EXPECT_EQ(ask(world_, ":get_statistics:\ntm:\nrequests\ndatagram:requests\ndatagram:\n"),
            "200 OK\ndatagram:requests:: 7\ndatagram:replies:: 6\ntm:requests:: 2\n");
  EXPECT_EQ(ask(world_, ":get_statistics:\nnosuch\ndialog:\n"), "200 OK\ndialog:active:: 3\n");
}

TEST_F(StatisticsCommandsTest, NothingSelectedIsNotFound) {
  EXPECT_EQ(ask(world_, ":get_statistics:\nnosuch:\n"), "404 Statistics Not Found\n");
  EXPECT_EQ(ask(world_, ":get_statistics:\nnosuch\ntm:nosuch\n"), "404 Statistics Not Found\n");
  EXPECT_EQ(ask(world_, ":reset_statistics:\nnosuch\n"), "404 Statistics Not Found\n");
  EXPECT_EQ(ask(world_, ":list_statistics:\nnosuch:\n"), "404 Statistics Not Found\n");
  EXPECT_EQ(ask(world_, ":get_statistics:\n").substr(0, 4), "400 ");
}

TEST_F(StatisticsCommandsTest, ResetClearsCountersAndKeepsGauges) {
  EXPECT_EQ(ask(world_, ":reset_statistics:\ndialog:\ndatagram:requests\n"), "200 OK\n");
  EXPECT_EQ(world_.statistics.get(requests_), 0U);
  EXPECT_EQ(world_.statistics.get(active_), 3U);
  EXPECT_EQ(ask(world_, ":reset_statistics:\nall\n"), "200 OK\n");
  EXPECT_EQ(ask(world_, ":get_statistics:\nall\n"),
            "200 OK\ndatagram:requests:: 0\ndatagram:replies:: 0\ndialog:active:: 3\n"
            "tm:requests:: 0\n");
}

TEST_F(StatisticsCommandsTest, ListNamesEachStatisticsKind) {
  EXPECT_EQ(ask(world_, ":list_statistics:\n"),
            "200 OK\ndatagram:requests:: incremental\ndatagram:replies:: incremental\n"
            "dialog:active:: non-incremental\ntm:requests:: incremental\n");
  EXPECT_EQ(ask(world_, ":list_statistics:\ndialog:\nrequests\n"),
            "200 OK\ndatagram:requests:: incremental\ndialog:active:: "
            "non-incremental\ntm:requests:: incremental\n");
}

}  // namespace
}  // namespace mid::mi::test

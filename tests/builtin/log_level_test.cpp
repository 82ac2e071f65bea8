// log_level: every process's level, the global one, and one process's own
// (the OpenSIPS 3.x form `log_level LEVEL PID`, which python-opensips'
// own example sends).
#include <gtest/gtest.h>

#include <string>

#include "ask.hpp"

namespace mid::mi::test {
namespace {

class LogLevelTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(world_.start("mi-datagram test")); }
  std::string json(std::string_view params) {
    return ask(world_, R"({"jsonrpc":"2.0","id":"4711","method":"log_level","params":)" +
                           std::string(params) + "}");
  }
  support::BuiltinWorld world_;
};

TEST_F(LogLevelTest, ShowsEveryProcessAtTheGlobalLevel) {
  EXPECT_EQ(json("[]"),
            R"({"jsonrpc":"2.0","result":{"Processes":[{"PID":1,"Log level":2,"Type":"master"},)"
            R"({"PID":2,"Log level":2,"Type":"worker"}]},"id":"4711"})");
}

TEST_F(LogLevelTest, OneProcessKeepsItsOwnLevelUntilTheGlobalOneIsSet) {
  EXPECT_EQ(json(R"(["4", "2"])"), R"({"jsonrpc":"2.0","result":{"Log level":4},"id":"4711"})");
  EXPECT_EQ(world_.shared.processes[1].log_level.load(), 4);
  EXPECT_EQ(json("[]"),
            R"({"jsonrpc":"2.0","result":{"Processes":[{"PID":1,"Log level":2,"Type":"master"},)"
            R"({"PID":2,"Log level":4,"Type":"worker"}]},"id":"4711"})");
  // Setting the global level gives it to every process again.
  EXPECT_EQ(ask(world_, ":log_level:\nerror\n"), "200 OK\nNew global log level:: 0\n");
  EXPECT_EQ(world_.shared.processes[1].log_level.load(), stats::kNoOwnLogLevel);
  EXPECT_EQ(stats::effective_log_level(world_.shared, world_.shared.processes[1]), 0);
}

TEST_F(LogLevelTest, APidThatIsNotTheServersIsRefused) {
  EXPECT_EQ(json(R"({"level": "4", "pid": "99999"})"),
            R"({"jsonrpc":"2.0","error":{"code":-32602,"message":"Invalid params",)"
            R"("data":"expected the pid of one of the server's processes"},"id":"4711"})");
  for (const char* pid : {"2x", "-1", "+2", "0", "99999999999"}) {
    EXPECT_EQ(ask(world_, std::string(":log_level:\ndebug\n") + pid + "\n"),
              "400 bad arguments: expected the pid of one of the server's processes\n")
        << pid;
  }
  EXPECT_EQ(ask(world_, ":log_level:\nloud\n2\n"),
            "400 bad arguments: expected a level: error, warning, notice, info, debug or 0..4\n");
  EXPECT_EQ(world_.shared.processes[1].log_level.load(), stats::kNoOwnLogLevel);
}

}  // namespace
}  // namespace mid::mi::test

// help: the help text of one command, or, asked about no command, the
// usage and every command (as the 1.x server answered `help` alone).
#include <gtest/gtest.h>

#include "ask.hpp"

namespace mid::mi::test {
namespace {

class HelpTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(world_.start("mi-datagram test")); }

  // The reply to `help` without a command, built from the registry.
  std::string usage_reply() {
    std::string reply = "200 OK\nUsage:: help mi_cmd - shows the help text of the command mi_cmd\n";
    // The command list is an array (JSON: "Commands":[...]): no line of its own in text.
    for (const Command& command : world_.registry.commands()) reply += command.name + "\n";
    return reply;
  }

  support::BuiltinWorld world_;
};

TEST_F(HelpTest, ShowsTheHelpTextOfTheNamedCommand) {
  EXPECT_EQ(ask(world_, ":help:\nuptime\n"),
            "200 OK\nHelp:: " + world_.registry.find("uptime")->help + "\nExported by:: core\n");
  EXPECT_EQ(ask(world_, ":help:\nmi_cmd::uptime\n"),
            "200 OK\nHelp:: " + world_.registry.find("uptime")->help + "\nExported by:: core\n");
}

TEST_F(HelpTest, WithoutArgumentShowsTheUsageAndEveryCommand) {
  const std::string reply = ask(world_, ":help:\n");
  EXPECT_EQ(reply, usage_reply());
  // Every built-in is listed, `help` and `kill` among them.
  for (const char* name : {"\nwhich\n", "\nhelp\n", "\nuptime\n", "\nkill\n"}) {
    EXPECT_NE(reply.find(name), std::string::npos) << name;
  }
}

TEST_F(HelpTest, ValuelessOrBlankArgumentShowsTheUsage) {
  EXPECT_EQ(ask(world_, ":help:\nmi_cmd::\n"), usage_reply());
  EXPECT_EQ(ask(world_, ":help:\n\"   \"\n"), usage_reply());
  EXPECT_EQ(ask(world_, ":help:\nmi_cmd::\" \t \"\n"), usage_reply());
}

TEST_F(HelpTest, UnknownCommandIs404) {
  EXPECT_EQ(ask(world_, ":help:\nnope\n"), "404 unknown command: nope\n");
}

TEST_F(HelpTest, TwoArgumentsAre400) {
  EXPECT_EQ(ask(world_, ":help:\nuptime\nwhich\n"), "400 bad arguments: expected () or (mi_cmd)\n");
  EXPECT_EQ(ask(world_, ":help:\n\nwhich\n").substr(0, 4), "400 ");
}

}  // namespace
}  // namespace mid::mi::test

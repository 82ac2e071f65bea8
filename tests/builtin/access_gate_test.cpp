// The class every built-in declares, and the request path's access gate:
// a refused call is a 403 and runs nothing.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "ask.hpp"
#include "config/access_rule.hpp"
#include "transport/access_decision.hpp"
#include "transport/audit_line.hpp"

namespace mid::mi::test {
namespace {

using request::Handled;
using request::Outcome;
using request::status_code;

// What the request path tells the gate of a single call.
request::CallRecord record_of(const Handled& handled) {
  return request::CallRecord{handled.command, handled.command_class, handled.status,
                             handled.forbidden};
}

TEST(CommandClasses, BuiltinsDeclareWhatTheyChange) {
  support::BuiltinWorld world;
  ASSERT_TRUE(world.start("mi-datagram test"));
  const std::map<std::string, std::pair<CommandClass, CommandClass>> expected = {
      // name: class without arguments, class with one
      {"which", {CommandClass::read, CommandClass::read}},
      {"help", {CommandClass::read, CommandClass::read}},
      {"uptime", {CommandClass::read, CommandClass::read}},
      {"version", {CommandClass::read, CommandClass::read}},
      {"pwd", {CommandClass::read, CommandClass::read}},
      {"arg", {CommandClass::read, CommandClass::read}},
      {"ps", {CommandClass::read, CommandClass::read}},
      {"log_level", {CommandClass::read, CommandClass::write}},
      {"debug", {CommandClass::read, CommandClass::write}},
      {"get_statistics", {CommandClass::read, CommandClass::read}},
      {"list_statistics", {CommandClass::read, CommandClass::read}},
      {"reset_statistics", {CommandClass::write, CommandClass::write}},
      {"kill", {CommandClass::write, CommandClass::write}},
  };
  ASSERT_EQ(world.registry.commands().size(), expected.size());
  for (const Command& command : world.registry.commands()) {
    const auto it = expected.find(command.name);
    ASSERT_NE(it, expected.end()) << command.name;
    EXPECT_EQ(class_of_call(command, 0), it->second.first) << command.name;
    EXPECT_EQ(class_of_call(command, 1), it->second.second) << command.name;
  }
}

TEST(CommandClasses, UndeclaredIsWrite) {
  Registry registry;
  ASSERT_TRUE(registry.add(
      Command{"mine", "an embedder's command", kNoFlags, [](Call&) { return CommandReply{}; }}));
  EXPECT_EQ(class_of_call(*registry.find("mine"), 0), CommandClass::write);
}

class AccessGateTest : public testing::Test {
 protected:
  void SetUp() override {
    hits_ = define(world_, "g", "hits", stats::Kind::counter, 5);
    ASSERT_TRUE(world_.start("mi-datagram test"));
    for (const char* line : {"uid:0 all", "* read"}) {
      config::AccessRule rule;
      ASSERT_FALSE(config::parse_access_rule(line, 1, rule));
      rules_.push_back(rule);
    }
  }
  Handled ask_as(const transport::PeerIdentity& peer, std::string_view request) {
    const transport::PeerAccessGate gate(rules_, peer);
    return request::handle_datagram(request, world_.registry, *world_.workspace, "\t", nullptr,
                                    &gate);
  }

  support::BuiltinWorld world_;
  stats::StatId hits_{};
  std::vector<config::AccessRule> rules_;
  const transport::PeerIdentity reader_ = transport::PeerIdentity::unix_peer(1000, 1000, 5);
  const transport::PeerIdentity root_ = transport::PeerIdentity::unix_peer(0, 0, 6);
};

TEST_F(AccessGateTest, ReadOnlyPeerReadsButChangesNothing) {
  const Handled shown = ask_as(reader_, ":log_level:\n");
  // notice (2) for each process of the test world's table.
  EXPECT_EQ(std::string(shown.reply).substr(0, 34), "200 OK\nProcess:: \n\tPID:: 1\n\tLog le");
  EXPECT_NE(std::string(shown.reply).find("\tLog level:: 2\n"), std::string::npos);
  EXPECT_FALSE(shown.forbidden);
  EXPECT_EQ(shown.command_class, CommandClass::read);

  const Handled set = ask_as(reader_, ":log_level:\ndebug\n");
  EXPECT_EQ(std::string(set.reply), "403 forbidden by the access rules: log_level\n");
  EXPECT_TRUE(set.forbidden);
  EXPECT_EQ(set.outcome, Outcome::command_failed);
  EXPECT_EQ(set.command_class, CommandClass::write);
  EXPECT_EQ(world_.shared.log_level.load(), static_cast<int>(core::LogLevel::notice));

  EXPECT_EQ(std::string(ask_as(reader_, ":debug:\n4\n").reply),
            "403 forbidden by the access rules: debug\n");
  EXPECT_EQ(world_.shared.log_level.load(), static_cast<int>(core::LogLevel::notice));
  EXPECT_EQ(std::string(ask_as(reader_, ":kill:\n").reply),
            "403 forbidden by the access rules: kill\n");
}

TEST_F(AccessGateTest, RefusedResetLeavesTheCountersAsTheyWere) {
  EXPECT_TRUE(ask_as(reader_, ":reset_statistics:\ng:hits\n").forbidden);
  EXPECT_EQ(world_.statistics.get(hits_), 5U);
  const Handled reset = ask_as(root_, ":reset_statistics:\ng:hits\n");
  EXPECT_FALSE(reset.forbidden);
  EXPECT_EQ(reset.outcome, Outcome::ok);
  EXPECT_EQ(reset.command_class, CommandClass::write);
  EXPECT_EQ(world_.statistics.get(hits_), 0U);
}

TEST_F(AccessGateTest, AskedBeforeTheArgumentsAreChecked) {
  // A refused peer learns nothing about what the command would accept.
  const Handled refused = ask_as(reader_, ":kill:\nnow\n");
  EXPECT_TRUE(refused.forbidden);
  EXPECT_EQ(std::string(refused.reply).substr(0, 4), "403 ");
  // Unknown commands and bad requests are answered as before.
  EXPECT_EQ(std::string(ask_as(reader_, ":nope:\n").reply), "404 unknown command: nope\n");
  EXPECT_EQ(ask_as(reader_, "garbage").outcome, Outcome::bad_request);
}

TEST_F(AccessGateTest, WriteCallsAndRefusalsAreAuditedWithTheirStatus) {
  const Handled refused = ask_as(reader_, ":reset_statistics:\ng:\n");
  ASSERT_TRUE(transport::needs_audit(record_of(refused)));
  EXPECT_EQ(status_code(refused), 403U);
  EXPECT_EQ(transport::AuditLine(record_of(refused), reader_).view(),
            "audit: command=reset_statistics status=403 uid=1000 gid=1000 pid=5");

  const Handled reset = ask_as(root_, ":reset_statistics:\ng:\n");
  ASSERT_TRUE(transport::needs_audit(record_of(reset)));
  EXPECT_EQ(transport::AuditLine(record_of(reset), root_).view(),
            "audit: command=reset_statistics status=200 uid=0 gid=0 pid=6");

  // A write call that fails is audited with its failure.
  const Handled bad_level = ask_as(root_, ":log_level:\nloud\n");
  ASSERT_TRUE(transport::needs_audit(record_of(bad_level)));
  EXPECT_EQ(status_code(bad_level), 400U);

  // Reads, unknown commands and requests that do not parse are not.
  EXPECT_FALSE(transport::needs_audit(record_of(ask_as(reader_, ":log_level:\n"))));
  EXPECT_FALSE(transport::needs_audit(record_of(ask_as(reader_, ":uptime:\n"))));
  EXPECT_FALSE(transport::needs_audit(record_of(ask_as(root_, ":nope:\n"))));
  EXPECT_FALSE(transport::needs_audit(record_of(ask_as(root_, "garbage"))));
  EXPECT_EQ(status_code(Handled{}), 0U);
}

}  // namespace
}  // namespace mid::mi::test

// Who may run what, and who did: `access` rules and the audit trail
// through the real daemon, with the real client run as a second uid.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kStranger = "4242";

class Access : public ::testing::Test {
 protected:
  void start(const std::string& rules, const std::string& extra = "") {
    daemon_.emplace(scratch_, "socket_name = " + scratch_.path("mi.sock") +
                                  "\nunix_socket_mode = 0666\n" + rules + extra);
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  // The real client, as root or as another uid (setpriv).
  RunResult client(const std::vector<std::string>& command, const char* uid = nullptr) {
    std::vector<std::string> argv;
    if (uid != nullptr) {
      argv = {"/usr/bin/setpriv", std::string("--reuid=") + uid, std::string("--regid=") + uid,
              "--clear-groups"};
    }
    argv.push_back(client_path());
    argv.push_back("-s");
    argv.push_back(daemon_->socket());
    argv.insert(argv.end(), command.begin(), command.end());
    return run_program(argv);
  }
  // Waits until the daemon's log holds `text` (lines are written by the
  // worker after the reply leaves).
  bool logged(const std::string& text) {
    for (int i = 0; i < 100; ++i) {
      if (daemon_->log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  Scratch scratch_;
  std::optional<Daemon> daemon_;
};

TEST_F(Access, ARuleOfReadRefusesAWriteCommandWith403AndAuditsIt) {
  start("access = uid:0 all\naccess = * read\n");
  const RunResult refused = client({"reset_statistics"}, kStranger);
  EXPECT_EQ(refused.output, "403 forbidden by the access rules: reset_statistics\n");
  EXPECT_EQ(refused.exit_status, 1);
  EXPECT_TRUE(logged("audit: command=reset_statistics status=403 uid=4242 gid=4242 pid="))
      << daemon_->log();
  EXPECT_EQ(client({"version"}, kStranger).exit_status, 0) << "read commands still run";
}

TEST_F(Access, AnAllowedWriteCallIsAuditedWithItsStatus) {
  start("access = uid:0 all\naccess = * read\n");
  EXPECT_EQ(client({"reset_statistics", "datagram:"}).exit_status, 0);
  EXPECT_TRUE(logged("audit: command=reset_statistics status=200 uid=0 gid=0 pid="))
      << daemon_->log();
}

TEST_F(Access, ReadCallsLeaveNoAuditLine) {
  start("access = uid:0 all\n");
  EXPECT_EQ(client({"get_statistics", "datagram:"}).exit_status, 0);
  EXPECT_EQ(client({"log_level"}).exit_status, 0) << "log_level without a level only reads";
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(daemon_->log().find("audit:"), std::string::npos) << daemon_->log();
}

TEST_F(Access, LogLevelWithALevelIsAWriteCall) {
  start("access = * read\n");
  EXPECT_EQ(client({"log_level"}).exit_status, 0);
  const RunResult refused = client({"log_level", "debug"});
  EXPECT_EQ(refused.output, "403 forbidden by the access rules: log_level\n");
  EXPECT_TRUE(logged("audit: command=log_level status=403 uid=0")) << daemon_->log();
}

TEST_F(Access, FirstMatchingRuleDecides) {
  start("access = uid:4242 none\naccess = * all\n");
  EXPECT_EQ(client({"version"}, kStranger).output, "403 forbidden by the access rules: version\n");
  EXPECT_EQ(client({"reset_statistics", "datagram:"}).exit_status, 0);
}

TEST_F(Access, GroupRulesMatchTheSendersGid) {
  start("access = gid:4242 get_statistics\naccess = uid:0 all\n");
  EXPECT_EQ(client({"get_statistics", "datagram:"}, kStranger).exit_status, 0);
  EXPECT_EQ(client({"version"}, kStranger).output, "403 forbidden by the access rules: version\n");
}

TEST_F(Access, NoMatchingRuleMeansRefused) {
  start("access = uid:0 all\n");
  EXPECT_EQ(client({"version"}, kStranger).output, "403 forbidden by the access rules: version\n");
}

TEST_F(Access, UdpSourcesAreMatchedByNetworkAndAuditedByAddress) {
  const unsigned port = free_udp_port(false);
  const std::string socket = "udp:127.0.0.1:" + std::to_string(port);
  daemon_.emplace(scratch_, "socket_name = " + socket +
                                "\naccess = udp:127.0.0.1/32 read,reset_statistics\n"
                                "access = * none\n");
  ASSERT_TRUE(daemon_->running()) << daemon_->log();
  EXPECT_EQ(run_program({client_path(), "-s", socket, "version"}).exit_status, 0);
  EXPECT_EQ(run_program({client_path(), "-s", socket, "reset_statistics", "datagram:"}).exit_status,
            0);
  EXPECT_TRUE(logged("audit: command=reset_statistics status=200 from=127.0.0.1:"))
      << daemon_->log();
  EXPECT_EQ(run_program({client_path(), "-s", socket, "log_level", "debug"}).output,
            "403 forbidden by the access rules: log_level\n");
}

TEST_F(Access, ARefusalByTheCoarseListsIsAuditedToo) {
  start("", "allowed_uids = 0\n");
  EXPECT_EQ(client({"version"}, kStranger).output, "403 Forbidden\n");
  EXPECT_TRUE(logged("audit: command=- status=403 uid=4242 gid=4242 pid=")) << daemon_->log();
}

TEST_F(Access, AuditLinesAreRateLimitedWithACountOfTheRest) {
  start("access = * read\n");
  const std::string request = ":reset_statistics:\n";
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(ask(daemon_->socket(), request).has_value());
  std::this_thread::sleep_for(1100ms);
  ASSERT_TRUE(ask(daemon_->socket(), request).has_value());
  EXPECT_TRUE(logged("similar lines suppressed (audit)")) << daemon_->log();
  const std::string log = daemon_->log();
  std::size_t audits = 0;
  for (std::size_t at = log.find("audit: "); at != std::string::npos;
       at = log.find("audit: ", at + 1)) {
    ++audits;
  }
  EXPECT_LT(audits, 50U) << "201 refusals, a few lines per second";
  EXPECT_GE(audits, 2U);
}

}  // namespace
}  // namespace mid::e2e

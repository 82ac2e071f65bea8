// mi-datagram as a user runs it: output and exit statuses.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

class Client : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_.emplace(scratch_, "socket_name = " + scratch_.path("mi.sock") + "\n");
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  RunResult client(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {client_path(), "-s", daemon_->socket()});
    return run_program(args, 10s, input);
  }
  Scratch scratch_;
  std::optional<Daemon> daemon_;
};

TEST_F(Client, SuccessfulCommandExitsZeroAndPrintsTheReply) {
  const RunResult run = client({"uptime"});
  EXPECT_EQ(run.exit_status, 0);
  EXPECT_EQ(run.output.rfind("200 OK\nNow:: ", 0), 0U) << run.output;
  EXPECT_NE(run.output.find("\nUp time:: "), std::string::npos);
}

TEST_F(Client, ErrorReplyExitsOne) {
  const RunResult run = client({"nosuch"});
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_EQ(run.output, "404 unknown command: nosuch\n");
}

TEST_F(Client, ArgumentsAreQuotedAndNamedAsNeeded) {
  const RunResult run = client({"help", "get_statistics"});
  EXPECT_EQ(run.exit_status, 0);
  EXPECT_NE(run.output.find("Help:: shows statistics"), std::string::npos) << run.output;
  const RunResult stats = client({"get_statistics", "datagram:requests", "core:"});
  EXPECT_EQ(stats.exit_status, 0);
  EXPECT_NE(stats.output.find("core:processes:: 2"), std::string::npos) << stats.output;
}

TEST_F(Client, RawRequestFromStandardInput) {
  const RunResult run = client({"-"}, ":get_statistics:\ncore:processes\n");
  EXPECT_EQ(run.exit_status, 0);
  EXPECT_EQ(run.output, "200 OK\ncore:processes:: 2\n");
  const RunResult bad = client({"-"}, ":version:\n\"open\n");
  EXPECT_EQ(bad.exit_status, 1);
  EXPECT_EQ(bad.output, "400 bad argument at byte 10: unterminated quote\n");
}

// -r (--raw) combines with the other options and with '-'; through a pipe
// the output is the same bytes either way.
TEST_F(Client, RawOutputOptionCombinesWithTheOthers) {
  const RunResult plain = client({"help", "\x1b]0;t\x07"});
  const RunResult raw = client({"--raw", "help", "\x1b]0;t\x07"});
  EXPECT_EQ(raw.exit_status, 1);
  EXPECT_EQ(raw.output, "404 unknown command: \\x1b]0;t\\x07\n");
  EXPECT_EQ(plain.output, raw.output);
  const RunResult from_stdin = client({"-r", "-"}, ":get_statistics:\ncore:processes\n");
  EXPECT_EQ(from_stdin.exit_status, 0);
  EXPECT_EQ(from_stdin.output, "200 OK\ncore:processes:: 2\n");
  const RunResult help = run_program({client_path(), "--help"});
  EXPECT_NE(help.output.find("-r, --raw"), std::string::npos) << help.output;
}

TEST_F(Client, UsageErrorsExitTwo) {
  EXPECT_EQ(run_program({client_path()}).exit_status, 2);
  EXPECT_EQ(run_program({client_path(), "--bogus"}).exit_status, 2);
  EXPECT_EQ(run_program({client_path(), "-t", "abc", "uptime"}).exit_status, 2);
  EXPECT_EQ(client({"-"}, std::string(65458, 'x')).exit_status, 2);
}

TEST_F(Client, NoReplyExitsThree) {
  // A socket that receives but never answers.
  const std::string path = scratch_.path("mute.sock");
  const int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const RunResult run = run_program({client_path(), "-s", path, "-t", "200", "uptime"});
  EXPECT_EQ(run.exit_status, 3) << run.output;
  close(fd);
}

TEST_F(Client, MissingServerExitsFour) {
  const RunResult run = run_program({client_path(), "-s", scratch_.path("absent.sock"), "uptime"});
  EXPECT_EQ(run.exit_status, 4) << run.output;
}

TEST_F(Client, HelpAndVersion) {
  const RunResult help = run_program({client_path(), "--help"});
  EXPECT_EQ(help.exit_status, 0);
  EXPECT_NE(help.output.find("Usage: mi-datagram"), std::string::npos);
  const RunResult version = run_program({daemon_path(), "--version"});
  EXPECT_EQ(version.exit_status, 0);
  EXPECT_EQ(version.output.rfind("mi-datagramd ", 0), 0U);
}

TEST(DaemonCommandLine, BadConfigurationNamesFileLineAndKey) {
  Scratch scratch;
  const std::string path = scratch.path("bad.conf");
  {
    std::ofstream out(path);
    out << "socket_name = " << scratch.path("mi.sock") << "\n# comment\nchildren_count = lots\n";
  }
  const RunResult run = run_program({daemon_path(), "--check-config", "--config", path});
  EXPECT_EQ(run.exit_status, 2);
  EXPECT_NE(run.output.find(path + ":3: children_count: "), std::string::npos) << run.output;
}

TEST(DaemonCommandLine, SeedModparamLinesAreAccepted) {
  Scratch scratch;
  const std::string path = scratch.path("seed.conf");
  {
    std::ofstream out(path);
    out << "modparam(\"mi_datagram\", \"socket_name\", \"" << scratch.path("mi.sock") << "\")\n"
        << "modparam(\"mi_datagram\", \"children_count\", 3)\n"
        << "modparam(\"mi_datagram\", \"unix_socket_mode\", 0600)\n"
        << "modparam(\"mi_datagram\", \"socket_timeout\", 2000)\n"
        << "modparam(\"mi_datagram\", \"reply_indent\", \"    \")\n";
  }
  const RunResult run = run_program({daemon_path(), "--check-config", "--config", path});
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_NE(run.output.find("children_count = \"3\""), std::string::npos) << run.output;
}

}  // namespace
}  // namespace mid::e2e

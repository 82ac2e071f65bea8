// The listening socket as the daemon creates it, refuses to create it, and
// removes it.

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

std::string unix_config(const std::string& path, const std::string& extra = "") {
  return "socket_name = " + path + "\n" + extra;
}

TEST(SocketE2e, ModeOwnerAndGroupAreAsConfigured) {
  Scratch scratch;
  Daemon daemon(scratch, unix_config(scratch.path("mi.sock"),
                                     "unix_socket_mode = 0600\nunix_socket_user = nobody\n"
                                     "unix_socket_group = nogroup\n"));
  ASSERT_TRUE(daemon.running()) << daemon.log();
  struct stat st {};
  ASSERT_EQ(lstat(daemon.socket().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600U);
  EXPECT_EQ(st.st_uid, 65534U);
  EXPECT_EQ(st.st_gid, 65534U);
}

TEST(SocketE2e, DefaultModeIs0660) {
  Scratch scratch;
  Daemon daemon(scratch, unix_config(scratch.path("mi.sock")));
  struct stat st {};
  ASSERT_EQ(lstat(daemon.socket().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0660U);
}

TEST(SocketE2e, SymlinkAtSocketNameIsRefusedAndLeftUntouched) {
  Scratch scratch;
  const std::string target = scratch.path("precious");
  std::ofstream(target) << "keep me";
  const std::string link = scratch.path("mi.sock");
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  const RunResult run = run_program({daemon_path(), "--foreground", "--socket", link}, 10s);
  EXPECT_NE(run.exit_status, 0) << run.output;
  EXPECT_NE(run.output.find(link), std::string::npos) << run.output;
  struct stat st {};
  ASSERT_EQ(lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  std::ifstream in(target);
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "keep me");
}

TEST(SocketE2e, RegularFileAtSocketNameIsRefusedAndLeftUntouched) {
  Scratch scratch;
  const std::string path = scratch.path("mi.sock");
  std::ofstream(path) << "data";
  const RunResult run = run_program({daemon_path(), "--foreground", "--socket", path}, 10s);
  EXPECT_NE(run.exit_status, 0) << run.output;
  struct stat st {};
  ASSERT_EQ(lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_size, 4);
}

TEST(SocketE2e, LiveInstanceIsNotDisplaced) {
  Scratch scratch;
  Daemon first(scratch, unix_config(scratch.path("mi.sock")));
  ASSERT_TRUE(first.running()) << first.log();
  const RunResult second =
      run_program({daemon_path(), "--foreground", "--socket", first.socket()}, 10s);
  EXPECT_NE(second.exit_status, 0);
  EXPECT_NE(second.output.find("another instance"), std::string::npos) << second.output;
  const auto reply = ask(first.socket(), ":version:\n");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->rfind("200 OK\n", 0), 0U);
  EXPECT_TRUE(first.running());
}

TEST(SocketE2e, StaleSocketIsReplaced) {
  Scratch scratch;
  const std::string path = scratch.path("mi.sock");
  const int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  close(fd);  // the file stays, nobody listens: stale
  Daemon daemon(scratch, unix_config(path));
  ASSERT_TRUE(daemon.running()) << daemon.log();
  EXPECT_TRUE(ask(path, ":version:\n").has_value());
}

TEST(SocketE2e, SigtermStopsEveryProcessAndRemovesTheSocket) {
  Scratch scratch;
  Daemon daemon(scratch, unix_config(scratch.path("mi.sock"), "children_count = 3\n"));
  const std::vector<pid_t> pids = wait_for_processes(daemon.socket(), 4);
  ASSERT_EQ(pids.size(), 4U);
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
  for (const pid_t pid : pids) EXPECT_NE(kill(pid, 0), 0) << "pid " << pid << " still alive";
  struct stat st {};
  EXPECT_NE(lstat(daemon.socket().c_str(), &st), 0) << "socket file left behind";
}

TEST(SocketE2e, UdpOnIpv4Loopback) {
  Scratch scratch;
  const std::string name = "udp:127.0.0.1:" + std::to_string(free_udp_port(false));
  Daemon daemon(scratch, "socket_name = " + name + "\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const auto reply = ask(name, ":version:\n");
  ASSERT_TRUE(reply.has_value()) << daemon.log();
  EXPECT_EQ(reply->rfind("200 OK\nServer:: mi-datagram ", 0), 0U) << *reply;
}

TEST(SocketE2e, UdpOnIpv6Loopback) {
  Scratch scratch;
  const std::string name = "udp:[::1]:" + std::to_string(free_udp_port(true));
  Daemon daemon(scratch, "socket_name = " + name + "\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const auto reply = ask(name, ":uptime:\n");
  ASSERT_TRUE(reply.has_value()) << daemon.log();
  EXPECT_NE(reply->find("Up time:: "), std::string::npos) << *reply;
}

TEST(SocketE2e, UdpSourceOutsideAllowFromGetsNoReply) {
  Scratch scratch;
  // Only 192.0.2.0/24 (documentation range) may ask: loopback is refused.
  const std::string name = "udp:127.0.0.1:" + std::to_string(free_udp_port(false));
  Daemon daemon(scratch, "socket_name = " + name + "\nallow_from = 192.0.2.0/24\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  EXPECT_FALSE(ask(name, ":version:\n", 300ms).has_value());
  const auto stats = ask(name, ":get_statistics:\ndatagram:denied\n", 300ms);
  EXPECT_FALSE(stats.has_value());
  EXPECT_TRUE(daemon.running()) << daemon.log();
}

}  // namespace
}  // namespace mid::e2e

// The listening socket as the daemon creates it, refuses to create it, and
// removes it.

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

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

// The daemon can remove its socket at stop when it may still write the
// directory after dropping to nobody: a directory owned by the socket's
// configured owner, nobody.
TEST(SocketE2e, SigtermStopsEveryProcessAndRemovesTheSocket) {
  Scratch scratch;
  const std::string run = scratch.path("run");
  ASSERT_EQ(mkdir(run.c_str(), 0755), 0);
  ASSERT_EQ(chown(run.c_str(), 65534, 65534), 0);
  Daemon daemon(scratch,
                unix_config(run + "/mi.sock", "children_count = 3\nunix_socket_user = nobody\n"));
  const std::vector<pid_t> pids = wait_for_processes(daemon.socket(), 4);
  ASSERT_EQ(pids.size(), 4U) << daemon.log();
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
  for (const pid_t pid : pids) EXPECT_NE(kill(pid, 0), 0) << "pid " << pid << " still alive";
  struct stat st {};
  EXPECT_NE(lstat(daemon.socket().c_str(), &st), 0) << "socket file left behind";
}

// In a directory only root may write, the daemon (nobody by then) cannot
// remove its socket: it says so, and the next start replaces the stale
// socket. A stale socket answers nothing: a client gets "Connection
// refused", as for no socket.
TEST(SocketE2e, SocketLeftInARootDirectoryIsReplacedByTheNextStart) {
  Scratch scratch;
  const std::string path = scratch.path("mi.sock");
  {
    Daemon daemon(scratch, unix_config(path));
    ASSERT_TRUE(daemon.running()) << daemon.log();
    EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
    EXPECT_NE(daemon.log().find("socket not removed: cannot remove " + path +
                                ": Permission denied (the next start replaces a stale socket)"),
              std::string::npos)
        << daemon.log();
  }
  struct stat st {};
  ASSERT_EQ(lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_FALSE(ask(path, ":version:\n", 300ms).has_value());
  Scratch logs;  // a fresh log: the first daemon's says "serving" already
  Daemon next(logs, unix_config(path));
  ASSERT_TRUE(next.running()) << next.log();
  EXPECT_NE(next.log().find("removed stale socket " + path), std::string::npos) << next.log();
  EXPECT_TRUE(ask(path, ":version:\n").has_value());
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

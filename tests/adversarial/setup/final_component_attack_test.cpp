// What may lie at the socket's name itself. Only root and the socket's
// configured owner can write the socket's directory (the daemon refuses
// any other), so the one who plants things here is that owner: nobody, in
// a directory it owns, trying to make the daemon (root) delete or clobber
// something, or take over a socket another process serves.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include <gtest/gtest.h>

#include "attacker.hpp"

namespace mid::adversarial {
namespace {

// The socket's directory, owned by the socket's configured owner, nobody.
struct OwnersDirectory {
  e2e::Scratch scratch;
  std::string dir = scratch.path("run");
  std::string socket = dir + "/mi.sock";
  std::string config = scratch.path("mi-datagramd.conf");
  OwnersDirectory() {
    make_dir(dir, kNobody, kNobody, 0755);
    write_file(config, "socket_name = " + socket + "\nunix_socket_user = nobody\n");
  }
};

void expect_refused(const e2e::RunResult& run, const std::string& socket, const char* what) {
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("refusing socket path " + socket + ": " + what +
                            " is there, not a socket (left untouched)"),
            std::string::npos)
      << run.output;
}

TEST(FinalComponentAttack, SymlinkToARootFileIsRefusedAndLeftUntouched) {
  OwnersDirectory at;
  const std::string precious = at.scratch.path("precious");
  write_file(precious, "keep me", 0, 0, 0600);
  ASSERT_EQ(run_as(kNobody, {"/bin/ln", "-s", precious, at.socket}).exit_status, 0);
  expect_refused(start_daemon(at.config), at.socket, "a symbolic link");
  struct stat st {};
  ASSERT_EQ(lstat(at.socket.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(read_file(precious), "keep me");
  ASSERT_EQ(lstat(precious.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 0U);
  EXPECT_EQ(st.st_mode & 07777U, 0600U);
}

TEST(FinalComponentAttack, RegularFileIsRefusedAndLeftUntouched) {
  OwnersDirectory at;
  ASSERT_EQ(run_as(kNobody, {"/bin/sh", "-c", "printf data > " + at.socket}).exit_status, 0);
  expect_refused(start_daemon(at.config), at.socket, "a regular file");
  EXPECT_EQ(read_file(at.socket), "data");
}

TEST(FinalComponentAttack, FifoIsRefusedAndLeftUntouched) {
  OwnersDirectory at;
  ASSERT_EQ(run_as(kNobody, {"/usr/bin/mkfifo", at.socket}).exit_status, 0);
  expect_refused(start_daemon(at.config), at.socket, "a FIFO");
  struct stat st {};
  ASSERT_EQ(lstat(at.socket.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(FinalComponentAttack, DirectoryIsRefusedAndLeftUntouched) {
  OwnersDirectory at;
  ASSERT_EQ(run_as(kNobody, {"/bin/mkdir", at.socket}).exit_status, 0);
  ASSERT_EQ(run_as(kNobody, {"/usr/bin/touch", at.socket + "/inside"}).exit_status, 0);
  expect_refused(start_daemon(at.config), at.socket, "a directory");
  struct stat st {};
  EXPECT_EQ(lstat((at.socket + "/inside").c_str(), &st), 0);
}

// A socket another process serves is never taken over: the daemon refuses
// to start, and datagrams to the path still reach that process.
TEST(FinalComponentAttack, LiveSocketOfAnotherProcessIsNotTakenOver) {
  OwnersDirectory at;
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  const Accomplice server(kNobody, [&] {
    const int fd = bind_unix_socket(at.socket);
    const timeval patience{10, 0};  // the relay below never outlives a failed test by long
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience) != 0) {
      return 1;
    }
    std::array<char, 16> buffer{};
    const char ready = 'R';
    if (write(pipe_fds[1], &ready, 1) != 1) return 2;
    // Relays the first datagram it receives to the test, after the setup.
    const pid_t relay = fork();
    if (relay == 0) {
      const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
      _exit(n > 0 && write(pipe_fds[1], buffer.data(), static_cast<std::size_t>(n)) == n ? 0 : 1);
    }
    return 0;
  });
  ASSERT_EQ(server.setup_status(), 0);
  char ready = 0;
  ASSERT_EQ(read(pipe_fds[0], &ready, 1), 1);

  const e2e::RunResult run = start_daemon(at.config);
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("another instance is running on " + at.socket), std::string::npos)
      << run.output;

  const int client = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, at.socket.data(), at.socket.size());
  ASSERT_EQ(
      sendto(client, "ping", 4, 0, reinterpret_cast<const sockaddr*>(&address), sizeof address), 4);
  close(client);
  std::array<char, 4> got{};
  pollfd relayed{pipe_fds[0], POLLIN, 0};
  ASSERT_EQ(poll(&relayed, 1, 5000), 1);
  ASSERT_EQ(read(pipe_fds[0], got.data(), got.size()), 4);
  EXPECT_EQ(std::string(got.data(), 4), "ping") << "the other process still has its socket";
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

// Two daemons on one path: the second refuses, the first keeps serving.
TEST(FinalComponentAttack, LiveInstanceIsNotDisplaced) {
  e2e::Scratch scratch;
  e2e::Daemon first(scratch, "socket_name = " + scratch.path("mi.sock") + "\n");
  ASSERT_TRUE(first.running()) << first.log();
  const e2e::RunResult second =
      e2e::run_program({e2e::daemon_path(), "--foreground", "--socket", first.socket()});
  EXPECT_EQ(second.exit_status, 1) << second.output;
  EXPECT_NE(second.output.find("another instance is running on " + first.socket()),
            std::string::npos)
      << second.output;
  const auto reply = e2e::ask(first.socket(), ":version:\n");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->rfind("200 OK\n", 0), 0U);
  EXPECT_TRUE(first.running());
}

}  // namespace
}  // namespace mid::adversarial

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "transport/client_socket.hpp"
#include "transport/socket_setup.hpp"
#include "transport_test_support.hpp"

namespace mid::transport {
namespace {

using ::testing::HasSubstr;
using testing::lstat_or_fail;
using testing::TempDir;
using testing::unix_config;

// Binds a raw socket of `type` at `path` and returns its descriptor.
int raw_bound_socket(const std::string& path, int type) {
  const int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
  EXPECT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << path;
  return fd;
}

class UnixSocketMode : public ::testing::TestWithParam<unsigned> {};

TEST_P(UnixSocketMode, FileHasExactlyTheConfiguredMode) {
  TempDir dir;
  const std::string path = dir.file("mi.sock");
  const mode_t before = umask(022);
  BindResult result = bind_listening_socket(unix_config(path, GetParam()));
  const mode_t after = umask(before);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(after, 022U) << "umask must be restored after bind";
  const struct stat st = lstat_or_fail(path);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777U, GetParam());
  EXPECT_TRUE(result.socket.is_unix());
  EXPECT_EQ(result.socket.unix_path(), path);
}

INSTANTIATE_TEST_SUITE_P(Modes, UnixSocketMode, ::testing::Values(0600U, 0660U, 0666U, 0640U));

TEST(UnixSocketSetup, OwnerAndGroupAsConfiguredWithoutFollowingLinks) {
  const passwd* nobody = getpwnam("nobody");
  const group* nogroup = getgrnam("nogroup");
  ASSERT_NE(nobody, nullptr);
  ASSERT_NE(nogroup, nullptr);
  ASSERT_EQ(geteuid(), 0U) << "this test needs root to chown";
  TempDir dir;
  const std::string path = dir.file("owned.sock");
  config::Config c = unix_config(path, 0660);
  c.unix_socket_user.id = nobody->pw_uid;
  c.unix_socket_group.id = nogroup->gr_gid;
  BindResult result = bind_listening_socket(c);
  ASSERT_TRUE(result.ok()) << result.error;
  const struct stat st = lstat_or_fail(path);
  EXPECT_EQ(st.st_uid, nobody->pw_uid);
  EXPECT_EQ(st.st_gid, nogroup->gr_gid);
  EXPECT_EQ(st.st_mode & 07777U, 0660U);
}

TEST(UnixSocketSetup, UnsetOwnerAndGroupAreInherited) {
  TempDir dir;
  const std::string path = dir.file("inherit.sock");
  config::Config c = unix_config(path);
  c.unix_socket_group.id = 65534;
  BindResult result = bind_listening_socket(c);
  ASSERT_TRUE(result.ok()) << result.error;
  const struct stat st = lstat_or_fail(path);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_gid, 65534U);
}

TEST(UnixSocketSetup, FailedChownLeavesNothingBehind) {
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0777), 0);
  const std::string path = dir.file("unowned.sock");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Without root, giving the file to root must fail, and the socket file
    // just created must be removed again.
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
    config::Config c = unix_config(path);
    c.unix_socket_user.id = 0;
    const BindResult result = bind_listening_socket(c);
    if (result.ok()) _exit(11);
    if (result.error.find("cannot set owner/group of socket " + path) != 0) _exit(12);
    struct stat st {};
    _exit(lstat(path.c_str(), &st) != 0 && errno == ENOENT ? 0 : 13);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(UnixSocketSetup, SymlinkToFileIsRefusedAndLeftUntouched) {
  TempDir dir;
  const std::string target = dir.file("precious");
  const std::string path = dir.file("link.sock");
  testing::write_file(target, "keep me\n");
  ASSERT_EQ(symlink(target.c_str(), path.c_str()), 0);
  const struct stat link_before = lstat_or_fail(path);
  const struct stat target_before = lstat_or_fail(target);

  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr(path));
  EXPECT_THAT(result.error, HasSubstr("a symbolic link is there, not a socket"));

  const struct stat link_after = lstat_or_fail(path);
  const struct stat target_after = lstat_or_fail(target);
  EXPECT_TRUE(S_ISLNK(link_after.st_mode));
  EXPECT_EQ(link_after.st_ino, link_before.st_ino);
  EXPECT_EQ(target_after.st_ino, target_before.st_ino);
  EXPECT_EQ(target_after.st_mode, target_before.st_mode);
  EXPECT_EQ(testing::read_file(target), "keep me\n");
  std::array<char, 256> link_text{};
  ASSERT_GT(readlink(path.c_str(), link_text.data(), link_text.size() - 1), 0);
  EXPECT_EQ(std::string(link_text.data()), target);
}

TEST(UnixSocketSetup, DanglingSymlinkIsRefusedAndNothingIsCreated) {
  TempDir dir;
  const std::string target = dir.file("would-be-created");
  const std::string path = dir.file("dangling.sock");
  ASSERT_EQ(symlink(target.c_str(), path.c_str()), 0);
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("symbolic link"));
  struct stat st {};
  EXPECT_NE(lstat(target.c_str(), &st), 0) << "bind must not have followed the link";
  EXPECT_TRUE(S_ISLNK(lstat_or_fail(path).st_mode));
}

TEST(UnixSocketSetup, RegularFileIsRefusedAndLeftUntouched) {
  TempDir dir;
  const std::string path = dir.file("file.sock");
  testing::write_file(path, "not a socket");
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  const struct stat before = lstat_or_fail(path);
  BindResult result = bind_listening_socket(unix_config(path, 0666));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("a regular file is there, not a socket (left untouched)"));
  const struct stat after = lstat_or_fail(path);
  EXPECT_EQ(after.st_ino, before.st_ino);
  EXPECT_EQ(after.st_mode, before.st_mode);
  EXPECT_EQ(testing::read_file(path), "not a socket");
}

TEST(UnixSocketSetup, DirectoryIsRefused) {
  TempDir dir;
  const std::string path = dir.file("dir.sock");
  ASSERT_EQ(mkdir(path.c_str(), 0700), 0);
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("a directory is there, not a socket"));
  EXPECT_TRUE(S_ISDIR(lstat_or_fail(path).st_mode));
}

TEST(UnixSocketSetup, FifoIsRefused) {
  TempDir dir;
  const std::string path = dir.file("fifo.sock");
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("a FIFO is there"));
  EXPECT_TRUE(S_ISFIFO(lstat_or_fail(path).st_mode));
}

TEST(UnixSocketSetup, MissingDirectoryIsAClearError) {
  TempDir dir;
  const std::string missing = dir.file("no-such-dir");
  const std::string path = missing + "/mi.sock";
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "directory " + missing + " of socket " + path + " does not exist");
}

TEST(UnixSocketSetup, ParentThatIsAFileIsAClearError) {
  TempDir dir;
  const std::string file = dir.file("plain");
  testing::write_file(file, "x");
  BindResult result = bind_listening_socket(unix_config(file + "/mi.sock"));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("is not a directory"));
}

TEST(UnixSocketSetup, StaleSocketIsReplaced) {
  TempDir dir;
  const std::string path = dir.file("stale.sock");
  close(raw_bound_socket(path, SOCK_DGRAM));  // the file outlives its socket
  // A second name keeps the stale inode alive, so its number cannot be
  // reused by the new socket and the comparison below means something.
  const std::string keep = dir.file("stale.keep");
  ASSERT_EQ(link(path.c_str(), keep.c_str()), 0);
  const struct stat stale = lstat_or_fail(path);
  BindResult result = bind_listening_socket(unix_config(path, 0600));
  ASSERT_TRUE(result.ok()) << result.error;
  const struct stat fresh = lstat_or_fail(path);
  EXPECT_NE(fresh.st_ino, stale.st_ino);
  EXPECT_EQ(fresh.st_mode & 07777U, 0600U);
  EXPECT_EQ(lstat_or_fail(keep).st_nlink, 1U) << "the stale name was unlinked";
}

TEST(UnixSocketSetup, LiveInstanceIsRefusedAndKeepsWorking) {
  TempDir dir;
  const std::string path = dir.file("live.sock");
  BindResult first = bind_listening_socket(unix_config(path));
  ASSERT_TRUE(first.ok()) << first.error;
  const struct stat before = lstat_or_fail(path);

  BindResult second = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.error, "another instance is running on " + path);
  EXPECT_EQ(lstat_or_fail(path).st_ino, before.st_ino);

  std::string error;
  ClientSocket client = connect_client(testing::unix_address(path), error);
  ASSERT_TRUE(client.valid()) << error;
  const std::string ping = ":ping:\n";
  ASSERT_TRUE(client.send(ping, error)) << error;
  std::array<char, 64> buffer{};
  const ssize_t n = recv(first.socket.fd(), buffer.data(), buffer.size(), MSG_DONTWAIT);
  ASSERT_EQ(n, static_cast<ssize_t>(ping.size()));
  EXPECT_EQ(std::string(buffer.data(), ping.size()), ping);
}

// Several instances start at once over a stale socket: exactly one wins,
// and the socket file at the path is the winner's (it receives a datagram
// sent to the path). The others are refused, never left bound to an
// unlinked file.
TEST(UnixSocketSetup, ConcurrentStartsOverAStaleSocketYieldOneLiveInstance) {
  constexpr int kInstances = 6;
  TempDir dir;
  const std::string path = dir.file("race.sock");
  close(raw_bound_socket(path, SOCK_DGRAM));
  int go[2];
  int report[2];
  ASSERT_EQ(pipe(go), 0);
  ASSERT_EQ(pipe(report), 0);
  std::array<pid_t, kInstances> children{};
  for (pid_t& child : children) {
    child = fork();
    ASSERT_GE(child, 0);
    if (child != 0) continue;
    close(go[1]);
    char start = 0;
    if (read(go[0], &start, 1) != 0) _exit(9);  // released together when the pipe closes
    BindResult result = bind_listening_socket(unix_config(path));
    const char outcome = result.ok() ? 'W' : 'L';
    if (write(report[1], &outcome, 1) != 1) _exit(8);
    if (!result.ok()) _exit(2);
    std::array<char, 16> buffer{};
    pollfd ready{result.socket.fd(), POLLIN, 0};
    _exit(poll(&ready, 1, 5000) == 1 &&
                  recv(result.socket.fd(), buffer.data(), buffer.size(), MSG_DONTWAIT) == 4
              ? 0
              : 1);
  }
  close(go[0]);
  close(go[1]);
  close(report[1]);
  int winners = 0;
  for (int i = 0; i < kInstances; ++i) {
    char outcome = 0;
    ASSERT_EQ(read(report[0], &outcome, 1), 1);
    winners += outcome == 'W' ? 1 : 0;
  }
  close(report[0]);
  EXPECT_EQ(winners, 1);
  std::string error;
  ClientSocket client = connect_client(testing::unix_address(path), error);
  ASSERT_TRUE(client.valid()) << error;
  ASSERT_TRUE(client.send(std::string("ping"), error)) << error;
  int received = 0;
  int refused = 0;
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    received += WEXITSTATUS(status) == 0 ? 1 : 0;
    refused += WEXITSTATUS(status) == 2 ? 1 : 0;
  }
  EXPECT_EQ(received, 1) << "the path must name the winner's socket";
  EXPECT_EQ(refused, kInstances - 1);
}

TEST(UnixSocketSetup, LiveStreamSocketIsRefusedWithTheErrnoText) {
  TempDir dir;
  const std::string path = dir.file("stream.sock");
  const int listener = raw_bound_socket(path, SOCK_STREAM);
  ASSERT_EQ(listen(listener, 1), 0);
  BindResult result = bind_listening_socket(unix_config(path));
  close(listener);
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("cannot tell whether socket " + path + " is in use"));
  EXPECT_THAT(result.error, HasSubstr(std::strerror(EPROTOTYPE)));
}

TEST(UnixSocketSetup, SocketOptionsAreSet) {
  TempDir dir;
  config::Config c = unix_config(dir.file("opts.sock"));
  c.socket_timeout_ms = 1250;
  c.socket_buf_size = 200000;
  BindResult result = bind_listening_socket(c);
  ASSERT_TRUE(result.ok()) << result.error;
  const int fd = result.socket.fd();
  int value = 0;
  socklen_t length = sizeof value;
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_PASSCRED, &value, &length), 0);
  EXPECT_EQ(value, 1);
  length = sizeof value;
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, &length), 0);
  EXPECT_GE(value, 200000);
  length = sizeof value;
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, &length), 0);
  EXPECT_GE(value, 200000);
  timeval timeout{};
  length = sizeof timeout;
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, &length), 0);
  // The kernel stores the timeout in jiffies: allow its rounding up.
  const long ms = timeout.tv_sec * 1000 + timeout.tv_usec / 1000;
  EXPECT_GE(ms, 1250);
  EXPECT_LE(ms, 1260);
  EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0) << "the socket stays blocking";
  EXPECT_NE(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
}

TEST(UnixSocketSetup, RemoveUnixPathRemovesOnlyOurSocket) {
  TempDir dir;
  const std::string path = dir.file("remove.sock");
  BindResult result = bind_listening_socket(unix_config(path));
  ASSERT_TRUE(result.ok()) << result.error;
  std::string error;
  EXPECT_TRUE(result.socket.remove_unix_path(error)) << error;
  struct stat st {};
  EXPECT_NE(lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(result.socket.remove_unix_path(error)) << "already gone is fine";

  testing::write_file(path, "someone else's file");
  EXPECT_FALSE(result.socket.remove_unix_path(error));
  EXPECT_THAT(error, HasSubstr("is no longer our socket"));
  EXPECT_EQ(testing::read_file(path), "someone else's file");
}

TEST(UnixSocketSetup, MoveTransfersOwnershipAndDestructorCloses) {
  TempDir dir;
  int fd = -1;
  {
    BindResult result = bind_listening_socket(unix_config(dir.file("move.sock")));
    ASSERT_TRUE(result.ok()) << result.error;
    fd = result.socket.fd();
    ListeningSocket moved = std::move(result.socket);
    EXPECT_FALSE(result.socket.valid());  // NOLINT(bugprone-use-after-move): checking the contract
    EXPECT_EQ(moved.fd(), fd);
    EXPECT_TRUE(moved.is_unix());
    EXPECT_NE(fcntl(fd, F_GETFD), -1);
  }
  EXPECT_EQ(fcntl(fd, F_GETFD), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST(UnixSocketSetup, RelativePathIsBoundInTheWorkingDirectory) {
  TempDir dir;
  std::array<char, 4096> previous{};
  ASSERT_NE(getcwd(previous.data(), previous.size()), nullptr);
  ASSERT_EQ(chdir(dir.path().c_str()), 0);
  BindResult result = bind_listening_socket(unix_config("relative.sock", 0600));
  ASSERT_EQ(chdir(previous.data()), 0);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_TRUE(S_ISSOCK(lstat_or_fail(dir.file("relative.sock")).st_mode));
}

TEST(UnixSocketSetup, PathTooLongIsRefused) {
  const std::string path = "/tmp/" + std::string(120, 'x');
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("must be 1 to 107 bytes"));
}

TEST(UnixSocketSetupDeathTest, OrDieLogsAndExitsOne) {
  TempDir dir;
  const std::string path = dir.file("file.sock");
  testing::write_file(path, "x");
  const config::Config c = unix_config(path);
  EXPECT_EXIT({ [[maybe_unused]] ListeningSocket s = bind_listening_socket_or_die(c); },
              ::testing::ExitedWithCode(1), "refusing socket path .*: a regular file is there");
}

}  // namespace
}  // namespace mid::transport

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
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

// Runs `body` in a child process as uid and gid `id`, without
// supplementary groups; returns its exit status (or 100 + signal).
int as_user(uid_t id, const std::function<int()>& body) {
  const pid_t child = fork();
  if (child == 0) {
    if (setgroups(0, nullptr) != 0 || setresgid(id, id, id) != 0 || setresuid(id, id, id) != 0) {
      _exit(99);
    }
    _exit(body());
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

bool is_empty_directory(const std::string& path) {
  return std::filesystem::is_empty(path);
}

class UnixSocketMode : public ::testing::TestWithParam<unsigned> {};

TEST_P(UnixSocketMode, FileHasExactlyTheConfiguredMode) {
  TempDir dir;
  const std::string path = dir.file("mi.sock");
  const mode_t before = umask(022);
  const std::filesystem::path cwd = std::filesystem::current_path();
  BindResult result = bind_listening_socket(unix_config(path, GetParam()));
  const mode_t after = umask(before);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(after, 022U) << "umask must be restored after bind";
  EXPECT_EQ(std::filesystem::current_path(), cwd) << "working directory must be restored";
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
  ASSERT_EQ(chown(dir.path().c_str(), 65534, 65534), 0);
  const std::string path = dir.file("unowned.sock");
  // Without root, giving the file to root must fail, and the socket file
  // just created must be removed again.
  EXPECT_EQ(as_user(65534,
                    [&] {
                      config::Config c = unix_config(path);
                      c.unix_socket_user.id = 0;
                      const BindResult result = bind_listening_socket(c);
                      if (result.ok()) return 11;
                      if (result.error.find("cannot set owner/group of socket " + path) != 0) {
                        return 12;
                      }
                      struct stat st {};
                      return lstat(path.c_str(), &st) != 0 && errno == ENOENT ? 0 : 13;
                    }),
            0);
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
  EXPECT_EQ(result.error, "socket " + path + ": directory " + missing + " does not exist");
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

// The bound path is the socket's address: the sender of every reply is
// the path the client sent to, which only someone who may write the
// socket's directory can bind (any user can bind a bare name of their own).
TEST(UnixSocketSetup, RepliesComeFromTheConfiguredPath) {
  TempDir dir;
  const std::string path = dir.file("addr.sock");
  BindResult result = bind_listening_socket(unix_config(path));
  ASSERT_TRUE(result.ok()) << result.error;
  sockaddr_un bound{};
  socklen_t length = sizeof bound;
  ASSERT_EQ(getsockname(result.socket.fd(), reinterpret_cast<sockaddr*>(&bound), &length), 0);
  EXPECT_EQ(std::string(bound.sun_path), path);

  const int client = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  ASSERT_EQ(bind(client, reinterpret_cast<const sockaddr*>(&self), sizeof(sa_family_t)), 0);
  sockaddr_un server{};
  server.sun_family = AF_UNIX;
  std::memcpy(server.sun_path, path.data(), path.size());
  ASSERT_EQ(sendto(client, "q", 1, 0, reinterpret_cast<const sockaddr*>(&server), sizeof server),
            1);
  sockaddr_un peer{};
  socklen_t peer_length = sizeof peer;
  char byte = 0;
  ASSERT_EQ(
      recvfrom(result.socket.fd(), &byte, 1, 0, reinterpret_cast<sockaddr*>(&peer), &peer_length),
      1);
  ASSERT_EQ(
      sendto(result.socket.fd(), "r", 1, 0, reinterpret_cast<const sockaddr*>(&peer), peer_length),
      1);
  sockaddr_un sender{};
  socklen_t sender_length = sizeof sender;
  ASSERT_EQ(recvfrom(client, &byte, 1, 0, reinterpret_cast<sockaddr*>(&sender), &sender_length), 1);
  close(client);
  EXPECT_EQ(std::string(sender.sun_path), path);
}

TEST(UnixSocketSetup, SocketOptionsAreSet) {
  TempDir dir;
  config::Config c = unix_config(dir.file("opts.sock"));
  c.socket_timeout_ms = 1250;
  c.socket_buf_size = 200000;
  c.socket_send_buffer = 3U << 20;
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
  EXPECT_EQ(value, 3 << 20) << "socket_send_buffer is the bound itself (as root: forced)";
  timeval timeout{};
  length = sizeof timeout;
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, &length), 0);
  EXPECT_EQ(timeout.tv_sec * 1000 + timeout.tv_usec / 1000, 0)
      << "replies never wait in sendto: socket_timeout bounds their retries instead";
  length = sizeof timeout;
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, &length), 0);
  EXPECT_EQ(timeout.tv_sec * 1000 + timeout.tv_usec / 1000, kWorkerWaitBoundMs)
      << "bounds a worker's blocking receive (how late a stop can be seen)";
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

// The directory that holds the socket, and every directory above it: who
// may own them, who may write them, which links are followed.

TEST(UnixSocketDirectory, DirectoryOwnedByAnotherUserIsRefused) {
  TempDir dir;
  ASSERT_EQ(chown(dir.path().c_str(), 4242, 4242), 0);
  const std::string path = dir.file("mi.sock");
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "socket " + path + ": directory " + dir.path() +
                              " is owned by uid 4242; only root may own a directory on this path");
  EXPECT_TRUE(is_empty_directory(dir.path()));
}

// The run-as user (nobody) is not trusted with the directory unless it is
// the socket's configured owner; then the daemon, once it runs as that
// user, can also remove its socket at stop.
TEST(UnixSocketDirectory, DirectoryOfTheConfiguredSocketOwnerIsAcceptedAndRemovableAsThatUser) {
  TempDir dir;
  ASSERT_EQ(chown(dir.path().c_str(), 65534, 65534), 0);
  const std::string path = dir.file("mi.sock");
  EXPECT_FALSE(bind_listening_socket(unix_config(path)).ok()) << "not without unix_socket_user";
  config::Config c = unix_config(path);
  c.unix_socket_user.id = 65534;
  BindResult result = bind_listening_socket(c);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(as_user(65534,
                    [&] {
                      std::string error;
                      return result.socket.remove_unix_path(error) ? 0 : 1;
                    }),
            0);
  struct stat st {};
  EXPECT_NE(lstat(path.c_str(), &st), 0) << "removed by the unprivileged user";
}

TEST(UnixSocketDirectory, DirectoryWritableByGroupOrOthersIsRefusedEvenWhenSticky) {
  for (const mode_t mode : {0770U, 0730U, 0757U, 0777U, 01777U, 01770U}) {
    TempDir dir;
    ASSERT_EQ(chmod(dir.path().c_str(), mode), 0);
    const std::string path = dir.file("mi.sock");
    BindResult result = bind_listening_socket(unix_config(path));
    EXPECT_FALSE(result.ok()) << std::oct << mode;
    // Without the sticky bit the walk refuses it as it would any directory
    // on the path; with it, the socket's directory is refused all the same.
    const std::string prefix =
        "socket " + path + ": directory " + dir.path() + " is writable by its group or others ";
    EXPECT_THAT(
        result.error,
        HasSubstr(prefix + ((mode & S_ISVTX) != 0 ? "(mode 1" : "without the sticky bit (mode 0")));
    EXPECT_TRUE(is_empty_directory(dir.path())) << std::oct << mode;
  }
}

TEST(UnixSocketDirectory, AncestorWritableByOthersWithoutTheStickyBitIsRefused) {
  TempDir dir;
  const std::string open_dir = dir.file("open");
  ASSERT_EQ(mkdir(open_dir.c_str(), 0755), 0);
  ASSERT_EQ(chmod(open_dir.c_str(), 0777), 0);
  ASSERT_EQ(mkdir((open_dir + "/run").c_str(), 0755), 0);
  const std::string path = open_dir + "/run/mi.sock";
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "socket " + path + ": directory " + open_dir +
                              " is writable by its group or others without the sticky bit (mode "
                              "0777): they could swap what lies below it");
}

TEST(UnixSocketDirectory, StickyAncestorLikeTmpIsAccepted) {
  TempDir dir;
  const std::string sticky = dir.file("tmp");
  ASSERT_EQ(mkdir(sticky.c_str(), 0755), 0);
  ASSERT_EQ(chmod(sticky.c_str(), 01777), 0);
  ASSERT_EQ(mkdir((sticky + "/run").c_str(), 0755), 0);
  BindResult result = bind_listening_socket(unix_config(sticky + "/run/mi.sock"));
  EXPECT_TRUE(result.ok()) << result.error;
}

TEST(UnixSocketDirectory, LinkMadeByAnotherUserIsNotFollowed) {
  TempDir dir;
  const std::string target = dir.file("root-only");
  ASSERT_EQ(mkdir(target.c_str(), 0700), 0);
  const std::string sticky = dir.file("tmp");
  ASSERT_EQ(mkdir(sticky.c_str(), 0755), 0);
  ASSERT_EQ(chmod(sticky.c_str(), 01777), 0);
  const std::string link = sticky + "/run";
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  ASSERT_EQ(lchown(link.c_str(), 4242, 4242), 0);
  const std::string path = link + "/mi.sock";
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "socket " + path + ": refusing to follow symbolic link " + link +
                              ": it is owned by uid 4242, not by root");
  EXPECT_TRUE(is_empty_directory(target));
}

// /var/run -> /run: a link root made, in a directory only root can write.
TEST(UnixSocketDirectory, LinksMadeByRootAreFollowedRelativeAbsoluteAndDotDot) {
  TempDir dir;
  const std::string real = dir.file("real");
  ASSERT_EQ(mkdir(real.c_str(), 0755), 0);
  ASSERT_EQ(mkdir(dir.file("sub").c_str(), 0755), 0);
  ASSERT_EQ(symlink("real", dir.file("relative").c_str()), 0);
  ASSERT_EQ(symlink(real.c_str(), dir.file("absolute").c_str()), 0);
  ASSERT_EQ(symlink("../relative", dir.file("sub/up").c_str()), 0);
  for (const char* via : {"relative", "absolute", "sub/up", "sub/../real", "./sub/./up"}) {
    const std::string path = dir.file(std::string(via) + "/mi.sock");
    BindResult result = bind_listening_socket(unix_config(path));
    ASSERT_TRUE(result.ok()) << via << ": " << result.error;
    EXPECT_TRUE(S_ISSOCK(lstat_or_fail(real + "/mi.sock").st_mode)) << via;
    std::string error;
    EXPECT_TRUE(result.socket.remove_unix_path(error)) << error;
  }
}

TEST(UnixSocketDirectory, LinkLoopIsRefused) {
  TempDir dir;
  ASSERT_EQ(symlink("b", dir.file("a").c_str()), 0);
  ASSERT_EQ(symlink("a", dir.file("b").c_str()), 0);
  const std::string path = dir.file("a/mi.sock");
  BindResult result = bind_listening_socket(unix_config(path));
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.error, HasSubstr("too many symbolic links"));
}

TEST(UnixSocketDirectory, PathNamingADirectoryIsRefused) {
  TempDir dir;
  for (const std::string& path : {dir.path() + "/", dir.path() + "/.", dir.path() + "/.."}) {
    BindResult result = bind_listening_socket(unix_config(path));
    EXPECT_FALSE(result.ok()) << path;
    EXPECT_THAT(result.error, HasSubstr("does not name a file")) << path;
  }
}

// The path is resolved once: at stop the socket is removed from the
// directory held since set-up, whatever the path names by then.
TEST(UnixSocketDirectory, StopWorksInTheDirectoryHeldSinceSetUp) {
  TempDir dir;
  const std::string run = dir.file("run");
  ASSERT_EQ(mkdir(run.c_str(), 0755), 0);
  BindResult result = bind_listening_socket(unix_config(run + "/mi.sock"));
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(rename(run.c_str(), dir.file("moved").c_str()), 0);
  ASSERT_EQ(mkdir(run.c_str(), 0755), 0);
  testing::write_file(run + "/mi.sock", "a newcomer's file");
  std::string error;
  EXPECT_TRUE(result.socket.remove_unix_path(error)) << error;
  struct stat st {};
  EXPECT_NE(lstat(dir.file("moved/mi.sock").c_str(), &st), 0) << "our socket is removed";
  EXPECT_EQ(testing::read_file(run + "/mi.sock"), "a newcomer's file");
}

// The start-up lock: a 0600 file next to the socket, not the directory.

TEST(UnixSocketLock, AnotherUsersFlockOnTheDirectoryDoesNotDelayTheStart) {
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t holder = fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    close(ready[0]);
    if (setgroups(0, nullptr) != 0 || setresgid(4242, 4242, 4242) != 0 ||
        setresuid(4242, 4242, 4242) != 0) {
      _exit(99);
    }
    const int fd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
    const char ok = fd >= 0 && flock(fd, LOCK_EX) == 0 ? 'L' : 'E';
    if (write(ready[1], &ok, 1) != 1) _exit(98);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char state = 0;
  ASSERT_EQ(read(ready[0], &state, 1), 1);
  close(ready[0]);
  EXPECT_EQ(state, 'L') << "the other user holds the directory's lock";
  const auto start = std::chrono::steady_clock::now();
  BindResult result = bind_listening_socket(unix_config(dir.file("mi.sock")));
  const auto took = std::chrono::steady_clock::now() - start;
  kill(holder, SIGKILL);
  waitpid(holder, nullptr, 0);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_LT(took, std::chrono::milliseconds(500));
  const struct stat lock = lstat_or_fail(dir.file("mi.sock.lock"));
  EXPECT_TRUE(S_ISREG(lock.st_mode));
  EXPECT_EQ(lock.st_mode & 0777U, 0600U);
  EXPECT_EQ(lock.st_uid, 0U);
}

TEST(UnixSocketLock, LockFileOthersCouldOpenIsRefused) {
  TempDir dir;
  testing::write_file(dir.file("mi.sock.lock"), "");
  ASSERT_EQ(chmod(dir.file("mi.sock.lock").c_str(), 0644), 0);
  BindResult result = bind_listening_socket(unix_config(dir.file("mi.sock")));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "lock file " + dir.file("mi.sock.lock") +
                              " is not a regular file of mode 0600 owned by root: others could "
                              "hold it (remove it)");
}

TEST(UnixSocketLock, LockHeldByAStartingInstanceMakesTheSecondGiveUp) {
  TempDir dir;
  const int lock = open(dir.file("mi.sock.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(flock(lock, LOCK_EX), 0);
  const pid_t child = fork();  // a separate open file description, as another instance has
  ASSERT_GE(child, 0);
  if (child == 0) {
    const BindResult result = bind_listening_socket(unix_config(dir.file("mi.sock")));
    _exit(!result.ok() && result.error == dir.file("mi.sock.lock") +
                                              " stays locked: another instance is starting there"
              ? 0
              : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  close(lock);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  struct stat st {};
  EXPECT_NE(lstat(dir.file("mi.sock").c_str(), &st), 0);
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

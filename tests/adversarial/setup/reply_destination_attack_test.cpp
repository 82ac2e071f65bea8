// Where a reply goes. A reply over a UNIX socket goes to the path the
// request came from, looked up again when the reply is sent: a sender can
// replace its socket with a link in between and redirect the reply. The
// worker sends as the run-as user without capabilities, so the reply can
// reach only a socket that user may write. Both halves are shown here,
// with the worker's send held for a second by strace (attached to the
// running daemon) while the stranger swaps its socket for a link.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <fstream>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

#include "attacker.hpp"

namespace mid::adversarial {
namespace {

using namespace std::chrono_literals;

// strace attached to `pids`, holding every send of theirs for a second.
class SendHolder {
 public:
  explicit SendHolder(const std::vector<pid_t>& pids) {
    std::vector<std::string> argv = {"/usr/bin/strace",
                                     "-qq",
                                     "-o",
                                     "/dev/null",
                                     "-e",
                                     "trace=sendto,sendmsg,sendmmsg",
                                     "-e",
                                     "inject=sendto,sendmsg,sendmmsg:delay_enter=1000000"};
    for (const pid_t pid : pids) {
      argv.push_back("-p");
      argv.push_back(std::to_string(pid));
    }
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> args;
      args.reserve(argv.size() + 1);
      for (std::string& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    for (int i = 0; i < 200 && !all_traced(pids); ++i) std::this_thread::sleep_for(10ms);
  }
  ~SendHolder() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);  // strace detaches and the daemon runs on
    waitpid(pid_, nullptr, 0);
  }
  SendHolder(const SendHolder&) = delete;
  SendHolder& operator=(const SendHolder&) = delete;

  static bool all_traced(const std::vector<pid_t>& pids) {
    for (const pid_t pid : pids) {
      const std::string line = e2e::proc_status_line(pid, "TracerPid:");
      if (line.empty() || line.find_first_not_of("TracerPid:\t 0") == std::string::npos) {
        return false;
      }
    }
    return true;
  }

 private:
  pid_t pid_ = -1;
};

std::optional<std::string> receive_within(int fd, std::chrono::milliseconds limit) {
  const auto ms = limit.count();
  const timeval patience{static_cast<time_t>(ms / 1000),
                         static_cast<suseconds_t>(ms % 1000 * 1000)};
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience) != 0) return "setsockopt";
  std::array<char, 4096> buffer{};
  const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
  if (n <= 0) return std::nullopt;
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

sockaddr_un address_of(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

// The stranger sends a request from its own socket, then swaps that
// socket for a link to `target` while the reply is held.
struct Redirect {
  e2e::Scratch scratch;
  std::string theirs = scratch.path("tmp/theirs");
  std::string daemon_socket = scratch.path("mi.sock");

  Redirect() {
    make_dir(scratch.path("tmp"), 0, 0, 01777);
    make_dir(theirs, kStranger, kStranger, 0755);
  }

  // Returns the stranger's exit status (0: request sent and socket swapped).
  int attack(const std::string& target) const {
    return as_user(kStranger, [&] {
      const std::string own = theirs + "/client.sock";
      const int fd = bind_unix_socket(own);
      const sockaddr_un server = address_of(daemon_socket);
      if (fd < 0 || sendto(fd, ":version:\n", 10, 0, reinterpret_cast<const sockaddr*>(&server),
                           sizeof server) != 10) {
        return 1;
      }
      return unlink(own.c_str()) == 0 && symlink(target.c_str(), own.c_str()) == 0 ? 0 : 2;
    });
  }
};

TEST(ReplyDestinationAttack, RedirectedReplyNeverReachesASocketOnlyRootMayWrite) {
  ASSERT_EQ(access("/usr/bin/strace", X_OK), 0) << "strace holds the reply (scripts/install-deps)";
  Redirect at;
  const std::string vault = at.scratch.path("vault");
  make_dir(vault, 0, 0, 0700);
  const int root_only = bind_unix_socket(vault + "/root.sock");
  ASSERT_GE(root_only, 0);
  e2e::Daemon daemon(at.scratch, "socket_name = " + at.daemon_socket +
                                     "\nunix_socket_mode = 0666\nchildren_count = 1\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const std::vector<pid_t> pids = e2e::wait_for_processes(at.daemon_socket, 2);
  ASSERT_EQ(pids.size(), 2U) << daemon.log();
  {
    const SendHolder holder(pids);
    ASSERT_TRUE(SendHolder::all_traced(pids));
    ASSERT_EQ(at.attack(vault + "/root.sock"), 0);
    EXPECT_FALSE(receive_within(root_only, 2500ms).has_value())
        << "a reply reached a socket only root may write";
  }
  close(root_only);
  EXPECT_TRUE(daemon.running()) << daemon.log();
  EXPECT_TRUE(e2e::ask(at.daemon_socket, ":version:\n").has_value()) << daemon.log();
}

// The limit, shown: a socket the run-as user may write does get the reply.
TEST(ReplyDestinationAttack, RedirectedReplyReachesOnlyWhatTheRunAsUserMayWrite) {
  ASSERT_EQ(access("/usr/bin/strace", X_OK), 0) << "strace holds the reply (scripts/install-deps)";
  Redirect at;
  const std::string open_socket = at.scratch.path("open.sock");
  const mode_t saved = umask(0);
  const int open_fd = bind_unix_socket(open_socket);
  umask(saved);
  ASSERT_GE(open_fd, 0);
  e2e::Daemon daemon(at.scratch, "socket_name = " + at.daemon_socket +
                                     "\nunix_socket_mode = 0666\nchildren_count = 1\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const std::vector<pid_t> pids = e2e::wait_for_processes(at.daemon_socket, 2);
  ASSERT_EQ(pids.size(), 2U) << daemon.log();
  std::optional<std::string> reply;
  {
    const SendHolder holder(pids);
    ASSERT_TRUE(SendHolder::all_traced(pids));
    ASSERT_EQ(at.attack(open_socket), 0);
    reply = receive_within(open_fd, 2500ms);
  }
  close(open_fd);
  ASSERT_TRUE(reply.has_value()) << "the redirect works where the run-as user may write: "
                                 << daemon.log();
  EXPECT_EQ(reply->rfind("200 OK\nServer:: mi-datagram ", 0), 0U) << *reply;
}

}  // namespace
}  // namespace mid::adversarial

// systemd socket activation with the real daemon under
// systemd-socket-activate (the systemd package): the socket it binds and
// passes as descriptor 3 is served, left in place at stop (never
// unlinked, chmod'ed or chown'ed), refused with exit 1 when it is not
// what socket_name names; READY=1 reaches NOTIFY_SOCKET.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kSocketActivate = "/usr/bin/systemd-socket-activate";

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

// `systemd-socket-activate --datagram -l LISTEN [-E NOTIFY_SOCKET=..]
// mi-datagramd --foreground --config FILE`: it binds LISTEN, waits for
// the first datagram, then execs the daemon in its own process with the
// socket as descriptor 3 and LISTEN_PID/LISTEN_FDS set.
class Activated {
 public:
  Activated(const Scratch& scratch, const std::string& listen, const std::string& config_text,
            const std::string& notify_socket = "", bool datagram = true)
      : log_path_(scratch.path("activated.log")) {
    const std::string config_path = scratch.path("activated.conf");
    std::ofstream(config_path) << config_text;
    chmod(config_path.c_str(), 0644);
    std::vector<std::string> argv = {kSocketActivate};
    if (datagram) argv.emplace_back("--datagram");
    argv.insert(argv.end(), {"-l", listen});
    if (!notify_socket.empty()) argv.insert(argv.end(), {"-E", "NOTIFY_SOCKET=" + notify_socket});
    // systemd-socket-activate passes the daemon only what -E names: a
    // sanitizer build's options (no leak scan at exit, which the filter
    // forbids) must be named too.
    for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"}) {
      if (std::getenv(name) != nullptr) argv.insert(argv.end(), {"-E", name});
    }
    argv.insert(argv.end(), {daemon_path(), "--foreground", "--config", config_path});
    std::ofstream(log_path_, std::ios::trunc).flush();  // this run's lines only
    pid_ = fork();
    if (pid_ == 0) {
      const int log = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      dup2(log, 1);
      dup2(log, 2);
      std::vector<char*> args;
      for (std::string& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~Activated() { (void)stop(); }
  Activated(const Activated&) = delete;
  Activated& operator=(const Activated&) = delete;

  // Waits until the log holds `text` (at most 10 s).
  bool wait_for_log(const std::string& text) {
    for (int i = 0; i < 1000; ++i) {
      if (log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  // The exit status once the process ends on its own (at most 10 s).
  std::optional<int> wait_exit() {
    for (int i = 0; i < 1000 && status_ < 0; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = decode(status);
      if (status_ < 0) std::this_thread::sleep_for(10ms);
    }
    return status_ < 0 ? std::nullopt : std::optional<int>(status_);
  }
  int stop() {
    if (status_ >= 0) return status_;
    kill(pid_, SIGTERM);
    if (auto status = wait_exit()) return *status;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    status_ = decode(status);
    return status_;
  }
  [[nodiscard]] std::string log() const {
    std::ifstream in(log_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string log_path_;
  pid_t pid_ = -1;
  int status_ = -1;
};

bool wait_for_file(const std::string& path) {
  struct stat st {};
  for (int i = 0; i < 500; ++i) {
    if (lstat(path.c_str(), &st) == 0) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// A datagram that makes systemd-socket-activate start the daemon, for the
// tests where the daemon is expected to refuse the socket.
void poke(const std::string& socket_name) {
  (void)ask(socket_name, ":uptime:\n", 200ms);
}

TEST(SocketActivation, ServesTheUnixSocketPassedAndLeavesItInPlaceAtStop) {
  Scratch scratch;
  const std::string path = scratch.path("activated.sock");
  Activated daemon(scratch, path, "socket_name = " + path + "\nunix_socket_mode = 0600\n");
  ASSERT_TRUE(wait_for_file(path)) << daemon.log();
  struct stat before {};
  ASSERT_EQ(lstat(path.c_str(), &before), 0);

  // The first request starts the daemon and is answered from the queue.
  const auto reply = ask(path, ":uptime:\n");
  ASSERT_TRUE(reply.has_value()) << daemon.log();
  EXPECT_EQ(reply->rfind("200 OK\n", 0), 0U) << *reply;
  EXPECT_TRUE(daemon.wait_for_log("socket activation: serving the socket passed")) << daemon.log();
  EXPECT_EQ(ask(path, ":which:\n").value_or("").rfind("200 OK\n", 0), 0U);

  EXPECT_EQ(daemon.stop(), 0) << daemon.log();
  struct stat after {};
  ASSERT_EQ(lstat(path.c_str(), &after), 0) << "the passed socket was removed at stop";
  EXPECT_TRUE(S_ISSOCK(after.st_mode));
  EXPECT_EQ(after.st_ino, before.st_ino);
  // Neither chmod'ed to unix_socket_mode nor chown'ed.
  EXPECT_EQ(after.st_mode, before.st_mode);
  EXPECT_EQ(after.st_uid, before.st_uid);
  EXPECT_EQ(after.st_gid, before.st_gid);
}

TEST(SocketActivation, ServesTheUdpSocketPassed) {
  Scratch scratch;
  const std::string address = "127.0.0.1:" + std::to_string(free_udp_port(false));
  Activated daemon(scratch, address, "socket_name = udp:" + address + "\n");
  std::optional<std::string> reply;
  // Until systemd-socket-activate has bound the address (a send before
  // that is refused at once).
  for (int i = 0; i < 50 && !reply; ++i) {
    reply = ask("udp:" + address, ":uptime:\n", 200ms);
    if (!reply) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(reply.has_value()) << daemon.log();
  EXPECT_EQ(reply->rfind("200 OK\n", 0), 0U) << *reply;
  EXPECT_EQ(daemon.stop(), 0) << daemon.log();
}

struct Mismatch {
  const char* name;
  std::string listen;       // what systemd-socket-activate binds
  std::string socket_name;  // what the configuration says
  std::string poke_at;      // where to send the datagram that starts the daemon
  std::string error;        // expected in the log
};

TEST(SocketActivation, ASocketThatIsNotWhatSocketNameNamesIsRefusedWithExit1) {
  Scratch scratch;
  const std::string path = scratch.path("passed.sock");
  const std::string port = std::to_string(free_udp_port(false));
  const std::string other_port = std::to_string(free_udp_port(false) ^ 1U);
  const std::vector<Mismatch> cases = {
      {"another path", path, scratch.path("configured.sock"), path,
       "the socket passed is bound to " + path + ", but socket_name is " +
           scratch.path("configured.sock")},
      {"UNIX for udp:", path, "udp:127.0.0.1:" + port, path,
       "the socket passed is a UNIX socket, but socket_name is udp:127.0.0.1:" + port},
      {"UDP for a path", "127.0.0.1:" + port, path, "udp:127.0.0.1:" + port,
       "the socket passed is an IP socket, but socket_name is " + path},
      {"another port", "127.0.0.1:" + port, "udp:127.0.0.1:" + other_port, "udp:127.0.0.1:" + port,
       "the socket passed is bound to 127.0.0.1:" + port +
           ", but socket_name udp:127.0.0.1:" + other_port + " is 127.0.0.1:" + other_port},
  };
  for (const Mismatch& c : cases) {
    SCOPED_TRACE(c.name);
    unlink(path.c_str());
    Activated daemon(scratch, c.listen, "socket_name = " + c.socket_name + "\n");
    if (c.listen.front() == '/') {
      ASSERT_TRUE(wait_for_file(path));
    }
    std::optional<int> status;
    // Poked until the daemon runs (a UDP send before systemd-socket-activate
    // has bound the address is refused at once).
    for (int i = 0; i < 100 && !status; ++i) {
      poke(c.poke_at);
      if (daemon.log().find("master error") != std::string::npos) {
        status = daemon.wait_exit();
      } else {
        std::this_thread::sleep_for(50ms);
      }
    }
    ASSERT_TRUE(status.has_value()) << daemon.log();
    EXPECT_EQ(*status, 1) << daemon.log();
    EXPECT_NE(daemon.log().find("socket activation: " + c.error), std::string::npos)
        << daemon.log();
    if (c.listen.front() == '/') {
      struct stat st {};
      EXPECT_EQ(lstat(path.c_str(), &st), 0) << "a refused socket must be left alone";
    }
  }
}

TEST(SocketActivation, AStreamSocketIsRefusedWithExit1) {
  Scratch scratch;
  const std::string path = scratch.path("stream.sock");
  Activated daemon(scratch, path, "socket_name = " + path + "\n", "", /*datagram=*/false);
  ASSERT_TRUE(wait_for_file(path)) << daemon.log();
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un to{};
  to.sun_family = AF_UNIX;
  std::memcpy(to.sun_path, path.c_str(), path.size());
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to), 0) << strerror(errno);
  const std::optional<int> status = daemon.wait_exit();
  close(fd);
  ASSERT_TRUE(status.has_value()) << daemon.log();
  EXPECT_EQ(*status, 1) << daemon.log();
  EXPECT_NE(daemon.log().find("the socket passed is not a datagram socket"), std::string::npos)
      << daemon.log();
}

// A socket the test binds for NOTIFY_SOCKET: a path, or "@name" (abstract).
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& name) : fd_(socket(AF_UNIX, SOCK_DGRAM, 0)) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name.c_str(), name.size());
    if (name.front() == '@') address.sun_path[0] = '\0';
    const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&address), length), 0) << strerror(errno);
  }
  ~NotifySocket() { close(fd_); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  // The next message, or "" after 10 s.
  std::string receive() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 10000) != 1) return {};
    char buffer[256];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_;
};

TEST(SocketActivation, ReadyIsSentToNotifySocketAtAPathOrAnAbstractName) {
  Scratch scratch;
  const std::string abstract = "@mid-e2e-notify-" + std::to_string(getpid());
  for (const std::string& notify_name : {scratch.path("notify"), abstract}) {
    SCOPED_TRACE(notify_name);
    // Bound by root with mode 0755 (a path): only a process that connects
    // before dropping privileges can send to it, as systemd's own may be.
    NotifySocket notify(notify_name);
    const std::string path = scratch.path("ready.sock");
    unlink(path.c_str());
    Activated daemon(scratch, path, "socket_name = " + path + "\n", notify_name);
    ASSERT_TRUE(wait_for_file(path)) << daemon.log();
    poke(path);
    EXPECT_EQ(notify.receive(), "READY=1") << daemon.log();
    EXPECT_EQ(ask(path, ":uptime:\n").value_or("").rfind("200 OK\n", 0), 0U) << daemon.log();
    EXPECT_EQ(daemon.stop(), 0) << daemon.log();
  }
}

}  // namespace
}  // namespace mid::e2e

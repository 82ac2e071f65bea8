#include "daemon_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "config/socket_address.hpp"
#include "transport/client_socket.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string socket_from_config(const std::string& config_text) {
  std::istringstream lines(config_text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto key = line.find("socket_name");
    if (key == std::string::npos) continue;
    const auto eq = line.find('=', key);
    std::string value = line.substr(eq + 1);
    value.erase(0, value.find_first_not_of(" \t\""));
    value.erase(value.find_last_not_of(" \t\"") + 1);
    return value;
  }
  return {};
}

// The command that runs the daemon: `argv` itself, or under
// MID_E2E_STRACE_DIR strace following every process of it, one trace file
// per process in a directory of this daemon's own (pids are reused over a
// long run; a directory per daemon keeps its master and workers together).
// Called in the forked child, so getpid() names the strace process.
std::vector<std::string> traced_if_asked(std::vector<std::string> argv) {
  const char* root = std::getenv("MID_E2E_STRACE_DIR");
  if (root == nullptr || *root == '\0') return argv;
  const std::string dir = std::string(root) + "/" + std::to_string(getpid());
  mkdir(dir.c_str(), 0755);
  std::vector<std::string> traced = {"/usr/bin/strace", "-f", "-ff", "-q", "-o",
                                     dir + "/trace",    "--"};
  traced.insert(traced.end(), argv.begin(), argv.end());
  return traced;
}

// The pid of the daemon strace runs: the child of `parent` (strace) that
// has executed the daemon's binary (strace forks short-lived probes of its
// own at start), from /proc/N/stat and /proc/N/exe; -1 if none yet.
pid_t traced_daemon(pid_t parent, const std::string& binary) {
  std::error_code error;
  const auto wanted = std::filesystem::canonical(binary, error);
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string stat = read_file(entry.path().string() + "/stat");
    const auto end_of_name = stat.rfind(')');
    if (end_of_name == std::string::npos) continue;
    std::istringstream fields(stat.substr(end_of_name + 1));
    std::string state;
    pid_t ppid = 0;
    if (!(fields >> state >> ppid) || ppid != parent) continue;
    std::error_code unreadable;
    if (std::filesystem::read_symlink(entry.path() / "exe", unreadable) == wanted) {
      return static_cast<pid_t>(std::stol(name));
    }
  }
  return -1;
}

}  // namespace

std::string daemon_path() {
  return MID_DAEMON_PATH;
}
std::string client_path() {
  return MID_CLIENT_PATH;
}

Scratch::Scratch() {
  std::string pattern = "/tmp/mid-e2e-XXXXXX";
  const char* made = mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  dir_ = pattern;
  EXPECT_EQ(chmod(dir_.c_str(), 0755), 0);
}

Scratch::~Scratch() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

RunResult run_program(const std::vector<std::string>& argv, std::chrono::milliseconds limit,
                      const std::string& stdin_text) {
  int out[2];
  int in[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(in, O_CLOEXEC) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  close(in[0]);
  if (!stdin_text.empty()) {
    [[maybe_unused]] auto n = write(in[1], stdin_text.data(), stdin_text.size());
  }
  close(in[1]);
  RunResult result;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  for (;;) {
    pollfd p{out[0], POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = read(out[0], buffer, sizeof(buffer));
    if (n <= 0) break;
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_status = decode_status(status);
  return result;
}

Daemon::Daemon(const Scratch& scratch, const std::string& config_text,
               std::vector<std::string> extra_args)
    : socket_(socket_from_config(config_text)), log_path_(scratch.path("daemon.log")) {
  const std::string config_path = scratch.path("mi-datagramd.conf");
  std::ofstream(config_path) << config_text;
  chmod(config_path.c_str(), 0644);
  child_ = fork();
  if (child_ == 0) {
    const int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    dup2(log_fd, 2);
    dup2(log_fd, 1);
    std::vector<std::string> argv = {daemon_path(), "--foreground", "--config", config_path};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    argv = traced_if_asked(std::move(argv));
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  pid_ = child_;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  if (std::getenv("MID_E2E_STRACE_DIR") != nullptr) {
    pid_ = -1;
    while (pid_ < 0 && std::chrono::steady_clock::now() < deadline && running()) {
      pid_ = traced_daemon(child_, daemon_path());
      if (pid_ < 0) std::this_thread::sleep_for(1ms);
    }
    if (pid_ < 0) pid_ = child_;  // it ended already: nothing left to signal
  }
  // Ready once the master says it serves: the socket is bound then, and a
  // request sent before the workers run waits in the socket's queue.
  while (std::chrono::steady_clock::now() < deadline && running()) {
    if (log().find("master notice: serving ") != std::string::npos) break;
    std::this_thread::sleep_for(10ms);
  }
  // Traced, the master takes much longer from that line to blocking the
  // signals it waits for: a SIGTERM in between would end it (and fail the
  // test) for a reason that is strace's, so wait for SIGTERM to be blocked.
  while (pid_ != child_ && std::chrono::steady_clock::now() < deadline && running()) {
    const std::string blocked = proc_status_line(pid_, "SigBlk:");
    if (blocked.empty() ||
        (std::stoull(blocked.substr(7), nullptr, 16) & (1ULL << (SIGTERM - 1)))) {
      return;
    }
    std::this_thread::sleep_for(1ms);
  }
}

Daemon::~Daemon() {
  if (child_ > 0 && status_ < 0) stop();
}

bool Daemon::running() {
  if (status_ >= 0) return false;
  int status = 0;
  if (waitpid(child_, &status, WNOHANG) == child_) {
    status_ = decode_status(status);
    return false;
  }
  return true;
}

std::optional<int> Daemon::wait_exit(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running()) return status_;
    std::this_thread::sleep_for(10ms);
  }
  return std::nullopt;
}

int Daemon::stop(int signal_number) {
  if (!running()) return status_;
  kill(pid_, signal_number);
  if (auto status = wait_exit(5s)) return *status;
  // strace, when it runs the daemon, ends with it (and mirrors its status).
  kill(pid_, SIGKILL);
  if (child_ != pid_) kill(child_, SIGKILL);
  int status = 0;
  waitpid(child_, &status, 0);
  status_ = decode_status(status);
  return status_;
}

std::string Daemon::log() const {
  return read_file(log_path_);
}

std::optional<std::string> ask(const std::string& socket_name, const std::string& request,
                               std::chrono::milliseconds timeout) {
  auto address = config::parse_socket_address(socket_name);
  if (!address) return std::nullopt;
  std::string error;
  transport::ClientSocket client = transport::connect_client(address.value(), error);
  if (!client.valid() || !client.send(request, error)) return std::nullopt;
  std::string reply(65458, '\0');
  const auto received = client.receive(reply, static_cast<int>(timeout.count()));
  if (received.status != transport::ClientSocket::Status::ok) return std::nullopt;
  reply.resize(std::min<std::size_t>(received.size, reply.size()));
  return reply;
}

unsigned free_udp_port(bool v6) {
  const int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
  sockaddr_storage address{};
  socklen_t length = 0;
  if (v6) {
    auto* six = reinterpret_cast<sockaddr_in6*>(&address);
    six->sin6_family = AF_INET6;
    six->sin6_addr = in6addr_loopback;
    length = sizeof(sockaddr_in6);
  } else {
    auto* four = reinterpret_cast<sockaddr_in*>(&address);
    four->sin_family = AF_INET;
    four->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    length = sizeof(sockaddr_in);
  }
  unsigned port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(v6 ? reinterpret_cast<sockaddr_in6*>(&address)->sin6_port
                    : reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  }
  close(fd);
  return port;
}

bool has_exited(pid_t pid) {
  if (kill(pid, 0) != 0) return true;
  const std::string line = proc_status_line(pid, "State:");  // "State:\tZ (zombie)"
  const std::size_t letter = line.find_first_not_of(" \t", 6);
  return letter == std::string::npos || line[letter] == 'Z' || line[letter] == 'X';
}

std::string proc_status_line(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return line;
  }
  return {};
}

std::vector<pid_t> pids_from_ps(const std::string& reply) {
  std::vector<pid_t> pids;
  for (std::size_t at = reply.find("PID="); at != std::string::npos;
       at = reply.find("PID=", at + 4)) {
    pids.push_back(static_cast<pid_t>(std::stol(reply.substr(at + 4))));
  }
  return pids;
}

std::vector<pid_t> wait_for_processes(const std::string& socket_name, std::size_t count) {
  std::vector<pid_t> pids;
  for (int i = 0; i < 250; ++i) {
    pids = pids_from_ps(ask(socket_name, ":ps:\n").value_or(""));
    if (pids.size() == count) break;
    std::this_thread::sleep_for(20ms);
  }
  return pids;
}

long long statistic(const std::string& reply, const std::string& full_name) {
  const std::string key = "\n" + full_name + ":: ";
  const auto at = reply.find(key);
  if (at == std::string::npos) return -1;
  return std::stoll(reply.substr(at + key.size()));
}

}  // namespace mid::e2e

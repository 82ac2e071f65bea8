#include "peer_support.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace mid::adversarial {
namespace {

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

[[noreturn]] void exec_or_exit(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

// Reads `fd` until EOF or `limit`; kills `pid` at the limit.
std::string drain(int fd, pid_t pid, std::chrono::milliseconds limit) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::array<char, 4096> buffer{};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      break;
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = read(fd, buffer.data(), buffer.size());
    if (n <= 0) break;  // EOF, or EIO once a terminal's last writer is gone
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

int as_uid(uid_t uid, const std::function<int()>& attack) {
  const pid_t pid = fork();
  if (pid == 0) {
    if (setgroups(0, nullptr) != 0 || setresgid(uid, uid, uid) != 0 ||
        setresuid(uid, uid, uid) != 0) {
      _exit(255);
    }
    _exit(attack());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const int code = decode(status);
  return code == 255 ? -1 : code;
}

Spawned spawn(const std::vector<std::string>& argv) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    exec_or_exit(argv);
  }
  close(out[1]);
  return Spawned{pid, out[0]};
}

e2e::RunResult finish(Spawned spawned, std::chrono::milliseconds limit) {
  e2e::RunResult result;
  result.output = drain(spawned.output, spawned.pid, limit);
  close(spawned.output);
  int status = 0;
  waitpid(spawned.pid, &status, 0);
  result.exit_status = decode(status);
  return result;
}

e2e::RunResult run_on_terminal(const std::vector<std::string>& argv) {
  int terminal = -1;
  const pid_t pid = forkpty(&terminal, nullptr, nullptr, nullptr);
  if (pid < 0) return {};
  if (pid == 0) exec_or_exit(argv);
  e2e::RunResult result;
  result.output = drain(terminal, pid, std::chrono::seconds(10));
  close(terminal);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_status = decode(status);
  return result;
}

std::vector<pid_t> children_of(pid_t pid) {
  const std::string task = std::to_string(pid);
  std::ifstream in("/proc/" + task + "/task/" + task + "/children");
  std::vector<pid_t> pids;
  pid_t child = 0;
  while (in >> child) pids.push_back(child);
  return pids;
}

std::vector<std::pair<int, std::string>> descriptors_of(pid_t pid) {
  std::vector<std::pair<int, std::string>> found;
  std::error_code error;
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    std::error_code link_error;
    const auto target = std::filesystem::read_symlink(entry.path(), link_error);
    found.emplace_back(std::stoi(entry.path().filename().string()), target.string());
  }
  return found;
}

char state_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return '?';
  const std::size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ? '?' : line[paren + 2];
}

void make_directory(const std::string& path, uid_t uid, gid_t gid, mode_t mode) {
  ASSERT_EQ(mkdir(path.c_str(), mode), 0) << path;
  ASSERT_EQ(chown(path.c_str(), uid, gid), 0) << path;
  ASSERT_EQ(chmod(path.c_str(), mode), 0) << path;
}

void write_text(const std::string& path, const std::string& text, mode_t mode) {
  std::ofstream(path) << text;
  ASSERT_EQ(chmod(path.c_str(), mode), 0) << path;
}

}  // namespace mid::adversarial

#include "child.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <fstream>
#include <sstream>

namespace mid::sandbox::testing {
namespace {

constexpr char kPauseMarker = '\x01';

struct Pipe {
  std::array<int, 2> fds{-1, -1};
  Pipe() {
    if (pipe(fds.data()) != 0) fds = {-1, -1};
  }
  ~Pipe() {
    for (const int fd : fds) {
      if (fd >= 0) close(fd);
    }
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  int take(std::size_t end) {
    const int fd = fds[end];
    fds[end] = -1;
    return fd;
  }
};

[[noreturn]] void child_main(const std::function<int(const ChildIo&)>& body, Pipe& report,
                             Pipe& errors, Pipe& go) {
  if (dup2(errors.fds[1], STDERR_FILENO) < 0) _exit(120);
  ChildIo io;
  io.report_fd = report.take(1);
  io.go_fd = go.take(0);
  close(report.take(0));
  close(errors.take(0));
  close(errors.take(1));
  close(go.take(1));
  _exit(body(io));
}

// Reads what `fd` has; returns false at end of file or error.
bool drain(int fd, std::string& out) {
  std::array<char, 4096> buffer{};
  const ssize_t n = read(fd, buffer.data(), buffer.size());
  if (n <= 0) return false;
  out.append(buffer.data(), static_cast<std::size_t>(n));
  return true;
}

// Handles pause markers in the new part of the report.
void serve_pauses(ChildResult& result, std::size_t& seen, pid_t pid, int go_fd,
                  const OnPause& on_pause) {
  for (std::size_t at = result.report.find(kPauseMarker, seen); at != std::string::npos;
       at = result.report.find(kPauseMarker, seen)) {
    result.report.erase(at, 1);
    seen = at;
    if (on_pause) result.inspected += on_pause(pid, result.report);
    const char go = 'g';
    [[maybe_unused]] const auto written = write(go_fd, &go, 1);
  }
  seen = result.report.size();
}

}  // namespace

void report(const ChildIo& io, std::string_view text) noexcept {
  while (!text.empty()) {
    const ssize_t n = write(io.report_fd, text.data(), text.size());
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void pause_for_parent(const ChildIo& io) noexcept {
  report(io, std::string_view(&kPauseMarker, 1));
  char go = 0;
  [[maybe_unused]] const auto n = read(io.go_fd, &go, 1);
}

bool ChildResult::exited_with(int code) const noexcept {
  return WIFEXITED(status) && WEXITSTATUS(status) == code;
}

bool ChildResult::killed_by(int signal) const noexcept {
  return WIFSIGNALED(status) && WTERMSIG(status) == signal;
}

std::string ChildResult::describe() const {
  std::ostringstream out;
  if (WIFEXITED(status)) out << "exited with " << WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out << "killed by signal " << WTERMSIG(status);
  out << "; report: [" << report << "]; stderr: [" << errors << "]";
  return out.str();
}

ChildResult run_in_child(const std::function<int(const ChildIo&)>& body, const OnPause& on_pause) {
  Pipe report_pipe, error_pipe, go_pipe;
  ChildResult result;
  const pid_t pid = fork();
  if (pid < 0) return result;
  if (pid == 0) child_main(body, report_pipe, error_pipe, go_pipe);
  close(report_pipe.take(1));
  close(error_pipe.take(1));
  close(go_pipe.take(0));
  std::array<pollfd, 2> fds{{{report_pipe.fds[0], POLLIN, 0}, {error_pipe.fds[0], POLLIN, 0}}};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::size_t seen = 0;
  while ((fds[0].fd >= 0 || fds[1].fd >= 0) && std::chrono::steady_clock::now() < deadline) {
    if (poll(fds.data(), fds.size(), 100) <= 0) continue;
    if (fds[0].revents != 0 && !drain(fds[0].fd, result.report)) fds[0].fd = -1;
    if (fds[1].revents != 0 && !drain(fds[1].fd, result.errors)) fds[1].fd = -1;
    serve_pauses(result, seen, pid, go_pipe.fds[1], on_pause);
  }
  if (fds[0].fd >= 0 || fds[1].fd >= 0) kill(pid, SIGKILL);
  waitpid(pid, &result.status, 0);
  return result;
}

std::string proc_status_lines(pid_t pid, std::initializer_list<std::string_view> keys) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string out;
  for (std::string line; std::getline(in, line);) {
    for (const std::string_view key : keys) {
      if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 &&
          line[key.size()] == ':') {
        out += line + "\n";
      }
    }
  }
  return out;
}

std::string proc_status_value(std::string_view status, std::string_view key) {
  std::istringstream in{std::string(status)};
  for (std::string line; std::getline(in, line);) {
    if (line.size() <= key.size() || line.compare(0, key.size(), key) != 0 ||
        line[key.size()] != ':') {
      continue;
    }
    std::istringstream fields(line.substr(key.size() + 1));
    std::string value;
    for (std::string word; fields >> word;) value += (value.empty() ? "" : " ") + word;
    return value;
  }
  return {};
}

}  // namespace mid::sandbox::testing

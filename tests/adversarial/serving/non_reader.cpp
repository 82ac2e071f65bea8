#include "non_reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace mid::adversarial {
namespace {

constexpr const char* kQueueLength = "/proc/sys/net/unix/max_dgram_qlen";

int autobound_socket() {
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&self), sizeof(sa_family_t)) != 0) _exit(3);
  return fd;
}

using Clock = std::chrono::steady_clock;

// A daemon that stalls must fail the test, not hang it: every send gives
// up at `deadline`.
bool send_one(int fd, const sockaddr_un& server, const std::string& request,
              Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    if (sendto(fd, request.data(), request.size(), MSG_DONTWAIT,
               reinterpret_cast<const sockaddr*>(&server),
               sizeof server) == static_cast<ssize_t>(request.size())) {
      return true;
    }
    if (errno != EAGAIN && errno != EINTR) return false;
    pollfd writable{fd, POLLOUT, 0};
    (void)poll(&writable, 1, 10);
  }
  return false;
}

unsigned send_all(const std::vector<int>& fds, const sockaddr_un& server,
                  const NonReaderPlan& plan) {
  unsigned sent = 0;
  if (plan.flood_for.count() > 0) {
    const auto until = Clock::now() + plan.flood_for;
    while (Clock::now() < until) sent += send_one(fds[0], server, plan.request, until);
    return sent;
  }
  const auto deadline = Clock::now() + std::chrono::seconds(30);
  for (unsigned i = 0; i < plan.requests_each; ++i) {
    for (const int fd : fds) sent += send_one(fd, server, plan.request, deadline);
  }
  return sent;
}

// The child: drop to the attacker's uid, make the sockets, say so, send,
// report the count, then hold the sockets until the parent closes the pipe.
[[noreturn]] void run_child(const std::string& path, const NonReaderPlan& plan, int to_parent,
                            int from_parent) {
  if (setresgid(plan.uid, plan.uid, plan.uid) != 0 ||
      setresuid(plan.uid, plan.uid, plan.uid) != 0) {
    _exit(2);
  }
  std::vector<int> fds;
  for (unsigned i = 0; i < plan.sockets; ++i) fds.push_back(autobound_socket());
  const char made = 'm';
  if (write(to_parent, &made, 1) != 1) _exit(4);
  char go = 0;
  if (read(from_parent, &go, 1) != 1) _exit(5);
  sockaddr_un server{};
  server.sun_family = AF_UNIX;
  path.copy(server.sun_path, sizeof(server.sun_path) - 1);
  const unsigned sent = send_all(fds, server, plan);
  if (write(to_parent, &sent, sizeof sent) != sizeof sent) _exit(6);
  while (read(from_parent, &go, 1) > 0) {
  }
  _exit(0);
}

}  // namespace

NonReader::NonReader(const std::string& socket_path, const NonReaderPlan& plan) {
  std::array<int, 2> up{};
  std::array<int, 2> down{};
  EXPECT_EQ(pipe2(up.data(), O_CLOEXEC), 0);
  EXPECT_EQ(pipe2(down.data(), O_CLOEXEC), 0);
  std::optional<QueueLength> raised;
  if (plan.queue_length > 0) raised.emplace(plan.queue_length);
  pid_ = fork();
  if (pid_ == 0) run_child(socket_path, plan, up[1], down[0]);
  close(up[1]);
  close(down[0]);
  from_child_ = up[0];
  to_child_ = down[1];
  char made = 0;
  EXPECT_EQ(read(from_child_, &made, 1), 1) << "the attacker could not make its sockets";
  raised.reset();  // only the attacker's sockets get the raised length
  EXPECT_EQ(write(to_child_, "g", 1), 1);
}

unsigned NonReader::wait_sent() {
  unsigned sent = 0;
  EXPECT_EQ(read(from_child_, &sent, sizeof sent), static_cast<ssize_t>(sizeof sent));
  return sent;
}

NonReader::~NonReader() {
  close(to_child_);
  close(from_child_);
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

QueueLength::QueueLength(unsigned value) {
  std::ifstream in(kQueueLength);
  std::getline(in, saved_);
  std::ofstream(kQueueLength) << value << "\n";
}

QueueLength::~QueueLength() {
  if (!saved_.empty()) std::ofstream(kQueueLength) << saved_ << "\n";
}

}  // namespace mid::adversarial

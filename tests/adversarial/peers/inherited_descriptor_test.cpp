// Descriptors the daemon is started with (`mi-datagramd 7<secret`, a
// shell's or a service manager's leftovers) must not reach its processes:
// a compromised worker could read or write them despite its filter.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "peer_support.hpp"

namespace mid::adversarial {
namespace {

// What a process of the daemon may hold above the standard streams: its
// sockets, epoll and timer descriptors, and its socket's directory.
bool is_the_daemons_own(const std::string& target, const std::string& socket_dir) {
  return target.starts_with("socket:[") || target == "anon_inode:[eventpoll]" ||
         target == "anon_inode:[timerfd]" || target == socket_dir;
}

TEST(InheritedDescriptors, SecretOnFd7AndAPipeReachNoProcessOfTheDaemon) {
  e2e::Scratch scratch;
  const std::string secret = scratch.path("secret");
  write_text(secret, "the root password", 0600);
  // fd 7 and a pipe on fd 9, without close-on-exec: the daemon inherits them.
  const int file = open(secret.c_str(), O_RDONLY);
  ASSERT_GE(file, 0);
  ASSERT_EQ(dup2(file, 7), 7);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  ASSERT_EQ(dup2(pipe_fds[0], 9), 9);
  e2e::Daemon daemon(scratch,
                     "socket_name = " + scratch.path("mi.sock") + "\nchildren_count = 2\n");
  close(7);
  close(9);
  close(file);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const std::vector<pid_t> pids = e2e::wait_for_processes(daemon.socket(), 3);
  ASSERT_EQ(pids.size(), 3U) << daemon.log();
  for (const pid_t pid : pids) {
    const auto descriptors = descriptors_of(pid);
    ASSERT_FALSE(descriptors.empty()) << "pid " << pid;
    for (const auto& [fd, target] : descriptors) {
      EXPECT_NE(target, secret) << "pid " << pid << " fd " << fd;
      EXPECT_FALSE(target.starts_with("pipe:")) << "pid " << pid << " fd " << fd;
      if (fd > 2) {
        EXPECT_TRUE(is_the_daemons_own(target, scratch.dir()))
            << "pid " << pid << " holds fd " << fd << " -> " << target;
      }
    }
  }
}

// With standard error closed, the first descriptor the daemon opens would
// become fd 2 and receive every log line: /dev/null is put there first.
TEST(InheritedDescriptors, ClosedStandardStreamsAreOpenedOnDevNull) {
  e2e::Scratch scratch;
  const std::string config = scratch.path("mi.conf");
  write_text(config, "socket_name = " + scratch.path("mi.sock") + "\n");
  Spawned started =
      spawn({"/bin/sh", "-c",
             "exec " + e2e::daemon_path() + " --foreground --config " + config + " 0<&- 2>&-"});
  const std::vector<pid_t> pids = e2e::wait_for_processes(scratch.path("mi.sock"), 2);
  ASSERT_EQ(pids.size(), 2U);
  for (const pid_t pid : pids) {
    for (const auto& [fd, target] : descriptors_of(pid)) {
      if (fd == 0 || fd == 2) {
        EXPECT_EQ(target, "/dev/null") << "pid " << pid << " fd " << fd;
      }
    }
  }
  kill(started.pid, SIGTERM);
  const e2e::RunResult run = finish(started, std::chrono::seconds(10));
  EXPECT_EQ(run.exit_status, 0) << run.output;
}

}  // namespace
}  // namespace mid::adversarial

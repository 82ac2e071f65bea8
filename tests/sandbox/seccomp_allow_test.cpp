// What the filters still allow, trap mode, and the daemon's whole order.
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "child.hpp"
#include "log/log.hpp"
#include "sandbox/limits.hpp"
#include "sandbox/privileges.hpp"
#include "sandbox/seccomp.hpp"

namespace mid::sandbox {
namespace {

using testing::ChildIo;
using testing::ChildResult;
using testing::pause_for_parent;
using testing::proc_status_lines;
using testing::proc_status_value;
using testing::run_in_child;

std::string status_of(pid_t pid) {
  return proc_status_lines(pid, {"Uid", "Gid", "Groups", "CapInh", "CapPrm", "CapEff", "CapBnd",
                                 "CapAmb", "NoNewPrivs", "Seccomp", "Seccomp_filters"});
}

std::string inspect_status(pid_t pid, const std::string&) {
  return status_of(pid);
}

// For a process the child forked: it reports "pid=N\n" before pausing.
std::string inspect_reported_pid(pid_t, const std::string& report) {
  const std::size_t at = report.rfind("pid=");
  if (at == std::string::npos) return "no pid reported";
  return status_of(static_cast<pid_t>(std::stol(report.substr(at + 4))));
}

TEST(MasterFilter, AllowsSupervisionAndShowsSeccompTwo) {
  const ChildResult child = run_in_child(
      [](const ChildIo& io) {
        apply_seccomp_or_die(Role::master, Mode::kill);
        if (getpid() <= 0) return 2;
        testing::report(io, "written through a pipe under the filter\n");
        const pid_t grandchild = fork();
        if (grandchild < 0) return 3;
        if (grandchild == 0) _exit(7);
        int status = 0;
        if (waitpid(grandchild, &status, 0) != grandchild) return 4;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 7) return 5;
        // The master waits for signals with a timeout, never by sleeping.
        sigset_t waited;
        sigemptyset(&waited);
        sigaddset(&waited, SIGUSR1);
        if (sigprocmask(SIG_BLOCK, &waited, nullptr) != 0) return 6;
        const timespec nap{0, 1000000};
        if (sigtimedwait(&waited, nullptr, &nap) != -1 || errno != EAGAIN) return 7;
        pause_for_parent(io);
        return 0;
      },
      inspect_status);
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(child.report, "written through a pipe under the filter\n");
  EXPECT_EQ(proc_status_value(child.inspected, "Seccomp"), "2") << child.inspected;
  EXPECT_EQ(proc_status_value(child.inspected, "Seccomp_filters"), "1") << child.inspected;
  EXPECT_EQ(proc_status_value(child.inspected, "NoNewPrivs"), "1") << child.inspected;
}

// fork() in glibc is clone(2), whose flags the filter checks; clone3 keeps
// its flags in memory the filter cannot read, and nothing calls it.
TEST(MasterFilter, KillsClone3WhoseFlagsItCannotInspect) {
  const ChildResult child = run_in_child([](const ChildIo&) {
    apply_seccomp_or_die(Role::master, Mode::kill);
    syscall(SYS_clone3, nullptr, 0);
    return 42;
  });
  EXPECT_TRUE(child.killed_by(SIGSYS)) << child.describe();
}

TEST(MasterFilter, AllowsOnlyTheSyslogSocket) {
  const ChildResult child = run_in_child([](const ChildIo&) {
    apply_seccomp_or_die(Role::master, Mode::kill);
    const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    return fd >= 0 && close(fd) == 0 ? 0 : 2;
  });
  EXPECT_TRUE(child.exited_with(0)) << child.describe();
}

// The worker setup the serving loop needs: a datagram socket pair made
// before any filter, an epoll instance and a timerfd made under the master
// filter, then the worker filter on top.
int serve_under_worker_filter(const ChildIo& io) {
  std::array<int, 2> pair{};
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair.data()) != 0) return 2;
  apply_seccomp_or_die(Role::master, Mode::kill);
  const int epoll = epoll_create1(EPOLL_CLOEXEC);
  const int timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  if (epoll < 0 || timer < 0) return 3;
  epoll_event event{};
  event.events = EPOLLIN;
  if (epoll_ctl(epoll, EPOLL_CTL_ADD, pair[1], &event) != 0) return 4;
  if (epoll_ctl(epoll, EPOLL_CTL_ADD, timer, &event) != 0) return 5;
  apply_seccomp_or_die(Role::worker, Mode::kill);

  if (sendto(pair[0], ":uptime:\n", 9, 0, nullptr, 0) != 9) return 6;
  std::array<epoll_event, 4> ready{};
  if (epoll_pwait(epoll, ready.data(), 4, 1000, nullptr) != 1) return 7;
  std::array<char, 64> buffer{};
  iovec iov{buffer.data(), buffer.size()};
  mmsghdr message{};
  message.msg_hdr.msg_iov = &iov;
  message.msg_hdr.msg_iovlen = 1;
  if (recvmmsg(pair[1], &message, 1, MSG_DONTWAIT, nullptr) != 1 || message.msg_len != 9) return 8;
  if (sendto(pair[1], buffer.data(), 7, MSG_DONTWAIT | MSG_NOSIGNAL, nullptr, 0) != 7) return 9;
  if (recvmmsg(pair[0], &message, 1, MSG_DONTWAIT, nullptr) != 1 || message.msg_len != 7) {
    return 10;
  }
  const itimerspec soon{{0, 0}, {0, 1000000}};
  if (timerfd_settime(timer, 0, &soon, nullptr) != 0) return 11;
  if (epoll_pwait(epoll, ready.data(), 4, 1000, nullptr) != 1) return 12;
  std::uint64_t expirations = 0;
  if (read(timer, &expirations, sizeof expirations) != 8 || expirations != 1) return 13;
  testing::report(io, "served\n");
  pause_for_parent(io);
  return 0;
}

TEST(WorkerFilter, StackedOnTheMasterStillServesADatagram) {
  const ChildResult child = run_in_child(serve_under_worker_filter, inspect_status);
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(child.report, "served\n");
  EXPECT_EQ(proc_status_value(child.inspected, "Seccomp"), "2") << child.inspected;
  EXPECT_EQ(proc_status_value(child.inspected, "Seccomp_filters"), "2") << child.inspected;
}

TEST(WorkerFilter, RefusesSocketCreationWithEaccesForSyslogsReconnect) {
  const ChildResult child = run_in_child([](const ChildIo&) {
    apply_seccomp_or_die(Role::master, Mode::kill);
    apply_seccomp_or_die(Role::worker, Mode::kill);
    const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    return fd == -1 && errno == EACCES ? 0 : 2;
  });
  EXPECT_TRUE(child.exited_with(0)) << child.describe();
}

// syslog() after the filters: localtime() must not open /etc/localtime (the
// filter preloads the zone), and a reconnect to /dev/log (syslogd restarted,
// or absent as here) must fail softly in a worker and work in the master.
TEST(Filters, SyslogLoggingSurvivesBothFilters) {
  const ChildResult child = run_in_child([](const ChildIo& io) {
    log::init(log::Target::syslog, log::Level::debug, "sandbox_tests");
    apply_seccomp_or_die(Role::master, Mode::kill);
    MID_LOG(notice, "a master line under the filter");
    apply_seccomp_or_die(Role::worker, Mode::kill);
    MID_LOG(notice, "a worker line under both filters");
    MID_LOG(notice, "and another one");
    testing::report(io, "logged\n");
    return 0;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(child.report, "logged\n");
}

TEST(TrapMode, NamesTheSyscallNumberOnStderrAndDiesOfSigsys) {
  const ChildResult child = run_in_child([](const ChildIo&) {
    apply_seccomp_or_die(Role::master, Mode::trap);
    apply_seccomp_or_die(Role::worker, Mode::trap);
    syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY);
    return 42;
  });
  EXPECT_TRUE(child.killed_by(SIGSYS)) << child.describe();
  const std::string expected = "seccomp trap: system call " + std::to_string(SYS_openat) + " ";
  EXPECT_NE(child.errors.find(expected), std::string::npos) << child.errors;
}

TEST(TrapMode, InTheMasterToo) {
  const ChildResult child = run_in_child([](const ChildIo&) {
    apply_seccomp_or_die(Role::master, Mode::trap);
    syscall(SYS_execve, "/bin/true", nullptr, nullptr);
    return 42;
  });
  EXPECT_TRUE(child.killed_by(SIGSYS)) << child.describe();
  const std::string expected = "system call " + std::to_string(SYS_execve) + " (arch 0x";
  EXPECT_NE(child.errors.find(expected), std::string::npos) << child.errors;
}

TEST(TrapMode, MessageIsFormattedWithoutLibc) {
  std::array<char, 256> line{};
  const std::size_t n = format_trap_message(line, 1234, 257, 0xc000003eu);
  EXPECT_EQ(std::string(line.data(), n),
            "mi-datagram sandbox[1234]: seccomp trap: system call 257 (arch 0xc000003e) is not "
            "allowed by the policy (name it: scmp_sys_resolver 257)\n");
  std::array<char, 8> small{};
  EXPECT_EQ(std::string(small.data(), format_trap_message(small, 1, 2, 3)), "mi-data\n");
}

TEST(OffMode, LoadsNoFilter) {
  const ChildResult child = run_in_child(
      [](const ChildIo& io) {
        apply_seccomp_or_die(Role::master, Mode::off);
        pause_for_parent(io);
        return 0;
      },
      inspect_status);
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(proc_status_value(child.inspected, "Seccomp"), "0") << child.inspected;
}

// The daemon's order: (bind) drop, limits, master filter, fork, worker filter.
TEST(DaemonOrder, WorkerRunsAsNobodyWithoutCapabilitiesUnderTwoFilters) {
  ASSERT_EQ(geteuid(), 0u) << "this test needs root (CI runs as root)";
  const ChildResult child = run_in_child(
      [](const ChildIo& io) {
        drop_privileges_or_die(65534, 65534);
        static_cast<void>(limit_resources_or_die());
        apply_seccomp_or_die(Role::master, Mode::kill);
        const pid_t worker = fork();
        if (worker < 0) return 2;
        if (worker == 0) {
          apply_seccomp_or_die(Role::worker, Mode::kill);
          testing::report(io, "pid=" + std::to_string(getpid()) + "\n");
          pause_for_parent(io);
          _exit(0);
        }
        int status = 0;
        if (waitpid(worker, &status, 0) != worker) return 3;
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 4;
      },
      inspect_reported_pid);
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  const std::string& status = child.inspected;
  EXPECT_EQ(proc_status_value(status, "Uid"), "65534 65534 65534 65534") << status;
  EXPECT_EQ(proc_status_value(status, "Gid"), "65534 65534 65534 65534") << status;
  EXPECT_EQ(proc_status_value(status, "Groups"), "") << status;
  for (const char* key : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
    EXPECT_EQ(proc_status_value(status, key), "0000000000000000") << key;
  }
  EXPECT_EQ(proc_status_value(status, "NoNewPrivs"), "1") << status;
  EXPECT_EQ(proc_status_value(status, "Seccomp"), "2") << status;
  EXPECT_EQ(proc_status_value(status, "Seccomp_filters"), "2") << status;
  std::cout << "worker /proc/PID/status:\n" << status;
}

}  // namespace
}  // namespace mid::sandbox

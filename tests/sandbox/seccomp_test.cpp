#include "sandbox/seccomp.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "child.hpp"

namespace mid::sandbox {
namespace {

using testing::ChildIo;
using testing::ChildResult;
using testing::run_in_child;

// Exit status of a child whose forbidden call came back instead of killing.
constexpr int kReturned = 42;

enum class Filters { master, master_then_worker };

// Runs `body` in a child under the filters, exactly as the daemon stacks them.
ChildResult run_filtered(Filters filters, Mode mode, int (*body)(const ChildIo&)) {
  return run_in_child([=](const ChildIo& io) {
    apply_seccomp_or_die(Role::master, mode);
    if (filters == Filters::master_then_worker) apply_seccomp_or_die(Role::worker, mode);
    return body(io);
  });
}

// --- Calls a filter must refuse -------------------------------------------

int call_openat(const ChildIo&) {
  syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY);
  return kReturned;
}
int call_fork(const ChildIo&) {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  return kReturned;
}
int call_execve(const ChildIo&) {
  char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
  execve("/bin/true", argv, nullptr);
  return kReturned;
}
int call_ptrace(const ChildIo&) {
  ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
  return kReturned;
}
int call_unshare_user(const ChildIo&) {
  unshare(CLONE_NEWUSER);
  return kReturned;
}
int call_clone_new_user(const ChildIo&) {
  const long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, nullptr, nullptr, nullptr, 0);
  if (pid == 0) _exit(0);
  return kReturned;
}
int call_mmap_exec(const ChildIo&) {
  mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return kReturned;
}
int call_mprotect_exec(const ChildIo&) {
  void* page = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return 2;
  mprotect(page, 4096, PROT_READ | PROT_EXEC);
  return kReturned;
}
int call_inet_socket(const ChildIo&) {
  socket(AF_INET, SOCK_DGRAM, 0);
  return kReturned;
}
int call_kill(const ChildIo&) {
  kill(getppid(), 0);
  return kReturned;
}
int call_prctl(const ChildIo&) {
  prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
  return kReturned;
}
int call_setuid(const ChildIo&) {
  syscall(SYS_setuid, 0);
  return kReturned;
}

// What a compromised worker would do to pass the listening socket out:
// sendmsg with SCM_RIGHTS. The worker replies with sendto, which carries
// no descriptor, so sendmsg and sendmmsg are not in its policy at all.
int call_sendmsg_scm_rights(const ChildIo& io) {
  std::array<int, 2> pair{};
  if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair.data()) != 0) return 2;
  (void)io;
  char byte = 'x';
  iovec iov{&byte, 1};
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int))> control{};
  msghdr message{};
  message.msg_iov = &iov;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(header), &pair[0], sizeof(int));
  return sendmsg(pair[1], &message, 0) == 1 ? 0 : 3;
}

struct ForbiddenCall {
  const char* name;
  int (*call)(const ChildIo&);
};

void PrintTo(const ForbiddenCall& call, std::ostream* out) {
  *out << call.name;
}

std::string case_name(const ::testing::TestParamInfo<ForbiddenCall>& info) {
  return info.param.name;
}

class WorkerKills : public ::testing::TestWithParam<ForbiddenCall> {};

TEST_P(WorkerKills, TheProcessWithSigsys) {
  const ChildResult child = run_filtered(Filters::master_then_worker, Mode::kill, GetParam().call);
  EXPECT_TRUE(child.killed_by(SIGSYS)) << child.describe();
}

INSTANTIATE_TEST_SUITE_P(
    ForbiddenCalls, WorkerKills,
    ::testing::Values(ForbiddenCall{"openat_etc_passwd", call_openat},
                      ForbiddenCall{"fork", call_fork}, ForbiddenCall{"execve", call_execve},
                      ForbiddenCall{"ptrace", call_ptrace},
                      ForbiddenCall{"unshare_user", call_unshare_user},
                      ForbiddenCall{"mmap_exec", call_mmap_exec},
                      ForbiddenCall{"mprotect_exec", call_mprotect_exec},
                      ForbiddenCall{"kill", call_kill}, ForbiddenCall{"prctl", call_prctl},
                      ForbiddenCall{"setuid", call_setuid},
                      ForbiddenCall{"sendmsg_scm_rights", call_sendmsg_scm_rights}),
    case_name);

class MasterKills : public ::testing::TestWithParam<ForbiddenCall> {};

TEST_P(MasterKills, TheProcessWithSigsys) {
  const ChildResult child = run_filtered(Filters::master, Mode::kill, GetParam().call);
  EXPECT_TRUE(child.killed_by(SIGSYS)) << child.describe();
}

INSTANTIATE_TEST_SUITE_P(ForbiddenCalls, MasterKills,
                         ::testing::Values(ForbiddenCall{"openat_etc_passwd", call_openat},
                                           ForbiddenCall{"execve", call_execve},
                                           ForbiddenCall{"ptrace", call_ptrace},
                                           ForbiddenCall{"unshare_user", call_unshare_user},
                                           ForbiddenCall{"clone_new_user", call_clone_new_user},
                                           ForbiddenCall{"mmap_exec", call_mmap_exec},
                                           ForbiddenCall{"mprotect_exec", call_mprotect_exec},
                                           ForbiddenCall{"inet_socket", call_inet_socket},
                                           ForbiddenCall{"prctl_set_dumpable", call_prctl},
                                           ForbiddenCall{"setuid", call_setuid}),
                         case_name);

}  // namespace
}  // namespace mid::sandbox

#pragma once

#include <sys/resource.h>
#include <sys/select.h>

// Resource limits of the daemon. Call after the privilege drop (so the
// hard limits cannot be raised back) and before the seccomp filter
// (setrlimit and prctl are not in the policy).
namespace mid::sandbox {

struct ResourceLimits {
  // RLIMIT_NOFILE, soft and hard. A worker holds stdin/stdout/stderr, the
  // socket, its epoll instance and timerfd, maybe a syslog socket; the rest
  // is headroom for fds a peer may pass with SCM_RIGHTS before they are
  // closed. Must stay <= FD_SETSIZE so select()'s fd_set can never be
  // indexed out of bounds by a descriptor we could open.
  rlim_t open_files = 64;
};

// What limit_resources_or_die did with RLIMIT_FSIZE (see below).
enum class FileSizeLimit { zero, left_alone };

// Sets, soft and hard (lowering only, which needs no privilege; a hard
// limit already below the wanted value is kept):
//  - RLIMIT_CORE 0 and PR_SET_DUMPABLE 0: no core file holding requests,
//    and no ptrace or /proc/PID/mem access by other processes of our uid;
//  - RLIMIT_NOFILE to limits.open_files (8..FD_SETSIZE, or the call dies);
//  - RLIMIT_FSIZE 0 — the daemon never writes a regular file — unless
//    stdout or stderr IS a regular file (e.g. `2>>daemon.log` or systemd's
//    StandardError=append:): a zero limit would then kill the daemon with
//    SIGXFSZ on its first log line. In that case FSIZE is left as it is and
//    the call returns left_alone so the caller can log it; the seccomp
//    filter (no open/openat/creat) is what keeps the daemon from writing
//    any other file.
// RLIMIT_NPROC is left alone: it counts every process of the target user
// system-wide (nobody is shared), so a low value could stop the master from
// restarting a child; the filters already forbid workers to fork and the
// master's back-off bounds its own forks.
// Any failure ends the process with a message naming the limit.
[[nodiscard]] FileSizeLimit limit_resources_or_die(const ResourceLimits& limits = {}) noexcept;

}  // namespace mid::sandbox

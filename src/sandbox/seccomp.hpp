#pragma once

#include <span>

#include "sandbox/syscall_rule.hpp"

// The seccomp filters of the daemon, built from the compiled policy tables
// (policy/master.policy, policy/worker.policy). See docs/SANDBOX.md.
namespace mid::sandbox {

// kill: a call outside the policy kills the whole process (SIGSYS).
// trap: it raises SIGSYS; a handler writes "system call N" to stderr and
//       the process then dies of SIGSYS all the same (for diagnosis).
// off:  no filter; the daemon must print a loud warning itself.
enum class Mode { kill, trap, off };

// master: the supervisor, loaded once before the children are forked.
// worker: each child, loaded after its setup, on top of the master's.
enum class Role { master, worker };

[[nodiscard]] std::span<const SyscallRule> policy_of(Role role) noexcept;

// Loads the filter of `role` (Mode::off: does nothing). Preconditions: the
// process is single-threaded; everything the policy does not allow (opening
// files, creating sockets, name-service look-ups) is done; the worker
// filter's caller runs under the master filter or none.
//
// Besides the rules: calls from a foreign ABI (i386, x32 on x86_64) kill
// the process in both modes; no_new_privs is set (SCMP_FLTATR_CTL_NNP);
// denials are logged by the kernel (audit) where it supports that; in trap
// mode a SIGSYS handler is installed first; libc's time zone is loaded
// first (tzset), so localtime() and syslog() need no file later.
// Any failure ends the process with a message naming what failed.
void apply_seccomp_or_die(Role role, Mode mode) noexcept;

// The diagnostic line the trap handler writes to stderr, with its newline:
// "mi-datagram sandbox[PID]: seccomp trap: system call 257 (arch
// 0xc000003e) is not allowed by the policy (name it: scmp_sys_resolver
// 257)\n". Returns the length written (at most out.size(); truncated
// lines still end in '\n' when out is not empty). Async-signal-safe: no
// allocation, no locale, no stdio.
[[nodiscard]] std::size_t format_trap_message(std::span<char> out, long pid, int syscall_number,
                                              unsigned arch) noexcept;

}  // namespace mid::sandbox

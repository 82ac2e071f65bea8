#pragma once

#include <vector>

// Signal dispositions of the daemon's processes. Any process of the same
// uid may send them a signal (the run-as user may be `nobody`, which other
// services share), and a signal left at its default action would end the
// process: a master killed so leaves its socket behind and its workers
// without a supervisor.
namespace mid::sandbox {

enum class SignalRole { master, worker };

// The catchable signals whose default action ends or stops a process and
// that this role does not use: SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
// SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGSTKFLT, SIGXCPU, SIGXFSZ, SIGTRAP,
// SIGTSTP, SIGTTIN, SIGTTOU and every real-time signal (SIGRTMIN..SIGRTMAX);
// a worker adds SIGHUP and SIGQUIT, which the master acts on (it logs
// SIGHUP and stops cleanly on SIGQUIT).
//
// Never in the list: SIGTERM and SIGINT (stop cleanly), SIGCHLD (the
// master waits for it), SIGSYS (the seccomp trap handler), and the faults
// SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT, which must keep ending a
// process that is no longer sound. A fault the kernel raises in the
// process itself (SIGTRAP from a breakpoint instruction, SIGXFSZ from a
// write over RLIMIT_FSIZE) still takes its default action for a trap, or
// fails the call (EFBIG) for SIGXFSZ; ignoring only stops stray ones.
[[nodiscard]] std::vector<int> stray_signals(SignalRole role);

// Sets every stray signal of `role` to SIG_IGN, unless its disposition is
// already something else than the default (an embedding program's own
// handler is kept). Call it single-threaded, before the seccomp filter of
// a worker (which allows no rt_sigaction). Exits with a message naming
// the signal if the kernel refuses one.
void ignore_stray_signals_or_die(SignalRole role);

}  // namespace mid::sandbox

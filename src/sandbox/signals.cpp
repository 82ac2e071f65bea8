#include "sandbox/signals.hpp"

#include <signal.h>

#include <cstring>

#include "sandbox/die.hpp"

namespace mid::sandbox {
namespace {

// sigabbrev_np reads no locale (strsignal may open message catalogues,
// which the master's filter forbids).
const char* name_of(int signal) noexcept {
  const char* name = sigabbrev_np(signal);
  return name != nullptr ? name : "RT";
}

}  // namespace

std::vector<int> stray_signals(SignalRole role) {
  std::vector<int> signals = {
      SIGUSR1,   SIGUSR2, SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF, SIGIO,
      SIGPWR,    SIGXCPU, SIGXFSZ, SIGTRAP, SIGTSTP,   SIGTTIN, SIGTTOU,
#ifdef SIGSTKFLT
      SIGSTKFLT,
#endif
  };
  // SIGRTMIN is a function in glibc: it keeps the first few for itself.
  for (int signal = SIGRTMIN; signal <= SIGRTMAX; ++signal) signals.push_back(signal);
  if (role == SignalRole::worker) signals.insert(signals.end(), {SIGHUP, SIGQUIT});
  return signals;
}

void ignore_stray_signals_or_die(SignalRole role) {
  for (const int signal : stray_signals(role)) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) != 0) {
      die_errno("cannot read the disposition of signal %d (SIG%s)", signal, name_of(signal));
    }
    if ((current.sa_flags & SA_SIGINFO) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    if (sigaction(signal, &ignore, nullptr) != 0) {
      die_errno("cannot ignore signal %d (SIG%s)", signal, name_of(signal));
    }
  }
}

}  // namespace mid::sandbox

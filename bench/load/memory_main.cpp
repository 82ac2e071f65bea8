// mi-memory PID: private resident memory (Private_Dirty + Private_Clean
// from /proc/PID/smaps_rollup) of a server's master PID and of each of
// its children, one line each: "ROLE PID NAME KiB".

#include <cstdio>
#include <cstdlib>

#include "load/proc_stat.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("Usage: mi-memory MASTER_PID\n", stderr);
    return 2;
  }
  const auto master = static_cast<pid_t>(std::atol(argv[1]));
  int status = 0;
  for (const pid_t pid : mid::bench::server_processes(master)) {
    const auto kib = mid::bench::private_kib(pid);
    if (!kib) status = 1;
    std::printf("%s %d %s %llu\n", pid == master ? "master" : "worker", static_cast<int>(pid),
                mid::bench::process_name(pid).c_str(),
                static_cast<unsigned long long>(kib.value_or(0)));
  }
  return status;
}

#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

// What the load benchmark reads from /proc about the server's processes.
namespace mid::bench {

// The server: `master` and every process whose parent it is (found by
// scanning /proc, since /proc/PID/task/TID/children is not always built).
[[nodiscard]] std::vector<pid_t> server_processes(pid_t master);

// utime + stime of `pid` in clock ticks (/proc/PID/stat fields 14 and 15),
// or nullopt when the process is gone.
[[nodiscard]] std::optional<std::uint64_t> cpu_ticks(pid_t pid);

// Sum of cpu_ticks over `pids` (gone processes count 0).
[[nodiscard]] std::uint64_t total_cpu_ticks(const std::vector<pid_t>& pids);

// Time `pid` has run on a CPU, user and system, in nanoseconds: the first
// field of /proc/PID/schedstat (the scheduler's own sum_exec_runtime).
// Exact, unlike utime/stime, which a kernel with tick accounting
// (CONFIG_TICK_CPU_ACCOUNTING) samples 100 times a second and charges to
// whoever is running at the tick: biased for a server that sleeps between
// requests. Nullopt when the process is gone.
[[nodiscard]] std::optional<std::uint64_t> run_time_ns(pid_t pid);

// Sum of run_time_ns over `pids` (gone processes count 0).
[[nodiscard]] std::uint64_t total_run_time_ns(const std::vector<pid_t>& pids);

// How often the scheduler took a CPU from `pid`: `voluntary` when it
// waited (each wait is one wake-up later), `involuntary` when it was
// preempted (/proc/PID/status).
struct ContextSwitches {
  std::uint64_t voluntary = 0;
  std::uint64_t involuntary = 0;
};

// Sum over `pids` (gone processes count 0).
[[nodiscard]] ContextSwitches total_context_switches(const std::vector<pid_t>& pids);

// Private_Dirty + Private_Clean from /proc/PID/smaps_rollup, in KiB, or
// nullopt when it cannot be read.
[[nodiscard]] std::optional<std::uint64_t> private_kib(pid_t pid);

// The process name (/proc/PID/comm without the newline), "" if gone.
[[nodiscard]] std::string process_name(pid_t pid);

}  // namespace mid::bench

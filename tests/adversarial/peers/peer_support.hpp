#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "daemon_process.hpp"

// What the attacks on peers share: acting as another uid, running a
// program without waiting for it, and looking at a process from /proc.
namespace mid::adversarial {

inline constexpr uid_t kNobody = 65534;
// A uid no account has: a local user unrelated to the daemon.
inline constexpr uid_t kStranger = 4343;

// Runs `attack` in a forked child that has become `uid` (real, effective
// and saved; group `uid`, no supplementary groups); returns its exit
// status (0..255), or -1 if the child could not change ids.
int as_uid(uid_t uid, const std::function<int()>& attack);

// A program started with its standard output and error on a pipe.
struct Spawned {
  pid_t pid = -1;
  int output = -1;
};
Spawned spawn(const std::vector<std::string>& argv);
// Reads everything the program writes and waits for it (at most `limit`).
e2e::RunResult finish(Spawned spawned, std::chrono::milliseconds limit);

// Runs `argv` with a pseudo-terminal as its standard output (and error),
// so isatty(1) holds; returns what the terminal received.
e2e::RunResult run_on_terminal(const std::vector<std::string>& argv);

std::vector<pid_t> children_of(pid_t pid);
// "N -> target" for every descriptor in /proc/PID/fd.
std::vector<std::pair<int, std::string>> descriptors_of(pid_t pid);
// The state letter of /proc/PID/stat (R, S, T, Z ...), or '?' when gone.
char state_of(pid_t pid);

void make_directory(const std::string& path, uid_t uid, gid_t gid, mode_t mode);
void write_text(const std::string& path, const std::string& text, mode_t mode = 0644);

}  // namespace mid::adversarial

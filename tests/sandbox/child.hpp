#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

// Real forks for the sandbox tests: the sandbox is irreversible, so every
// test confines a child and looks at it from the (unconfined) parent.
namespace mid::sandbox::testing {

// What the child side of a test can do.
struct ChildIo {
  int report_fd = -1;  // text for the parent (ChildResult::report)
  int go_fd = -1;      // read end of the parent's "go on" pipe
};

// Child side: appends `text` to the report. Only write(2), so it works
// under every filter.
void report(const ChildIo& io, std::string_view text) noexcept;

// Child side: lets the parent inspect this process (ChildOptions::on_pause,
// e.g. read /proc/PID/status, which a filtered child cannot open) and
// waits until it is done. Only write(2) and read(2).
void pause_for_parent(const ChildIo& io) noexcept;

struct ChildResult {
  int status = 0;         // raw wait status
  std::string report;     // what the child reported
  std::string errors;     // what the child wrote to its stderr
  std::string inspected;  // what on_pause returned, concatenated
  [[nodiscard]] bool exited_with(int code) const noexcept;
  [[nodiscard]] bool killed_by(int signal) const noexcept;
  [[nodiscard]] std::string describe() const;  // for failure messages
};

// Called in the parent at each pause_for_parent(): the child's pid and its
// report so far; returns text for ChildResult::inspected.
using OnPause = std::function<std::string(pid_t, const std::string&)>;

// Forks; the child runs `body` with its stderr on a pipe and _exit()s with
// the value it returns (never running atexit handlers or gtest). Each
// pause_for_parent() in the child (or in a process it forked) calls
// `on_pause` in the parent. The parent gives up on a child that runs
// longer than 20 s (SIGKILL).
ChildResult run_in_child(const std::function<int(const ChildIo&)>& body,
                         const OnPause& on_pause = {});

// The lines of /proc/PID/status whose key is in `keys` (e.g. "Uid",
// "Seccomp"), each as "Key:\tvalue\n", in file order.
std::string proc_status_lines(pid_t pid, std::initializer_list<std::string_view> keys);

// The value of one key of /proc/PID/status, blanks collapsed to one space
// ("Uid" -> "65534 65534 65534 65534"); empty if absent.
std::string proc_status_value(std::string_view status, std::string_view key);

}  // namespace mid::sandbox::testing

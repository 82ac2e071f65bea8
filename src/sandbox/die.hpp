#pragma once

// Fatal errors of the sandbox setup. A partial sandbox never runs: any
// failure to change ids, set limits or load the filter ends the process
// with a message naming what failed.
namespace mid::sandbox {

// Exit status of a process that could not set up its sandbox.
inline constexpr int kSandboxExitStatus = 1;

// Logs "sandbox: MESSAGE" (error level, printf-style) and exits with
// kSandboxExitStatus without running atexit handlers (the caller may be a
// forked child, or already filtered).
[[noreturn]] void die(const char* format, ...) noexcept __attribute__((format(printf, 1, 2)));
// Same, with ": strerror(errno)" appended; errno is read on entry.
[[noreturn]] void die_errno(const char* format, ...) noexcept __attribute__((format(printf, 1, 2)));

}  // namespace mid::sandbox

#pragma once

#include <string_view>

#include "core/log_level.hpp"

// Process-wide logging for the OS layer (never called from pure code).
// One line per event, to stderr or syslog, with the process role and pid.
// Formatting is printf-style so a message costs nothing when its level is
// off. Safe to call after the seccomp filter is loaded: stderr needs only
// write(2); syslog's socket is opened (openlog LOG_NDELAY) before the filter.
namespace mid::log {

using Level = core::LogLevel;
enum class Target { stderr_stream, syslog };

// Call once at start, before the sandbox. `role` names the process
// ("master", "worker 1") and may be changed after fork with set_role.
void init(Target target, Level level, std::string_view ident) noexcept;
void set_role(std::string_view role) noexcept;
void set_level(Level level) noexcept;
[[nodiscard]] Level level() noexcept;
[[nodiscard]] bool enabled(Level level) noexcept;

void write(Level level, const char* format, ...) noexcept __attribute__((format(printf, 2, 3)));

}  // namespace mid::log

#define MID_LOG(level, ...)                                     \
  do {                                                          \
    if (::mid::log::enabled(::mid::log::Level::level)) {        \
      ::mid::log::write(::mid::log::Level::level, __VA_ARGS__); \
    }                                                           \
  } while (0)

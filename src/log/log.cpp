#include "log/log.hpp"

#include <syslog.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace mid::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::notice)};
Target g_target = Target::stderr_stream;
std::array<char, 32> g_role{};
std::array<char, 32> g_ident{};

void copy_bounded(std::array<char, 32>& out, std::string_view text) noexcept {
  const std::size_t n = text.size() < out.size() - 1 ? text.size() : out.size() - 1;
  text.copy(out.data(), n);
  out[n] = '\0';
}

int syslog_priority(Level level) noexcept {
  switch (level) {
    case Level::error:
      return LOG_ERR;
    case Level::warning:
      return LOG_WARNING;
    case Level::notice:
      return LOG_NOTICE;
    case Level::info:
      return LOG_INFO;
    case Level::debug:
      return LOG_DEBUG;
  }
  return LOG_NOTICE;
}

}  // namespace

void init(Target target, Level level, std::string_view ident) noexcept {
  g_target = target;
  g_level.store(static_cast<int>(level));
  copy_bounded(g_ident, ident);
  if (target == Target::syslog) openlog(g_ident.data(), LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void set_role(std::string_view role) noexcept {
  copy_bounded(g_role, role);
}
void set_level(Level level) noexcept {
  g_level.store(static_cast<int>(level));
}
Level level() noexcept {
  return static_cast<Level>(g_level.load());
}
bool enabled(Level level) noexcept {
  return static_cast<int>(level) <= g_level.load();
}

void write(Level level, const char* format, ...) noexcept {
  std::array<char, 1024> message{};
  va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(message.data(), message.size(), format, args);
  va_end(args);
  if (n < 0) return;
  if (g_target == Target::syslog) {
    syslog(syslog_priority(level), "%s: %s", g_role.data(), message.data());
    return;
  }
  // One write(2) per line so lines from several processes never interleave.
  std::array<char, 1200> line{};
  const int len = std::snprintf(line.data(), line.size(), "%s[%d] %s %.*s: %s\n", g_ident.data(),
                                static_cast<int>(getpid()), g_role.data(),
                                static_cast<int>(core::to_string(level).size()),
                                core::to_string(level).data(), message.data());
  if (len > 0) {
    const auto size = static_cast<std::size_t>(len) < line.size() ? static_cast<std::size_t>(len)
                                                                  : line.size() - 1;
    [[maybe_unused]] const auto written = ::write(STDERR_FILENO, line.data(), size);
  }
}

}  // namespace mid::log

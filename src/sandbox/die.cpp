#include "sandbox/die.hpp"

#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "log/log.hpp"

namespace mid::sandbox {

void die(const char* format, ...) noexcept {
  std::array<char, 512> message{};
  va_list args;
  va_start(args, format);
  (void)std::vsnprintf(message.data(), message.size(), format, args);
  va_end(args);
  log::write(log::Level::error, "sandbox: %s", message.data());
  std::_Exit(kSandboxExitStatus);
}

void die_errno(const char* format, ...) noexcept {
  const int error = errno;
  std::array<char, 512> message{};
  va_list args;
  va_start(args, format);
  (void)std::vsnprintf(message.data(), message.size(), format, args);
  va_end(args);
  log::write(log::Level::error, "sandbox: %s: %s", message.data(), std::strerror(error));
  std::_Exit(kSandboxExitStatus);
}

}  // namespace mid::sandbox

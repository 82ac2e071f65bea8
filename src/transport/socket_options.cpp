#include "transport/socket_options.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

namespace mid::transport::detail {
namespace {

bool set_int_option(int fd, int level, int name, int value) noexcept {
  return setsockopt(fd, level, name, &value, sizeof value) == 0;
}

bool set_buffer(int fd, int forced, int plain, unsigned size, const char* what,
                std::string& error) {
  const int value =
      size > static_cast<unsigned>(INT_MAX / 2) ? INT_MAX / 2 : static_cast<int>(size);
  if (set_int_option(fd, SOL_SOCKET, forced, value)) return true;
  if (errno == EPERM && set_int_option(fd, SOL_SOCKET, plain, value)) return true;
  error = std::string("cannot set ") + what + ": " + errno_text(errno);
  return false;
}

}  // namespace

std::string errno_text(int errnum) {
  return std::strerror(errnum);
}

bool set_common_options(int fd, unsigned buf_size, unsigned timeout_ms, std::string& error) {
  if (!set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, buf_size, "SO_RCVBUF", error)) return false;
  if (!set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, buf_size, "SO_SNDBUF", error)) return false;
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(timeout_ms / 1000);
  timeout.tv_usec = static_cast<suseconds_t>((timeout_ms % 1000) * 1000);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) != 0) {
    error = "cannot set SO_SNDTIMEO: " + errno_text(errno);
    return false;
  }
  return true;
}

}  // namespace mid::transport::detail

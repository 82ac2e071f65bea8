#include "transport/socket_options.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "log/log.hpp"
#include "transport/socket_setup.hpp"

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

bool set_common_options(int fd, const config::Config& config, std::string& error) {
  if (!set_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, config.socket_buf_size, "SO_RCVBUF", error)) {
    return false;
  }
  // The kernel doubles what it is given and counts every datagram at its
  // full size, so half the configured bytes gives the configured bound.
  const unsigned wanted = config.socket_send_buffer;
  if (!set_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, wanted / 2, "SO_SNDBUF", error)) return false;
  int obtained = 0;
  socklen_t length = sizeof obtained;
  if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &obtained, &length) == 0 &&
      static_cast<unsigned>(obtained) + 4096 < wanted) {
    MID_LOG(warning,
            "socket_send_buffer %u not granted (no CAP_NET_ADMIN; net.core.wmem_max caps it): "
            "%d bytes of unread replies",
            wanted, obtained);
  }
  return set_receive_wait_bound(fd, error);
}

bool set_receive_wait_bound(int fd, std::string& error) {
  const timeval bound{kWorkerWaitBoundMs / 1000, (kWorkerWaitBoundMs % 1000) * 1000};
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound) == 0) return true;
  error = "cannot set SO_RCVTIMEO: " + errno_text(errno);
  return false;
}

}  // namespace mid::transport::detail

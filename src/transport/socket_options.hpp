#pragma once

#include <string>

#include "config/config.hpp"

// Internal to src/transport: option helpers shared by the listening-socket
// setup and the client socket (the descriptor owner is os::UniqueFd).
namespace mid::transport::detail {

// strerror(errnum) as a string.
[[nodiscard]] std::string errno_text(int errnum);

// SO_RCVBUF = socket_buf_size and SO_SNDBUF = socket_send_buffer, the
// FORCE variants when privileged (so a size above net.core.*mem_max is
// honoured as root; otherwise the kernel caps it at its maximum, and a
// warning names the size obtained). Replies are sent without waiting, so
// no SO_SNDTIMEO. False with `error` naming the option on failure.
bool set_common_options(int fd, const config::Config& config, std::string& error);

// SO_RCVTIMEO = kWorkerWaitBoundMs (socket_setup.hpp): bounds a worker's
// blocking receive. False with `error` naming the option on failure.
bool set_receive_wait_bound(int fd, std::string& error);

}  // namespace mid::transport::detail

#pragma once

#include <string>

#include "config/config.hpp"

// Internal to src/transport: option helpers shared by the listening-socket
// setup and the client socket (the descriptor owner is os::UniqueFd).
namespace mid::transport::detail {

// strerror(errnum) as a string.
[[nodiscard]] std::string errno_text(int errnum);

// SO_SNDBUF/SO_RCVBUF = `size` (the FORCE variants when privileged, so a
// size above net.core.*mem_max is honoured as root) and SO_SNDTIMEO =
// `timeout_ms`. False with `error` naming the option on failure.
bool set_common_options(int fd, unsigned buf_size, unsigned timeout_ms, std::string& error);

}  // namespace mid::transport::detail

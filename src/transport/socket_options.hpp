#pragma once

#include <string>

#include "config/config.hpp"

// Internal to src/transport: small RAII and option helpers shared by the
// listening-socket setup and the client socket.
namespace mid::transport::detail {

// An owned descriptor, closed on destruction unless released.
class UniqueFd {
 public:
  UniqueFd() noexcept = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  ~UniqueFd() { reset(); }

  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] int release() noexcept;
  void reset() noexcept;

 private:
  int fd_ = -1;
};

// strerror(errnum) as a string.
[[nodiscard]] std::string errno_text(int errnum);

// SO_SNDBUF/SO_RCVBUF = `size` (the FORCE variants when privileged, so a
// size above net.core.*mem_max is honoured as root) and SO_SNDTIMEO =
// `timeout_ms`. False with `error` naming the option on failure.
bool set_common_options(int fd, unsigned buf_size, unsigned timeout_ms, std::string& error);

}  // namespace mid::transport::detail

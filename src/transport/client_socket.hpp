#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "config/socket_address.hpp"

// The client's end (mi-datagram, and tests): a socket connected to the
// server, so the kernel delivers to it only datagrams from the server.
//
// UNIX: bound to an abstract autobound address (the kernel picks a unique
// name in the abstract namespace: no file in /tmp, nothing world-writable,
// nothing to clean up) and connected to the server's path; a datagram from
// any other socket is refused by the kernel (EPERM at the sender).
// UDP: connected to the server's address (resolved once), which filters
// datagrams from any other source address or port.
namespace mid::transport {

class ClientSocket {
 public:
  enum class Status { ok, timeout, error };
  struct Received {
    Status status = Status::error;
    std::size_t size = 0;    // the datagram's real size; > buffer size means truncated
    bool truncated = false;  // only the first buffer.size() bytes were kept
    std::string error;       // when status == error
  };

  ClientSocket() noexcept = default;
  explicit ClientSocket(int fd) noexcept : fd_(fd) {}
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;
  ClientSocket(ClientSocket&& other) noexcept;
  ClientSocket& operator=(ClientSocket&& other) noexcept;
  ~ClientSocket();

  [[nodiscard]] int fd() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }

  // Sends one datagram (all of `data` or nothing). False with `error` set
  // on failure (e.g. "Connection refused" once the server is gone).
  bool send(std::span<const char> data, std::string& error) noexcept;

  // Waits up to `timeout_ms` (>= 0) for one datagram and copies at most
  // buffer.size() bytes of it; a longer datagram is reported truncated
  // with its real size. Retries on EINTR without extending the deadline.
  [[nodiscard]] Received receive(std::span<char> buffer, int timeout_ms) noexcept;

 private:
  int fd_ = -1;
};

// Creates the client socket for `server`. On failure returns an invalid
// socket and sets `error` to a message naming the step and the address.
[[nodiscard]] ClientSocket connect_client(const config::SocketAddress& server, std::string& error);

}  // namespace mid::transport

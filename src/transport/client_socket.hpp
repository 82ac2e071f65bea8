#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <utility>

#include <sys/socket.h>

#include "config/socket_address.hpp"
#include "os/unique_fd.hpp"

// The client's end (mi-datagram, and tests): a socket connected to the
// server, so the kernel delivers to it only datagrams from the server.
//
// UNIX: bound to an abstract autobound address (the kernel picks a unique
// name in the abstract namespace: no file in /tmp, nothing world-writable,
// nothing to clean up) and connected to the server's path; a datagram from
// any other socket is refused by the kernel (EPERM at the sender).
// UDP: connected to the server's address (resolved once), which filters
// datagrams from any other source address or port.
//
// The kernel's filter starts at connect(): the autobound name is visible
// (/proc/net/unix) before, and a datagram another user queued there in
// that moment would otherwise be read as the reply. So connect_client
// discards whatever is queued once connected (nothing can be a reply yet:
// no request was sent), and receive() takes only a datagram whose sender
// is the address the socket is connected to (getpeername), dropping any
// other. Both are counted in ignored().
namespace mid::transport {

// A socket address as the kernel reports it (getpeername, recvfrom).
struct PeerAddress {
  sockaddr_storage address{};
  socklen_t length = 0;
};

// Whether two reported addresses name the same sender: the same UNIX name
// (path or abstract), or the same IP address and port.
[[nodiscard]] bool same_peer(const PeerAddress& a, const PeerAddress& b) noexcept;

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
  // `fd` is connected to `server` (as getpeername reports it).
  ClientSocket(os::UniqueFd fd, const PeerAddress& server) noexcept
      : fd_(std::move(fd)), server_(server) {}

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] bool valid() const noexcept { return fd_.valid(); }

  // Sends one datagram (all of `data` or nothing). False with `error` set
  // on failure (e.g. "Connection refused" once the server is gone).
  bool send(std::span<const char> data, std::string& error) noexcept;

  // Waits up to `timeout_ms` (>= 0) for one datagram from the server and
  // copies at most buffer.size() bytes of it; a longer datagram is
  // reported truncated with its real size. A datagram from any other
  // sender is dropped and counted, and the wait goes on. Retries on EINTR
  // without extending the deadline.
  [[nodiscard]] Received receive(std::span<char> buffer, int timeout_ms) noexcept;

  // Reads and drops every datagram queued now; returns how many.
  std::size_t discard_queued() noexcept;

  // Datagrams dropped so far because the server did not send them.
  [[nodiscard]] std::size_t ignored() const noexcept { return ignored_; }

 private:
  os::UniqueFd fd_;
  PeerAddress server_;
  std::size_t ignored_ = 0;
};

// Creates the client socket for `server`. On failure returns an invalid
// socket and sets `error` to a message naming the step and the address.
[[nodiscard]] ClientSocket connect_client(const config::SocketAddress& server, std::string& error);

}  // namespace mid::transport

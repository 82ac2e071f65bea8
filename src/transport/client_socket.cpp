#include "transport/client_socket.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "transport/socket_options.hpp"
#include "transport/socket_setup.hpp"

namespace mid::transport {
namespace {

using detail::errno_text;
using os::UniqueFd;

// The socket once connect() succeeded: the server's address as the kernel
// reports it, and whatever was queued before the kernel's filter began
// (no request was sent yet: none of it is a reply) discarded.
ClientSocket connected(UniqueFd fd, std::string& error) {
  PeerAddress server;
  server.length = sizeof server.address;
  if (getpeername(fd.get(), reinterpret_cast<sockaddr*>(&server.address), &server.length) != 0) {
    error = "getpeername: " + errno_text(errno);
    return ClientSocket();
  }
  ClientSocket socket(std::move(fd), server);
  socket.discard_queued();
  return socket;
}

ClientSocket connect_unix(const std::string& path, std::string& error) {
  sockaddr_un server{};
  server.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof server.sun_path) {
    error = "socket path \"" + path + "\" must be 1 to 107 bytes";
    return ClientSocket();
  }
  std::memcpy(server.sun_path, path.data(), path.size());
  UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    error = "cannot create UNIX socket: " + errno_text(errno);
    return ClientSocket();
  }
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  // addrlen == sizeof(sa_family_t): the kernel autobinds an abstract name.
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&self), sizeof(sa_family_t)) != 0) {
    error = "cannot autobind client socket: " + errno_text(errno);
    return ClientSocket();
  }
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0) {
    error = "cannot connect to " + path + ": " + errno_text(errno);
    return ClientSocket();
  }
  return connected(std::move(fd), error);
}

ClientSocket connect_udp(const config::SocketAddress& server, std::string& error) {
  sockaddr_storage address{};
  socklen_t length = 0;
  if (!resolve_udp_address(server, address, length, error)) return ClientSocket();
  UniqueFd fd(socket(address.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    error = "cannot create UDP socket: " + errno_text(errno);
    return ClientSocket();
  }
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    error = "cannot connect to UDP " + format_ip_address(address) + ": " + errno_text(errno);
    return ClientSocket();
  }
  return connected(std::move(fd), error);
}

}  // namespace

bool same_peer(const PeerAddress& a, const PeerAddress& b) noexcept {
  if (a.address.ss_family != b.address.ss_family) return false;
  switch (a.address.ss_family) {
    case AF_UNIX:
      // The name (path or abstract) and its length, as the kernel reports it.
      return a.length == b.length && std::memcmp(&a.address, &b.address, a.length) == 0;
    case AF_INET: {
      const auto& x = reinterpret_cast<const sockaddr_in&>(a.address);
      const auto& y = reinterpret_cast<const sockaddr_in&>(b.address);
      return x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
    }
    case AF_INET6: {
      const auto& x = reinterpret_cast<const sockaddr_in6&>(a.address);
      const auto& y = reinterpret_cast<const sockaddr_in6&>(b.address);
      return x.sin6_port == y.sin6_port &&
             std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0;
    }
    default:
      return false;
  }
}

std::size_t ClientSocket::discard_queued() noexcept {
  std::size_t discarded = 0;
  char byte = 0;
  for (;;) {
    const ssize_t n = recv(fd_.get(), &byte, 1, MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;  // EAGAIN: the queue is empty
    ++discarded;
  }
  ignored_ += discarded;
  return discarded;
}

bool ClientSocket::send(std::span<const char> data, std::string& error) noexcept {
  ssize_t sent = -1;
  do {
    sent = ::send(fd_.get(), data.data(), data.size(), MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    error = "send: " + errno_text(errno);
    return false;
  }
  if (static_cast<std::size_t>(sent) != data.size()) {
    error = "send: datagram cut short";
    return false;
  }
  return true;
}

ClientSocket::Received ClientSocket::receive(std::span<char> buffer, int timeout_ms) noexcept {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms < 0 ? 0 : timeout_ms);
  Received out;
  for (;;) {
    // Round up so the wait never ends before the deadline.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd p{fd_.get(), POLLIN, 0};
    const int ready = poll(&p, 1, left > 0 ? static_cast<int>(left) : 0);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      out.error = "poll: " + errno_text(errno);
      return out;
    }
    if (ready == 0 && Clock::now() < deadline) continue;
    if (ready == 0) {
      out.status = Status::timeout;
      return out;
    }
    PeerAddress sender;
    sender.length = sizeof sender.address;
    const ssize_t n = recvfrom(fd_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT | MSG_TRUNC,
                               reinterpret_cast<sockaddr*>(&sender.address), &sender.length);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      out.error = "receive: " + errno_text(errno);
      return out;
    }
    if (!same_peer(sender, server_)) {
      ++ignored_;
      continue;
    }
    out.status = Status::ok;
    out.size = static_cast<std::size_t>(n);
    out.truncated = out.size > buffer.size();
    return out;
  }
}

ClientSocket connect_client(const config::SocketAddress& server, std::string& error) {
  if (server.kind == config::SocketAddress::Kind::udp) return connect_udp(server, error);
  return connect_unix(server.path, error);
}

}  // namespace mid::transport

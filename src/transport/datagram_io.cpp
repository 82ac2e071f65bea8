#include "transport/datagram_io.hpp"

#include <netinet/in.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "transport/socket_setup.hpp"

namespace mid::transport {

bool Peer::addressable() const noexcept {
  if (address.ss_family != AF_UNIX) return length > 0;
  // An unbound UNIX sender shows only the family (or nothing at all).
  return length > static_cast<socklen_t>(sizeof(sa_family_t));
}

bool Peer::ip(bool& v6, IpBytes& bytes) const noexcept {
  return length > 0 && ip_bytes_of(address, v6, bytes);
}

Received receive_datagram(int fd, std::span<char> buffer, Peer& peer) noexcept {
  iovec io{buffer.data(), buffer.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
  msghdr message{};
  message.msg_name = &peer.address;
  message.msg_namelen = sizeof(peer.address);
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof(control);
  const ssize_t n = recvmsg(fd, &message, MSG_DONTWAIT | MSG_TRUNC | MSG_CMSG_CLOEXEC);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {ReceiveStatus::empty, 0};
    if (errno == EINTR) return {ReceiveStatus::interrupted, 0};
    return {ReceiveStatus::failed, 0};
  }
  peer.length = message.msg_namelen;
  peer.has_credentials = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
        c->cmsg_len >= CMSG_LEN(sizeof(ucred))) {
      ucred credentials{};
      std::memcpy(&credentials, CMSG_DATA(c), sizeof(credentials));
      peer.has_credentials = true;
      peer.uid = credentials.uid;
      peer.gid = credentials.gid;
      peer.pid = credentials.pid;
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      // The buffer has no room for descriptors, so the kernel installs
      // none; should one ever arrive, it is closed, never kept.
      const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      const std::span<const unsigned char> fds(CMSG_DATA(c), count * sizeof(int));
      for (std::size_t i = 0; i < count; ++i) {
        int passed = -1;
        std::memcpy(&passed, fds.subspan(i * sizeof(int)).data(), sizeof(int));
        if (passed >= 0) close(passed);
      }
    }
  }
  return {ReceiveStatus::datagram, static_cast<std::size_t>(n)};
}

SendStatus send_reply(int fd, std::span<const char> reply, const Peer& peer, bool wait) noexcept {
  const int flags = MSG_NOSIGNAL | (wait ? 0 : MSG_DONTWAIT);
  for (;;) {
    const ssize_t n = sendto(fd, reply.data(), reply.size(), flags,
                             reinterpret_cast<const sockaddr*>(&peer.address), peer.length);
    if (n >= 0) return SendStatus::sent;
    switch (errno) {
      case EINTR:
        continue;
      case EAGAIN:
        return SendStatus::timed_out;
      case ECONNREFUSED:
      case ENOENT:
      case ENOTCONN:
      case EPIPE:
      case EHOSTUNREACH:
      case ENETUNREACH:
        return SendStatus::peer_gone;
      default:
        return SendStatus::failed;
    }
  }
}

void SlowPeer::remember(const Peer& peer, std::int64_t now_ms) noexcept {
  active_ = true;
  until_ms_ = now_ms + kSlowPeerMemoryMs;
  address_ = peer.address;
  length_ = peer.length;
}

bool SlowPeer::is(const Peer& peer, std::int64_t now_ms) const noexcept {
  return active_ && now_ms < until_ms_ && peer.length == length_ &&
         std::memcmp(&peer.address, &address_, length_) == 0;
}

std::int64_t monotonic_ms() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace mid::transport

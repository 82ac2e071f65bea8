#include "transport/datagram_io.hpp"

#include <netinet/in.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "transport/socket_setup.hpp"

namespace mid::transport {
namespace {

// Reads the sender's credentials; closes any descriptor a peer passed
// (the control buffer has no room for one, so the kernel installs none,
// but should one ever arrive it is closed, never kept).
void read_control(msghdr& message, Peer& peer) noexcept {
  peer.has_credentials = false;
  for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
    if (c->cmsg_level != SOL_SOCKET) continue;
    if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(ucred))) {
      ucred credentials{};
      std::memcpy(&credentials, CMSG_DATA(c), sizeof(credentials));
      peer.has_credentials = true;
      peer.uid = credentials.uid;
      peer.gid = credentials.gid;
      peer.pid = credentials.pid;
    } else if (c->cmsg_type == SCM_RIGHTS) {
      const std::size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      const std::span<const unsigned char> fds(CMSG_DATA(c), count * sizeof(int));
      for (std::size_t i = 0; i < count; ++i) {
        int passed = -1;
        std::memcpy(&passed, fds.subspan(i * sizeof(int)).data(), sizeof(int));
        if (passed >= 0) close(passed);
      }
    }
  }
}

}  // namespace

bool Peer::addressable() const noexcept {
  if (address.ss_family != AF_UNIX) return length > 0;
  // An unbound UNIX sender shows only the family (or nothing at all).
  return length > static_cast<socklen_t>(sizeof(sa_family_t));
}

bool Peer::ip(bool& v6, IpBytes& bytes) const noexcept {
  return length > 0 && ip_bytes_of(address, v6, bytes);
}

bool Peer::same_address(const Peer& other) const noexcept {
  return length == other.length && std::memcmp(&address, &other.address, length) == 0;
}

// The headers point into this object and its buffers, so they are set up
// once; a receive resets only what the kernel wrote into them.
bool ReceiveBatch::allocate() noexcept {
  buffers_.reset(new (std::nothrow) std::array<Buffer, kBatch>);
  if (!buffers_) return false;
  for (std::size_t i = 0; i < kBatch; ++i) {
    io_[i] = {(*buffers_)[i].data(), core::kReceiveBuffer};
    msghdr& m = messages_[i].msg_hdr;
    m.msg_name = &peers_[i].address;
    m.msg_iov = &io_[i];
    m.msg_iovlen = 1;
    m.msg_control = control_[i].data();
  }
  return true;
}

ReceiveStatus ReceiveBatch::receive(int fd, ReceiveWait wait) noexcept {
  static_assert(kControl >= CMSG_SPACE(sizeof(ucred)));
  count_ = 0;
  // Only the entries the call may fill are set up: one when it waits.
  const std::size_t limit = wait == ReceiveWait::one ? 1 : kBatch;
  for (std::size_t i = 0; i < limit; ++i) {
    msghdr& m = messages_[i].msg_hdr;
    m.msg_namelen = sizeof(sockaddr_storage);
    m.msg_controllen = kControl;
  }
  const int waiting = wait == ReceiveWait::one ? 0 : MSG_DONTWAIT;
  const int n = recvmmsg(fd, messages_.data(), static_cast<unsigned>(limit),
                         waiting | MSG_TRUNC | MSG_CMSG_CLOEXEC, nullptr);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return ReceiveStatus::empty;
    return errno == EINTR ? ReceiveStatus::interrupted : ReceiveStatus::failed;
  }
  count_ = static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < count_; ++i) {
    peers_[i].length = messages_[i].msg_hdr.msg_namelen;
    sizes_[i] = messages_[i].msg_len;
    read_control(messages_[i].msg_hdr, peers_[i]);
  }
  return count_ == 0 ? ReceiveStatus::empty : ReceiveStatus::datagrams;
}

std::string_view ReceiveBatch::datagram(std::size_t i) const noexcept {
  const std::size_t seen = sizes_[i] < core::kReceiveBuffer ? sizes_[i] : core::kReceiveBuffer;
  return {(*buffers_)[i].data(), seen};
}

SendStatus send_reply(int fd, std::span<const char> reply, const Peer& peer) noexcept {
  for (;;) {
    const ssize_t n = sendto(fd, reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                             reinterpret_cast<const sockaddr*>(&peer.address), peer.length);
    if (n >= 0) return SendStatus::sent;
    switch (errno) {
      case EINTR:
        continue;
      case EAGAIN:
        return SendStatus::would_block;
      case ECONNREFUSED:
      case ENOENT:
      case ENOTCONN:
      case EPIPE:
      case EHOSTUNREACH:
      case ENETUNREACH:
        return SendStatus::peer_gone;
      case EACCES:
      case EPERM:
        return SendStatus::denied;
      default:
        return SendStatus::failed;
    }
  }
}

std::int64_t monotonic_ms() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void arm_timer(int fd, std::int64_t due_ms, std::int64_t now_ms) noexcept {
  itimerspec spec{};
  if (due_ms >= 0) {
    const std::int64_t wait_ms = due_ms - now_ms;
    if (wait_ms <= 0) {
      spec.it_value.tv_nsec = 1;  // zero would disarm
    } else {
      spec.it_value.tv_sec = static_cast<time_t>(wait_ms / 1000);
      spec.it_value.tv_nsec = static_cast<long>(wait_ms % 1000) * 1000000L;
    }
  }
  timerfd_settime(fd, 0, &spec, nullptr);
}

}  // namespace mid::transport

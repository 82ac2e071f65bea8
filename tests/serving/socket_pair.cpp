#include "socket_pair.hpp"

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <array>

#include <gtest/gtest.h>

namespace mid::serving_test {

Socket::Socket() : fd_(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
  EXPECT_GE(fd_, 0);
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&self), sizeof(sa_family_t)), 0);
}

Socket::~Socket() {
  close_now();
}

void Socket::close_now() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

transport::Peer Socket::as_peer(std::uint32_t uid) const {
  transport::Peer peer;
  peer.length = sizeof(peer.address);
  EXPECT_EQ(getsockname(fd_, reinterpret_cast<sockaddr*>(&peer.address), &peer.length), 0);
  peer.has_credentials = true;
  peer.uid = uid;
  return peer;
}

int Socket::unread_charge() const {
  int queued = -1;
  EXPECT_EQ(ioctl(fd_, SIOCOUTQ, &queued), 0);
  return queued;
}

void Socket::set_send_buffer(int bytes) {
  EXPECT_EQ(setsockopt(fd_, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes), 0);
}

std::string Socket::read_one() {
  std::array<char, 65536> buffer{};
  const ssize_t n = recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
  return n < 0 ? std::string() : std::string(buffer.data(), static_cast<std::size_t>(n));
}

}  // namespace mid::serving_test

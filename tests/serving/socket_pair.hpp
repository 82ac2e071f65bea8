#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <string>

#include "transport/datagram_io.hpp"

// Real UNIX datagram sockets with abstract, autobound addresses, for the
// serving tests: a "server" that sends replies and "clients" that may
// never read them.
namespace mid::serving_test {

class Socket {
 public:
  Socket();  // AF_UNIX, SOCK_DGRAM, autobound
  ~Socket();
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int fd() const { return fd_; }
  // This socket's address as a reply destination.
  [[nodiscard]] transport::Peer as_peer(std::uint32_t uid = 0) const;
  // Bytes of unread datagrams this socket sent that still hold its buffer.
  [[nodiscard]] int unread_charge() const;
  void set_send_buffer(int bytes);
  // Reads one datagram, or returns "" when none is queued.
  std::string read_one();
  void close_now();

 private:
  int fd_ = -1;
};

}  // namespace mid::serving_test

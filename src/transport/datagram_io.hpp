#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>

#include "transport/access.hpp"

// Receiving one datagram with its sender, and sending one reply back.
namespace mid::transport {

struct Peer {
  sockaddr_storage address{};
  socklen_t length = 0;
  bool has_credentials = false;  // UNIX: SCM_CREDENTIALS arrived
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::int32_t pid = 0;
  // UNIX: false when the sender's socket is unbound (nowhere to reply).
  [[nodiscard]] bool addressable() const noexcept;
  // UDP: the sender's IP as bytes for the access predicates.
  [[nodiscard]] bool ip(bool& v6, IpBytes& bytes) const noexcept;
};

enum class ReceiveStatus { datagram, empty, interrupted, failed };

struct Received {
  ReceiveStatus status = ReceiveStatus::empty;
  std::size_t size = 0;  // the datagram's real size, even when larger than the buffer
};

// Non-blocking receive into `buffer` (give it kMaxDatagram + 1 bytes: the
// real size is reported through MSG_TRUNC, so an oversize datagram is
// recognised, never parsed cut).
[[nodiscard]] Received receive_datagram(int fd, std::span<char> buffer, Peer& peer) noexcept;

enum class SendStatus { sent, timed_out, peer_gone, failed };

// Sends `reply` to `peer` from `fd`, blocking at most the socket's
// SO_SNDTIMEO (socket_timeout).
[[nodiscard]] SendStatus send_reply(int fd, std::span<const char> reply, const Peer& peer) noexcept;

}  // namespace mid::transport

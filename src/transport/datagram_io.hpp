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
// SO_SNDTIMEO (socket_timeout), or not at all when `wait` is false.
[[nodiscard]] SendStatus send_reply(int fd, std::span<const char> reply, const Peer& peer,
                                    bool wait = true) noexcept;

// Remembers the last peer whose reply timed out. Until that peer takes a
// reply again (or kSlowPeerMemoryMs pass), replies to it are tried without
// waiting: a client that floods the socket and never reads costs the
// others one socket_timeout, not one per queued request.
class SlowPeer {
 public:
  static constexpr std::int64_t kSlowPeerMemoryMs = 10000;
  void remember(const Peer& peer, std::int64_t now_ms) noexcept;
  void forget() noexcept { active_ = false; }
  [[nodiscard]] bool is(const Peer& peer, std::int64_t now_ms) const noexcept;
  [[nodiscard]] bool active() const noexcept { return active_; }

 private:
  bool active_ = false;
  std::int64_t until_ms_ = 0;
  sockaddr_storage address_{};
  socklen_t length_ = 0;
};

[[nodiscard]] std::int64_t monotonic_ms() noexcept;

}  // namespace mid::transport

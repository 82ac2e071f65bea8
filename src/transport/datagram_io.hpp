#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "core/limits.hpp"
#include "transport/access.hpp"

// Receiving datagrams with their senders, a batch per system call, and
// sending one reply back without ever waiting for the receiver.
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
  [[nodiscard]] bool same_address(const Peer& other) const noexcept;
};

enum class ReceiveStatus { datagrams, empty, interrupted, failed };

// How ReceiveBatch::receive waits: not at all (MSG_DONTWAIT: it takes what
// is queued, at most kBatch), or until a datagram comes, at most the
// socket's SO_RCVTIMEO (after which it says `empty`), taking that one
// only. A closed-loop client sends its next request when its reply
// arrives; a worker that takes the whole queue at once empties it, answers,
// and then sleeps until the next request wakes it again, where one that
// takes one datagram per call finds the next already queued (docs/
// PERFORMANCE.md, "One datagram per wait").
enum class ReceiveWait { none, one };

// Up to kBatch datagrams taken with one recvmmsg(2). Each buffer holds
// kMaxDatagram + 1 bytes and the real size is reported (MSG_TRUNC), so an
// oversize datagram is recognised, never parsed cut. Without waiting, one
// call takes every queued request; a batch that comes back short means the
// queue is empty, and the worker goes back to waiting instead of asking
// again for an EAGAIN.
class ReceiveBatch {
 public:
  static constexpr std::size_t kBatch = 16;

  ReceiveBatch() = default;
  // The message headers point into the object itself.
  ReceiveBatch(const ReceiveBatch&) = delete;
  ReceiveBatch& operator=(const ReceiveBatch&) = delete;

  // Allocates the buffers (about 1 MiB, touched only as datagrams arrive)
  // and sets up the message headers.
  bool allocate() noexcept;
  // Takes what is queued on `fd`, at most kBatch; with ReceiveWait::one it
  // waits for a datagram and takes it alone (`fd` must be a blocking socket).
  [[nodiscard]] ReceiveStatus receive(int fd, ReceiveWait wait = ReceiveWait::none) noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] bool full() const noexcept { return count_ == kBatch; }
  // The datagram's bytes (at most kReceiveBuffer of them) and its real size.
  [[nodiscard]] std::string_view datagram(std::size_t i) const noexcept;
  [[nodiscard]] std::size_t real_size(std::size_t i) const noexcept { return sizes_[i]; }
  [[nodiscard]] const Peer& peer(std::size_t i) const noexcept { return peers_[i]; }

 private:
  static constexpr std::size_t kControl = 64;  // room for one ucred; SCM_RIGHTS is closed
  using Buffer = std::array<char, core::kReceiveBuffer>;
  std::unique_ptr<std::array<Buffer, kBatch>> buffers_;
  std::array<Peer, kBatch> peers_{};
  std::array<std::size_t, kBatch> sizes_{};
  alignas(16) std::array<std::array<char, kControl>, kBatch> control_{};
  std::array<iovec, kBatch> io_{};
  std::array<mmsghdr, kBatch> messages_{};
  std::size_t count_ = 0;
};

enum class SendStatus {
  sent,
  would_block,  // the receiver's queue (or our send buffer) is full now
  peer_gone,    // nothing listens at the address any more
  denied,       // EACCES/EPERM: we may not write to the receiver's socket
  failed,
};

// Sends `reply` to `peer` from `fd` with MSG_DONTWAIT: never waits.
[[nodiscard]] SendStatus send_reply(int fd, std::span<const char> reply, const Peer& peer) noexcept;

[[nodiscard]] std::int64_t monotonic_ms() noexcept;

// Arms the timerfd `fd` to fire at `due_ms` (CLOCK_MONOTONIC, in ms; one
// already past fires at once), or disarms it when `due_ms` is negative.
void arm_timer(int fd, std::int64_t due_ms, std::int64_t now_ms) noexcept;

}  // namespace mid::transport

#pragma once

#include <cstddef>

// What one unread reply costs the listening socket. A UNIX datagram stays
// charged to the sender's send buffer (SO_SNDBUF) until the receiver reads
// it, at the kernel's "truesize" of the buffer that holds it, not at its
// length: a 100-byte reply holds 768 bytes of the buffer.
namespace mid::transport {

// An upper estimate of the send-buffer charge of one UNIX datagram of
// `length` bytes, from how Linux lays such a datagram out: up to about
// 16 KiB in one kmalloc'd block rounded up to a power of two (with room
// for its shared info), the rest in whole pages, plus the sk_buff itself.
// tests/transport/reply_charge_test.cpp compares it with SIOCOUTQ on the
// running kernel.
[[nodiscard]] constexpr std::size_t estimated_charge(std::size_t length) noexcept {
  constexpr std::size_t kSkBuff = 256;         // struct sk_buff, cache-aligned
  constexpr std::size_t kSharedInfo = 320;     // struct skb_shared_info, aligned
  constexpr std::size_t kLinearBlock = 16384;  // the largest linear block
  constexpr std::size_t kLinearMax = kLinearBlock - kSharedInfo;
  constexpr std::size_t kPage = 4096;
  if (length > kLinearMax) {
    const std::size_t pages = (length - kLinearMax + kPage - 1) / kPage;
    return kSkBuff + kLinearBlock + pages * kPage;
  }
  std::size_t block = 512;
  const std::size_t need = ((length + 63) / 64) * 64 + kSharedInfo;
  while (block < need) block *= 2;
  return kSkBuff + block;
}

}  // namespace mid::transport

#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "config/config.hpp"

// Access control for datagrams (pure: no syscalls, no globals, noexcept).
// The serving loop extracts the peer's identity from the kernel (UNIX:
// SCM_CREDENTIALS via SO_PASSCRED; UDP: the source address) and asks these
// predicates whether to serve it.
namespace mid::transport {

// An IP address as the transport sees it: network byte order. For IPv4
// (v6 == false) only bytes [0, 4) are used; the rest are ignored.
using IpBytes = std::array<uint8_t, 16>;

// UNIX peers. Both lists empty: everyone who can open the socket file (its
// mode, owner and group decide) is allowed. Otherwise the peer is allowed
// when `uid` is in `allowed_uids` OR `gid` is in `allowed_gids`.
// uid 0 is NOT implicitly allowed: with a non-empty list, root must be
// listed like anyone else (root can always bypass the file mode, so the
// lists are the only way to keep a root-run tool out, and explicit is
// better than a hidden exception).
// The gid is the one the kernel vouches for in SCM_CREDENTIALS (the
// sender's real gid, or its effective/saved gid if it sent credentials
// explicitly); supplementary groups are not seen by the receiver.
[[nodiscard]] bool unix_peer_allowed(uint32_t uid, uint32_t gid,
                                     std::span<const uint32_t> allowed_uids,
                                     std::span<const uint32_t> allowed_gids) noexcept;

// 127.0.0.0/8, ::1, and the IPv4-mapped ::ffff:127.0.0.0/104.
[[nodiscard]] bool is_loopback(bool v6, const IpBytes& address) noexcept;

// Whether `address` lies in `network`. A prefix longer than the family
// allows (> 32 for IPv4, > 128 for IPv6) matches nothing (fails closed).
// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is matched against an IPv4
// network as a.b.c.d, and against an IPv6 network as written; a plain
// IPv4 address never matches an IPv6 network.
[[nodiscard]] bool cidr_contains(const config::Cidr& network, bool v6,
                                 const IpBytes& address) noexcept;

// UDP peers. An empty `allow_from` means loopback only (is_loopback);
// otherwise the source must lie in at least one listed network (loopback
// is then allowed only if listed).
[[nodiscard]] bool udp_peer_allowed(bool v6, const IpBytes& address,
                                    std::span<const config::Cidr> allow_from) noexcept;

}  // namespace mid::transport

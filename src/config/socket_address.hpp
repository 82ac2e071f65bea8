#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace mid::config {

// socket_name as written: a UNIX socket path, or udp:HOST:PORT where HOST is
// an IPv4 literal, an IPv6 literal in brackets, or a name (resolved once at
// start by the transport, never after the sandbox is on).
struct SocketAddress {
  enum class Kind { unix_path, udp } kind = Kind::unix_path;
  std::string path;   // unix_path: absolute or relative path, 1..107 bytes, no NUL
  std::string host;   // udp: without brackets
  uint16_t port = 0;  // udp: 1..65535
  bool host_is_v6_literal = false;
  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
};

// Parses socket_name. Pure, linear, no recursion; reads only `text`.
//
// Accepted:
//   udp:IPV4:PORT     dotted quad, each part 0..255 without leading zeros
//   udp:[IPV6]:PORT   RFC 4291 text form in brackets, no zone index
//   udp:NAME:PORT     RFC 1123 host name: labels of 1..63 letters, digits
//                     and '-' (not first or last), 253 bytes at most; a
//                     host of only digits and dots must be a valid IPv4
//   PATH              anything else: a UNIX socket path of 1..107 bytes
//                     (sun_path holds 108 with the NUL), no NUL or other
//                     control byte (0x00-0x1f, 0x7f: never meant, and they
//                     would reach logs and terminals)
// PORT is strict decimal 1..65535 without sign or leading zeros. "udp:" is
// matched case-sensitively, as the original module did.
//
// Errors (offset = byte in `text` where the problem is):
//   bad_socket_name       empty, or a control byte in a path
//   socket_path_too_long  a path over 107 bytes
//   bad_socket_host       a UDP host that is none of the three forms
//   bad_socket_port       missing, zero, over 65535, or not plain digits
// Allocation (the result's strings) is the only way to fail otherwise;
// std::bad_alloc terminates, which fails closed.
[[nodiscard]] core::Result<SocketAddress> parse_socket_address(std::string_view text) noexcept;

// The inverse of parse_socket_address on what it accepts:
// parse_socket_address(format_socket_address(a)) == a for every accepted a.
[[nodiscard]] std::string format_socket_address(const SocketAddress& address);

}  // namespace mid::config

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
  std::string path;  // unix_path: absolute or relative path, 1..107 bytes, no NUL
  std::string host;  // udp: without brackets
  uint16_t port = 0; // udp: 1..65535
  bool host_is_v6_literal = false;
  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
};

// Pure; errors carry Errc::bad_socket_name and the offset in `text`.
[[nodiscard]] core::Result<SocketAddress> parse_socket_address(std::string_view text);
// Inverse of parse_socket_address for what it accepts.
[[nodiscard]] std::string format_socket_address(const SocketAddress& address);

}  // namespace mid::config

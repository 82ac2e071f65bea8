#include "config/socket_address.hpp"

#include <cstddef>

#include "config/ip_address.hpp"

namespace mid::config {
namespace {

using core::Errc;
using core::Error;

constexpr std::string_view kUdpPrefix = "udp:";
// sizeof(sockaddr_un::sun_path) is 108 on Linux; one byte for the NUL.
constexpr std::size_t kMaxUnixPath = 107;
// RFC 1123 / RFC 1035: 253 bytes of text, labels of 1..63.
constexpr std::size_t kMaxHostName = 253;
constexpr std::size_t kMaxLabel = 63;

[[nodiscard]] bool is_alnum(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Labels of letters, digits and '-', not starting or ending with '-'.
[[nodiscard]] bool is_host_name(std::string_view host) noexcept {
  if (host.empty() || host.size() > kMaxHostName) return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i < host.size(); ++i) {
    const char c = host[i];
    if (c == '.') {
      if (label == 0 || host[i - 1] == '-') return false;
      label = 0;
      continue;
    }
    if (!is_alnum(c) && c != '-') return false;
    if (c == '-' && label == 0) return false;
    if (++label > kMaxLabel) return false;
  }
  return label != 0 && host.back() != '-';
}

// Only digits and dots: meant as an IPv4 literal, so it must be a valid one
// ("256.1.1.1" is an error, not a host name to look up).
[[nodiscard]] bool looks_numeric(std::string_view host) noexcept {
  for (const char c : host) {
    if (c != '.' && (c < '0' || c > '9')) return false;
  }
  return true;
}

[[nodiscard]] core::Result<uint16_t> parse_port(std::string_view text,
                                                std::size_t offset) noexcept {
  if (text.empty() || text.size() > 5 || text[0] == '0')
    return Error{Errc::bad_socket_port, offset};
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return Error{Errc::bad_socket_port, offset};
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return Error{Errc::bad_socket_port, offset};
  return static_cast<uint16_t>(value);
}

// `text` is what follows "udp:"; offsets are reported relative to the whole input.
[[nodiscard]] core::Result<SocketAddress> parse_udp(std::string_view text) noexcept {
  const std::size_t base = kUdpPrefix.size();
  SocketAddress out;
  out.kind = SocketAddress::Kind::udp;
  std::size_t colon = 0;
  if (!text.empty() && text[0] == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return Error{Errc::bad_socket_host, base};
    const std::string_view host = text.substr(1, close - 1);
    if (!parse_ipv6(host)) return Error{Errc::bad_socket_host, base + 1};
    out.host = std::string(host);
    out.host_is_v6_literal = true;
    colon = close + 1;
    if (colon >= text.size() || text[colon] != ':')
      return Error{Errc::bad_socket_port, base + colon};
  } else {
    colon = text.rfind(':');
    if (colon == std::string_view::npos) return Error{Errc::bad_socket_port, base + text.size()};
    const std::string_view host = text.substr(0, colon);
    const bool ok = looks_numeric(host) ? parse_ipv4(host).has_value() : is_host_name(host);
    if (!ok) return Error{Errc::bad_socket_host, base};
    out.host = std::string(host);
  }
  auto port = parse_port(text.substr(colon + 1), base + colon + 1);
  if (!port) return port.error();
  out.port = port.value();
  return out;
}

}  // namespace

core::Result<SocketAddress> parse_socket_address(std::string_view text) noexcept {
  if (text.substr(0, kUdpPrefix.size()) == kUdpPrefix)
    return parse_udp(text.substr(kUdpPrefix.size()));
  if (text.empty()) return Error{Errc::bad_socket_name, 0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) return Error{Errc::bad_socket_name, i};
  }
  if (text.size() > kMaxUnixPath) return Error{Errc::socket_path_too_long, kMaxUnixPath};
  SocketAddress out;
  out.kind = SocketAddress::Kind::unix_path;
  out.path = std::string(text);
  return out;
}

std::string format_socket_address(const SocketAddress& address) {
  if (address.kind == SocketAddress::Kind::unix_path) return address.path;
  std::string out(kUdpPrefix);
  if (address.host_is_v6_literal) {
    out += '[';
    out += address.host;
    out += ']';
  } else {
    out += address.host;
  }
  out += ':';
  out += std::to_string(address.port);
  return out;
}

}  // namespace mid::config

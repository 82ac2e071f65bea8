#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

// IPv4 and IPv6 address and CIDR parsing for allow_from and socket_name,
// written here so the pure layer needs no inet_pton (which is locale- and
// libc-dependent and accepts forms we do not want, such as "010.1.1.1").
//
// Every function is pure, noexcept, linear in its input, allocation-free
// (except format_cidr's result) and reads nothing outside the view.
namespace mid::config {

// Dotted quad, exactly four decimal parts 0..255, no leading zeros ("0"
// alone is fine), no sign, no white space. "127.0.0.1" -> {127,0,0,1}.
[[nodiscard]] std::optional<std::array<uint8_t, 4>> parse_ipv4(std::string_view text) noexcept;

// RFC 4291 text form: eight groups of 1..4 hex digits, at most one "::",
// optionally ending in a dotted quad ("::ffff:10.0.0.1"). No zone index
// ("%eth0"), no brackets, at most 45 bytes. Result in network byte order.
[[nodiscard]] std::optional<std::array<uint8_t, 16>> parse_ipv6(std::string_view text) noexcept;

// Why parse_cidr refused its input; kNone on success.
enum class CidrError : uint8_t {
  kNone,
  kBadAddress,   // neither an IPv4 nor an IPv6 address
  kBadPrefix,    // the part after '/' is not a decimal number in range
  kHostBitsSet,  // bits set past the prefix ("10.0.0.1/8")
};

// "ADDRESS" or "ADDRESS/PREFIX" with PREFIX 0..32 (IPv4) or 0..128 (IPv6),
// strict decimal without leading zeros. A bare address is a /32 or /128.
// Host bits past the prefix must be zero: "10.0.0.1/8" is refused rather
// than silently widened, since the writer may have meant a single host.
[[nodiscard]] CidrError parse_cidr(std::string_view text, Cidr& out) noexcept;
[[nodiscard]] std::string_view to_string(CidrError error) noexcept;

// Matching peers against a Cidr is transport::cidr_contains (src/transport/access.hpp).

// Canonical text: dotted quad, or RFC 5952 IPv6 (lower case, longest run of
// two or more zero groups as "::"), then "/PREFIX". parse_cidr accepts it.
[[nodiscard]] std::string format_cidr(const Cidr& cidr);

}  // namespace mid::config

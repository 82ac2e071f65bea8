#include "transport/access.hpp"

#include <algorithm>

namespace mid::transport {
namespace {

constexpr unsigned kV4Bits = 32;
constexpr unsigned kV6Bits = 128;
constexpr std::size_t kMappedPrefixBytes = 12;  // ::ffff:0:0/96

bool contains(std::span<const uint32_t> list, uint32_t value) noexcept {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool is_v4_mapped(const IpBytes& address) noexcept {
  for (std::size_t i = 0; i < 10; ++i) {
    if (address[i] != 0) return false;
  }
  return address[10] == 0xff && address[11] == 0xff;
}

// Compares the first `bits` bits of `a` and `b`. Precondition: both hold
// at least ceil(bits / 8) bytes (span indexing is checked in hardened builds).
bool prefix_equal(std::span<const uint8_t> a, std::span<const uint8_t> b, unsigned bits) noexcept {
  const unsigned whole = bits / 8;
  for (unsigned i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  const unsigned rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xffU << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

bool unix_peer_allowed(uint32_t uid, uint32_t gid, std::span<const uint32_t> allowed_uids,
                       std::span<const uint32_t> allowed_gids) noexcept {
  if (allowed_uids.empty() && allowed_gids.empty()) return true;
  return contains(allowed_uids, uid) || contains(allowed_gids, gid);
}

bool is_loopback(bool v6, const IpBytes& address) noexcept {
  if (!v6) return address[0] == 127;
  if (is_v4_mapped(address)) return address[kMappedPrefixBytes] == 127;
  for (std::size_t i = 0; i < 15; ++i) {
    if (address[i] != 0) return false;
  }
  return address[15] == 1;
}

bool cidr_contains(const config::Cidr& network, bool v6, const IpBytes& address) noexcept {
  if (!network.v6) {
    if (network.prefix > kV4Bits) return false;
    if (!v6) return prefix_equal(network.address, address, network.prefix);
    if (!is_v4_mapped(address)) return false;
    return prefix_equal(network.address, std::span(address).subspan(kMappedPrefixBytes),
                        network.prefix);
  }
  if (network.prefix > kV6Bits || !v6) return false;
  return prefix_equal(network.address, address, network.prefix);
}

bool udp_peer_allowed(bool v6, const IpBytes& address,
                      std::span<const config::Cidr> allow_from) noexcept {
  if (allow_from.empty()) return is_loopback(v6, address);
  return std::any_of(allow_from.begin(), allow_from.end(), [&](const config::Cidr& network) {
    return cidr_contains(network, v6, address);
  });
}

}  // namespace mid::transport

#include "config/ip_address.hpp"

#include <cstddef>

namespace mid::config {
namespace {

constexpr std::size_t kMaxIpv6Text = 45;  // "ffff:...:ffff:255.255.255.255"

[[nodiscard]] bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

[[nodiscard]] int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict decimal without leading zeros, at most `max`; empty or over = nullopt.
[[nodiscard]] std::optional<unsigned> parse_small_decimal(std::string_view text,
                                                          unsigned max) noexcept {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

// Groups of an IPv6 address before expansion of "::".
struct Ipv6Groups {
  std::array<uint16_t, 8> groups{};
  std::size_t count = 0;
  int gap = -1;  // index in `groups` where "::" stands, or -1
};

// Reads one hex group, or a trailing dotted quad (two groups), at `pos`.
[[nodiscard]] bool read_ipv6_piece(std::string_view text, std::size_t& pos,
                                   Ipv6Groups& g) noexcept {
  std::size_t end = pos;
  while (end < text.size() && hex_value(text[end]) >= 0) ++end;
  if (end < text.size() && text[end] == '.') {
    const auto v4 = parse_ipv4(text.substr(pos));
    if (!v4 || g.count > 6) return false;
    g.groups[g.count++] = static_cast<uint16_t>(((*v4)[0] << 8) | (*v4)[1]);
    g.groups[g.count++] = static_cast<uint16_t>(((*v4)[2] << 8) | (*v4)[3]);
    pos = text.size();
    return true;
  }
  if (end == pos || end - pos > 4 || g.count == g.groups.size()) return false;
  unsigned value = 0;
  for (std::size_t i = pos; i < end; ++i)
    value = value * 16 + static_cast<unsigned>(hex_value(text[i]));
  g.groups[g.count++] = static_cast<uint16_t>(value);
  pos = end;
  return true;
}

// Splits `text` into groups; false on any syntax error.
[[nodiscard]] bool read_ipv6_groups(std::string_view text, Ipv6Groups& g) noexcept {
  std::size_t pos = 0;
  if (text.substr(0, 2) == "::") {
    g.gap = 0;
    pos = 2;
    if (pos == text.size()) return true;
  }
  while (true) {
    if (!read_ipv6_piece(text, pos, g)) return false;
    if (pos == text.size()) return true;
    if (text[pos] != ':') return false;
    ++pos;
    if (pos < text.size() && text[pos] == ':') {
      if (g.gap >= 0) return false;
      g.gap = static_cast<int>(g.count);
      ++pos;
      if (pos == text.size()) return true;
    } else if (pos == text.size()) {
      return false;  // a single trailing ':'
    }
  }
}

[[nodiscard]] unsigned max_prefix(bool v6) noexcept {
  return v6 ? 128U : 32U;
}

// True when every bit of `address` past `prefix` bits is zero.
[[nodiscard]] bool host_bits_clear(const Cidr& c) noexcept {
  const std::size_t bytes = c.v6 ? 16 : 4;
  for (std::size_t i = 0; i < bytes; ++i) {
    const unsigned first_bit = static_cast<unsigned>(i) * 8;
    unsigned keep = 0;  // how many leading bits of this byte belong to the prefix
    if (c.prefix >= first_bit + 8)
      keep = 8;
    else if (c.prefix > first_bit)
      keep = c.prefix - first_bit;
    const unsigned mask = keep == 8 ? 0U : (0xFFU >> keep);
    if ((c.address[i] & mask) != 0) return false;
  }
  return true;
}

void append_hex(std::string& out, uint16_t value) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned nibble = (static_cast<unsigned>(value) >> static_cast<unsigned>(shift)) & 0xFU;
    if (nibble != 0 || started || shift == 0) {
      out.push_back(kDigits[nibble]);
      started = true;
    }
  }
}

void append_ipv6(std::string& out, const std::array<uint8_t, 16>& a) {
  std::array<uint16_t, 8> g{};
  for (std::size_t i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>((a[2 * i] << 8) | a[2 * i + 1]);
  std::size_t best = 8, best_len = 0;  // longest run of zero groups, first on ties
  for (std::size_t i = 0; i < 8;) {
    std::size_t j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  if (best_len < 2) best = 8;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (i != 0 && i != best + best_len) out.push_back(':');
    append_hex(out, g[i]);
  }
}

}  // namespace

std::optional<std::array<uint8_t, 4>> parse_ipv4(std::string_view text) noexcept {
  std::array<uint8_t, 4> out{};
  std::size_t pos = 0;
  for (std::size_t part = 0; part < 4; ++part) {
    if (part > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    std::size_t end = pos;
    while (end < text.size() && is_digit(text[end]) && end - pos < 4) ++end;
    const auto value = parse_small_decimal(text.substr(pos, end - pos), 255);
    if (!value) return std::nullopt;
    out[part] = static_cast<uint8_t>(*value);
    pos = end;
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

std::optional<std::array<uint8_t, 16>> parse_ipv6(std::string_view text) noexcept {
  if (text.size() < 2 || text.size() > kMaxIpv6Text) return std::nullopt;
  Ipv6Groups g;
  if (!read_ipv6_groups(text, g)) return std::nullopt;
  // Without "::" all eight groups are written; with it, it stands for one or more.
  if (g.gap < 0 ? g.count != 8 : g.count > 7) return std::nullopt;
  std::array<uint16_t, 8> full{};
  const std::size_t gap = g.gap < 0 ? g.count : static_cast<std::size_t>(g.gap);
  const std::size_t tail = g.count - gap;
  for (std::size_t i = 0; i < gap; ++i) full[i] = g.groups[i];
  for (std::size_t i = 0; i < tail; ++i) full[8 - tail + i] = g.groups[gap + i];
  std::array<uint8_t, 16> out{};
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<uint8_t>(full[i] >> 8);
    out[2 * i + 1] = static_cast<uint8_t>(full[i] & 0xFFU);
  }
  return out;
}

CidrError parse_cidr(std::string_view text, Cidr& out) noexcept {
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  Cidr c;
  c.v6 = address.find(':') != std::string_view::npos;
  if (c.v6) {
    const auto a = parse_ipv6(address);
    if (!a) return CidrError::kBadAddress;
    c.address = *a;
  } else {
    const auto a = parse_ipv4(address);
    if (!a) return CidrError::kBadAddress;
    for (std::size_t i = 0; i < 4; ++i) c.address[i] = (*a)[i];
  }
  c.prefix = max_prefix(c.v6);
  if (slash != std::string_view::npos) {
    const auto prefix = parse_small_decimal(text.substr(slash + 1), max_prefix(c.v6));
    if (!prefix) return CidrError::kBadPrefix;
    c.prefix = *prefix;
  }
  if (!host_bits_clear(c)) return CidrError::kHostBitsSet;
  out = c;
  return CidrError::kNone;
}

std::string_view to_string(CidrError error) noexcept {
  switch (error) {
    case CidrError::kNone:
      return "ok";
    case CidrError::kBadAddress:
      return "is not an IPv4 or IPv6 address";
    case CidrError::kBadPrefix:
      return "has a prefix length that is not 0..32 (IPv4) or 0..128 (IPv6)";
    case CidrError::kHostBitsSet:
      return "has address bits set past the prefix length";
  }
  return "is invalid";
}

std::string format_cidr(const Cidr& cidr) {
  std::string out;
  if (cidr.v6) {
    append_ipv6(out, cidr.address);
  } else {
    for (std::size_t i = 0; i < 4; ++i) {
      if (i != 0) out.push_back('.');
      out += std::to_string(cidr.address[i]);
    }
  }
  out.push_back('/');
  out += std::to_string(cidr.prefix);
  return out;
}

}  // namespace mid::config

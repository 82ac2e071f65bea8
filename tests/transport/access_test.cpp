#include "transport/access.hpp"

#include <arpa/inet.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace mid::transport {
namespace {

struct Ip {
  bool v6 = false;
  IpBytes bytes{};
};

Ip ip(const std::string& text) {
  Ip out;
  out.v6 = text.find(':') != std::string::npos;
  const int rc = inet_pton(out.v6 ? AF_INET6 : AF_INET, text.c_str(), out.bytes.data());
  EXPECT_EQ(rc, 1) << text;
  return out;
}

config::Cidr cidr(const std::string& network, unsigned prefix) {
  const Ip parsed = ip(network);
  return config::Cidr{parsed.v6, parsed.bytes, prefix};
}

struct UnixCase {
  const char* name;
  uint32_t uid;
  uint32_t gid;
  std::vector<uint32_t> uids;
  std::vector<uint32_t> gids;
  bool allowed;
};

TEST(UnixPeerAllowed, Table) {
  const std::vector<UnixCase> cases = {
      {"both lists empty allow anyone", 1000, 1000, {}, {}, true},
      {"both lists empty allow root", 0, 0, {}, {}, true},
      {"uid listed", 1000, 100, {1000}, {}, true},
      {"uid not listed", 1001, 100, {1000}, {}, false},
      {"gid listed", 1001, 50, {}, {50}, true},
      {"gid not listed", 1001, 51, {}, {50}, false},
      {"uid listed, gid not", 7, 9, {7}, {8}, true},
      {"gid listed, uid not", 6, 8, {7}, {8}, true},
      {"neither listed", 6, 9, {7}, {8}, false},
      {"root not implicitly allowed", 0, 0, {1000}, {1000}, false},
      {"root allowed when listed", 0, 0, {0}, {}, true},
      {"max ids", 4294967295U, 4294967295U, {4294967295U}, {}, true},
      {"uid list value is not a gid", 5, 1000, {1000}, {}, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(unix_peer_allowed(c.uid, c.gid, c.uids, c.gids), c.allowed) << c.name;
  }
}

TEST(IsLoopback, Table) {
  const std::vector<std::pair<const char*, bool>> cases = {
      {"127.0.0.1", true},
      {"127.255.255.254", true},
      {"127.0.0.0", true},
      {"126.255.255.255", false},
      {"128.0.0.1", false},
      {"0.0.0.0", false},
      {"10.0.0.1", false},
      {"::1", true},
      {"::", false},
      {"::2", false},
      {"1::1", false},
      {"::ffff:127.0.0.1", true},
      {"::ffff:127.1.2.3", true},
      {"::ffff:10.0.0.1", false},
      {"::fffe:127.0.0.1", false},
      {"::127.0.0.1", false},
      {"fe80::1", false},
      {"::1:0:0:1", false},
  };
  for (const auto& [text, expected] : cases) {
    const Ip a = ip(text);
    EXPECT_EQ(is_loopback(a.v6, a.bytes), expected) << text;
  }
}

struct CidrCase {
  const char* address;
  config::Cidr network;
  bool inside;
};

TEST(CidrContains, V4Boundaries) {
  const std::vector<CidrCase> cases = {
      {"203.0.113.7", cidr("0.0.0.0", 0), true},
      {"255.255.255.255", cidr("0.0.0.0", 0), true},
      {"192.0.2.1", cidr("192.0.2.1", 32), true},
      {"192.0.2.2", cidr("192.0.2.1", 32), false},
      {"192.0.2.0", cidr("192.0.2.0", 24), true},
      {"192.0.2.255", cidr("192.0.2.0", 24), true},
      {"192.0.3.0", cidr("192.0.2.0", 24), false},
      {"192.0.1.255", cidr("192.0.2.0", 24), false},
      {"10.127.255.255", cidr("10.0.0.0", 9), true},
      {"10.128.0.0", cidr("10.0.0.0", 9), false},
      {"10.0.0.1", cidr("10.0.0.0", 33), false},  // bad prefix fails closed
      {"::ffff:192.0.2.9", cidr("192.0.2.0", 24), true},
      {"::ffff:192.0.3.9", cidr("192.0.2.0", 24), false},
      {"::192.0.2.9", cidr("192.0.2.0", 24), false},  // not v4-mapped
  };
  for (const auto& c : cases) {
    const Ip a = ip(c.address);
    EXPECT_EQ(cidr_contains(c.network, a.v6, a.bytes), c.inside)
        << c.address << " in prefix " << c.network.prefix;
  }
}

TEST(CidrContains, V6Boundaries) {
  const std::vector<CidrCase> cases = {
      {"2001:db8::1", cidr("::", 0), true},
      {"::1", cidr("::", 0), true},
      {"2001:db8::1", cidr("2001:db8::1", 128), true},
      {"2001:db8::2", cidr("2001:db8::1", 128), false},
      {"2001:db8::ffff:ffff:ffff:ffff", cidr("2001:db8::", 64), true},
      {"2001:db8:0:ffff::", cidr("2001:db8::", 64), false},
      {"2001:db8:0:1::", cidr("2001:db8::", 64), false},
      {"2001:db8:7fff::", cidr("2001:db8::", 33), true},
      {"2001:db8:8000::", cidr("2001:db8::", 33), false},
      {"2001:db8::1", cidr("2001:db8::", 129), false},  // bad prefix fails closed
      {"192.0.2.1", cidr("::", 0), false},              // IPv4 never matches a v6 network
      {"::ffff:192.0.2.1", cidr("::ffff:192.0.2.0", 120), true},
  };
  for (const auto& c : cases) {
    const Ip a = ip(c.address);
    EXPECT_EQ(cidr_contains(c.network, a.v6, a.bytes), c.inside)
        << c.address << " in prefix " << c.network.prefix;
  }
}

TEST(UdpPeerAllowed, EmptyListMeansLoopbackOnly) {
  for (const char* text : {"127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"}) {
    const Ip a = ip(text);
    EXPECT_TRUE(udp_peer_allowed(a.v6, a.bytes, {})) << text;
  }
  for (const char* text : {"10.0.0.1", "192.0.2.1", "::2", "2001:db8::1", "::ffff:10.0.0.1"}) {
    const Ip a = ip(text);
    EXPECT_FALSE(udp_peer_allowed(a.v6, a.bytes, {})) << text;
  }
}

TEST(UdpPeerAllowed, ListReplacesTheLoopbackDefault) {
  const std::vector<config::Cidr> list = {cidr("192.0.2.0", 24), cidr("2001:db8::", 32)};
  const std::vector<std::pair<const char*, bool>> cases = {
      {"192.0.2.200", true},  {"2001:db8:1::5", true}, {"192.0.3.1", false},
      {"2001:db9::1", false}, {"127.0.0.1", false},    {"::1", false},
  };
  for (const auto& [text, expected] : cases) {
    const Ip a = ip(text);
    EXPECT_EQ(udp_peer_allowed(a.v6, a.bytes, list), expected) << text;
  }
}

TEST(UdpPeerAllowed, SlashZeroAllowsEveryAddressOfItsFamily) {
  const std::vector<config::Cidr> v4_all = {cidr("0.0.0.0", 0)};
  const Ip v4 = ip("198.51.100.1");
  const Ip v6 = ip("2001:db8::1");
  EXPECT_TRUE(udp_peer_allowed(v4.v6, v4.bytes, v4_all));
  EXPECT_FALSE(udp_peer_allowed(v6.v6, v6.bytes, v4_all));
}

}  // namespace
}  // namespace mid::transport

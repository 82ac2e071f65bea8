#include "config/ip_address.hpp"

#include <gtest/gtest.h>

namespace mid::config {
namespace {

using Bytes16 = std::array<uint8_t, 16>;

TEST(Ipv4, AcceptsDottedQuads) {
  EXPECT_EQ(parse_ipv4("127.0.0.1"), (std::array<uint8_t, 4>{127, 0, 0, 1}));
  EXPECT_EQ(parse_ipv4("0.0.0.0"), (std::array<uint8_t, 4>{0, 0, 0, 0}));
  EXPECT_EQ(parse_ipv4("255.255.255.255"), (std::array<uint8_t, 4>{255, 255, 255, 255}));
}

TEST(Ipv4, RefusesEverythingElse) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ",
                          " 1.2.3.4", "+1.2.3.4", "1.2.3.a", "1.2.3.", "1000.1.1.1", "0x1.2.3.4"}) {
    EXPECT_FALSE(parse_ipv4(bad).has_value()) << bad;
  }
}

TEST(Ipv6, AcceptsTheTextForms) {
  Bytes16 loopback{};
  loopback[15] = 1;
  EXPECT_EQ(parse_ipv6("::1"), loopback);
  EXPECT_EQ(parse_ipv6("0:0:0:0:0:0:0:1"), loopback);
  EXPECT_EQ(parse_ipv6("::"), Bytes16{});
  Bytes16 mapped{};
  mapped[10] = 0xff;
  mapped[11] = 0xff;
  mapped[12] = 10;
  mapped[15] = 1;
  EXPECT_EQ(parse_ipv6("::ffff:10.0.0.1"), mapped);
  EXPECT_EQ(parse_ipv6("::FFFF:a00:1"), mapped);
  Bytes16 doc{0x20, 0x01, 0x0d, 0xb8};
  doc[15] = 0x01;
  EXPECT_EQ(parse_ipv6("2001:db8::1"), doc);
  EXPECT_TRUE(parse_ipv6("fe80::").has_value());
  EXPECT_TRUE(parse_ipv6("1:2:3:4:5:6:7::").has_value());
  EXPECT_TRUE(parse_ipv6("::2:3:4:5:6:7:8").has_value());
}

TEST(Ipv6, RefusesMalformed) {
  for (const char* bad :
       {"", ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::", "g::1",
        "::1%eth0", "[::1]", "1:2:3:4:5:6:7:8::", ":1::", "1::2:", "::ffff:1.2.3", "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4", "::256.1.1.1"}) {
    EXPECT_FALSE(parse_ipv6(bad).has_value()) << bad;
  }
}

TEST(Cidr, ParsesAddressesAndPrefixes) {
  Cidr c;
  ASSERT_EQ(parse_cidr("10.0.0.0/8", c), CidrError::kNone);
  EXPECT_FALSE(c.v6);
  EXPECT_EQ(c.prefix, 8U);
  EXPECT_EQ(c.address[0], 10);
  ASSERT_EQ(parse_cidr("192.0.2.7", c), CidrError::kNone);
  EXPECT_EQ(c.prefix, 32U);
  ASSERT_EQ(parse_cidr("::1", c), CidrError::kNone);
  EXPECT_TRUE(c.v6);
  EXPECT_EQ(c.prefix, 128U);
  ASSERT_EQ(parse_cidr("2001:db8::/32", c), CidrError::kNone);
  EXPECT_EQ(c.prefix, 32U);
  ASSERT_EQ(parse_cidr("0.0.0.0/0", c), CidrError::kNone);
  EXPECT_EQ(c.prefix, 0U);
}

TEST(Cidr, ReportsWhyItRefuses) {
  Cidr c;
  EXPECT_EQ(parse_cidr("10.0.0.1/8", c), CidrError::kHostBitsSet);
  EXPECT_EQ(parse_cidr("2001:db8::1/32", c), CidrError::kHostBitsSet);
  EXPECT_EQ(parse_cidr("10.0.0.0/33", c), CidrError::kBadPrefix);
  EXPECT_EQ(parse_cidr("::/129", c), CidrError::kBadPrefix);
  EXPECT_EQ(parse_cidr("10.0.0.0/08", c), CidrError::kBadPrefix);
  EXPECT_EQ(parse_cidr("10.0.0.0/", c), CidrError::kBadPrefix);
  EXPECT_EQ(parse_cidr("10.0.0.0/-1", c), CidrError::kBadPrefix);
  EXPECT_EQ(parse_cidr("localhost", c), CidrError::kBadAddress);
  EXPECT_EQ(parse_cidr("/8", c), CidrError::kBadAddress);
}

TEST(Cidr, FormatIsCanonicalAndParsesBack) {
  const std::pair<const char*, const char*> cases[] = {
      {"10.0.0.0/8", "10.0.0.0/8"},
      {"::1", "::1/128"},
      {"2001:DB8:0:0:0:0:0:0/32", "2001:db8::/32"},
      {"1:0:0:1:0:0:0:1", "1:0:0:1::1/128"},
      {"1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0/128"},
      {"::", "::/128"},
      {"::ffff:127.0.0.1", "::ffff:7f00:1/128"},
  };
  for (const auto& [in, want] : cases) {
    Cidr c;
    ASSERT_EQ(parse_cidr(in, c), CidrError::kNone) << in;
    EXPECT_EQ(format_cidr(c), want) << in;
    Cidr again;
    ASSERT_EQ(parse_cidr(format_cidr(c), again), CidrError::kNone) << in;
    EXPECT_EQ(again, c) << in;
  }
}

}  // namespace
}  // namespace mid::config

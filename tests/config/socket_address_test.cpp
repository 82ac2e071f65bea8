#include "config/socket_address.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mid::config {
namespace {

using core::Errc;

SocketAddress must_parse(std::string_view text) {
  auto r = parse_socket_address(text);
  EXPECT_TRUE(r.ok()) << text << ": " << core::to_string(r.error().code);
  return r.ok() ? r.value() : SocketAddress{};
}

core::Error must_fail(std::string_view text) {
  auto r = parse_socket_address(text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? core::Error{Errc::empty_request, 0} : r.error();
}

TEST(SocketAddress, UnixPaths) {
  const SocketAddress a = must_parse("/run/mi.sock");
  EXPECT_EQ(a.kind, SocketAddress::Kind::unix_path);
  EXPECT_EQ(a.path, "/run/mi.sock");
  EXPECT_EQ(must_parse("relative.sock").path, "relative.sock");
  EXPECT_EQ(must_parse("UDP:1.2.3.4:5").kind, SocketAddress::Kind::unix_path);  // case matters
  const std::string longest(107, 'a');
  EXPECT_EQ(must_parse(longest).path, longest);
}

TEST(SocketAddress, UnixPathLimits) {
  EXPECT_EQ(must_fail(""), (core::Error{Errc::bad_socket_name, 0}));
  EXPECT_EQ(must_fail(std::string(108, 'a')), (core::Error{Errc::socket_path_too_long, 107}));
  EXPECT_EQ(must_fail(std::string("/tmp/a\0b", 8)), (core::Error{Errc::bad_socket_name, 6}));
}

TEST(SocketAddress, UdpIpv4) {
  const SocketAddress a = must_parse("udp:192.168.2.133:8080");
  EXPECT_EQ(a.kind, SocketAddress::Kind::udp);
  EXPECT_EQ(a.host, "192.168.2.133");
  EXPECT_EQ(a.port, 8080);
  EXPECT_FALSE(a.host_is_v6_literal);
  EXPECT_EQ(must_parse("udp:127.0.0.1:65535").port, 65535);
  EXPECT_EQ(must_parse("udp:0.0.0.0:1").port, 1);
}

TEST(SocketAddress, UdpIpv6) {
  const SocketAddress a = must_parse("udp:[::1]:8094");
  EXPECT_EQ(a.host, "::1");
  EXPECT_TRUE(a.host_is_v6_literal);
  EXPECT_EQ(a.port, 8094);
  EXPECT_EQ(must_parse("udp:[2001:db8::10]:53").host, "2001:db8::10");
  EXPECT_EQ(must_fail("udp:::1:8094").code, Errc::bad_socket_host);  // brackets required
  EXPECT_EQ(must_fail("udp:[::1:8094").code, Errc::bad_socket_host);
  EXPECT_EQ(must_fail("udp:[::g]:8094").code, Errc::bad_socket_host);
  EXPECT_EQ(must_fail("udp:[::1]8094").code, Errc::bad_socket_port);
  EXPECT_EQ(must_fail("udp:[::1%lo]:8094").code, Errc::bad_socket_host);
}

TEST(SocketAddress, UdpHostNames) {
  EXPECT_EQ(must_parse("udp:localhost:8094").host, "localhost");
  EXPECT_EQ(must_parse("udp:mi-1.example.org:9").host, "mi-1.example.org");
  EXPECT_EQ(must_parse("udp:" + std::string(63, 'a') + ":1").port, 1);
  for (const std::string& bad : std::vector<std::string>{
           "udp:-a:1", "udp:a-:1", "udp:a..b:1", "udp:a_b:1", "udp::1", "udp:.a:1", "udp:a.:1",
           "udp:" + std::string(64, 'a') + ":1", "udp:256.0.0.1:1", "udp:1.2.3:1", "udp:a b:1"}) {
    EXPECT_EQ(must_fail(bad).code, Errc::bad_socket_host) << bad;
  }
}

TEST(SocketAddress, UdpPorts) {
  for (const char* bad :
       {"udp:1.2.3.4:0", "udp:1.2.3.4:65536", "udp:1.2.3.4:", "udp:1.2.3.4", "udp:1.2.3.4:08094",
        "udp:1.2.3.4:+1", "udp:1.2.3.4:1 ", "udp:1.2.3.4:0x10", "udp:1.2.3.4:999999", "udp:"}) {
    EXPECT_EQ(must_fail(bad).code, Errc::bad_socket_port) << bad;
  }
  EXPECT_EQ(must_fail("udp:1.2.3.4:65536"), (core::Error{Errc::bad_socket_port, 12}));
}

TEST(SocketAddress, FormatInvertsParse) {
  for (const std::string& text :
       std::vector<std::string>{"/run/mi.sock", "udp:127.0.0.1:8094", "udp:[::1]:8094",
                                "udp:[2001:db8::10]:1", "udp:localhost:65535", "x"}) {
    EXPECT_EQ(format_socket_address(must_parse(text)), text);
    EXPECT_EQ(must_parse(format_socket_address(must_parse(text))), must_parse(text));
  }
}

}  // namespace
}  // namespace mid::config

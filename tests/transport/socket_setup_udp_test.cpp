#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "transport/access.hpp"
#include "transport/client_socket.hpp"
#include "transport/socket_setup.hpp"
#include "transport_test_support.hpp"

namespace mid::transport {
namespace {

using ::testing::HasSubstr;
using testing::udp_config;

sockaddr_storage local_address(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  return address;
}

uint16_t port_of(const sockaddr_storage& address) {
  if (address.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address, sizeof v4);
    return ntohs(v4.sin_port);
  }
  sockaddr_in6 v6{};
  std::memcpy(&v6, &address, sizeof v6);
  return ntohs(v6.sin6_port);
}

bool bound_to_loopback(const sockaddr_storage& address) {
  bool v6 = false;
  IpBytes bytes{};
  return ip_bytes_of(address, v6, bytes) && is_loopback(v6, bytes);
}

TEST(UdpSocketSetup, Ipv4LoopbackAnyPort) {
  BindResult result = bind_listening_socket(udp_config("127.0.0.1", 0));
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_TRUE(result.socket.is_udp());
  const sockaddr_storage bound = local_address(result.socket.fd());
  EXPECT_EQ(bound.ss_family, AF_INET);
  EXPECT_NE(port_of(bound), 0);
  EXPECT_EQ(port_of(result.socket.udp_address()), port_of(bound));
  EXPECT_EQ(format_ip_address(bound), "127.0.0.1:" + std::to_string(port_of(bound)));
  int reuse = 1;
  socklen_t length = sizeof reuse;
  ASSERT_EQ(getsockopt(result.socket.fd(), SOL_SOCKET, SO_REUSEADDR, &reuse, &length), 0);
  EXPECT_EQ(reuse, 0);
}

TEST(UdpSocketSetup, Ipv6LoopbackIsV6Only) {
  BindResult result = bind_listening_socket(udp_config("::1", 0, true));
  ASSERT_TRUE(result.ok()) << result.error;
  const sockaddr_storage bound = local_address(result.socket.fd());
  EXPECT_EQ(bound.ss_family, AF_INET6);
  EXPECT_NE(port_of(bound), 0);
  EXPECT_EQ(format_ip_address(bound), "[::1]:" + std::to_string(port_of(bound)));
  int v6only = 0;
  socklen_t length = sizeof v6only;
  ASSERT_EQ(getsockopt(result.socket.fd(), IPPROTO_IPV6, IPV6_V6ONLY, &v6only, &length), 0);
  EXPECT_EQ(v6only, 1);
}

TEST(UdpSocketSetup, HostNameIsResolvedOnceToLoopback) {
  BindResult result = bind_listening_socket(udp_config("localhost", 0));
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_TRUE(bound_to_loopback(local_address(result.socket.fd())));
}

TEST(UdpSocketSetup, PortInUseIsAClearError) {
  BindResult first = bind_listening_socket(udp_config("127.0.0.1", 0));
  ASSERT_TRUE(first.ok()) << first.error;
  const uint16_t port = port_of(first.socket.udp_address());
  BindResult second = bind_listening_socket(udp_config("127.0.0.1", port));
  EXPECT_FALSE(second.ok());
  EXPECT_EQ(second.error,
            "cannot bind UDP 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(EADDRINUSE));
}

TEST(UdpSocketSetup, BracketedHostMustBeIpv6) {
  BindResult result = bind_listening_socket(udp_config("127.0.0.1", 0, true));
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "UDP host [127.0.0.1] is not an IPv6 address");
}

TEST(UdpSocketSetup, NonLoopbackBindLogsAWarning) {
  ::testing::internal::CaptureStderr();
  BindResult any = bind_listening_socket(udp_config("0.0.0.0", 0));
  const std::string any_log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(any.ok()) << any.error;
  EXPECT_THAT(any_log, HasSubstr("warning: UDP socket 0.0.0.0:"));
  EXPECT_THAT(any_log, HasSubstr("is not bound to a loopback address"));

  ::testing::internal::CaptureStderr();
  BindResult loop = bind_listening_socket(udp_config("127.0.0.1", 0));
  const std::string loop_log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(loop.ok()) << loop.error;
  EXPECT_THAT(loop_log, HasSubstr("notice: listening on UDP 127.0.0.1:"));
  EXPECT_THAT(loop_log, ::testing::Not(HasSubstr("warning")));
}

TEST(UdpSocketSetup, MissingSocketNameIsAnError) {
  config::Config c;
  BindResult result = bind_listening_socket(c);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error, "socket_name is not set");
}

}  // namespace
}  // namespace mid::transport

#include "transport/client_socket.hpp"

#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "transport/socket_setup.hpp"
#include "transport_test_support.hpp"

namespace mid::transport {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;

struct Peer {
  sockaddr_storage address{};
  socklen_t length = sizeof(sockaddr_storage);
};

std::string receive_from(int fd, Peer& peer) {
  std::array<char, 256> buffer{};
  peer.length = sizeof peer.address;
  const ssize_t n = recvfrom(fd, buffer.data(), buffer.size(), 0,
                             reinterpret_cast<sockaddr*>(&peer.address), &peer.length);
  EXPECT_GE(n, 0) << std::strerror(errno);
  return n < 0 ? std::string() : std::string(buffer.data(), static_cast<std::size_t>(n));
}

ssize_t send_to(int fd, const std::string& data, const Peer& peer) {
  return sendto(fd, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&peer.address),
                peer.length);
}

struct UnixServer {
  // The directory is opened to others (0711) so only the socket's own
  // mode decides whether another user may connect.
  explicit UnixServer(unsigned mode = 0660) {
    EXPECT_EQ(chmod(dir.path().c_str(), 0711), 0);
    bound = bind_listening_socket(testing::unix_config(path, mode));
  }
  TempDir dir;
  std::string path = dir.file("server.sock");
  BindResult bound;
};

// Forks a child that drops to nobody:nogroup, connects to `path` and sends
// one datagram. Returns the child's exit status: 0 sent, 10 drop failed,
// 11 connect failed with EACCES, 12 connect failed otherwise, 13 send failed.
int send_as_nobody(const std::string& path, const std::string& datagram, pid_t& child) {
  child = fork();
  if (child == 0) {
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(10);
    std::string error;
    ClientSocket client = connect_client(testing::unix_address(path), error);
    if (!client.valid()) _exit(error.find(std::strerror(EACCES)) != std::string::npos ? 11 : 12);
    _exit(client.send(datagram, error) ? 0 : 13);
  }
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

ClientSocket connect_or_fail(const config::SocketAddress& address) {
  std::string error;
  ClientSocket client = connect_client(address, error);
  EXPECT_TRUE(client.valid()) << error;
  return client;
}

TEST(ClientSocket, UnixClientIsAutoboundInTheAbstractNamespace) {
  UnixServer server;
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  ClientSocket client = connect_or_fail(testing::unix_address(server.path));
  sockaddr_un self{};
  socklen_t length = sizeof self;
  ASSERT_EQ(getsockname(client.fd(), reinterpret_cast<sockaddr*>(&self), &length), 0);
  EXPECT_EQ(self.sun_family, AF_UNIX);
  EXPECT_GT(length, sizeof(sa_family_t) + 1) << "an autobound name, not unnamed";
  EXPECT_EQ(self.sun_path[0], '\0') << "abstract: no file anywhere";
}

TEST(ClientSocket, UnixRoundTripReplyGoesToTheSendersAddress) {
  UnixServer server;
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  ClientSocket client = connect_or_fail(testing::unix_address(server.path));
  std::string error;
  ASSERT_TRUE(client.send(std::string(":uptime:\n"), error)) << error;
  Peer peer;
  EXPECT_EQ(receive_from(server.bound.socket.fd(), peer), ":uptime:\n");
  ASSERT_EQ(send_to(server.bound.socket.fd(), "200 OK\n", peer), 7) << std::strerror(errno);
  std::array<char, 64> buffer{};
  const ClientSocket::Received got = client.receive(buffer, 1000);
  ASSERT_EQ(got.status, ClientSocket::Status::ok) << got.error;
  EXPECT_EQ(std::string(buffer.data(), got.size), "200 OK\n");
  EXPECT_FALSE(got.truncated);
}

TEST(ClientSocket, UnixClientAcceptsOnlyTheServer) {
  UnixServer server;
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  ClientSocket client = connect_or_fail(testing::unix_address(server.path));
  Peer client_address;
  client_address.length = sizeof client_address.address;
  ASSERT_EQ(getsockname(client.fd(), reinterpret_cast<sockaddr*>(&client_address.address),
                        &client_address.length),
            0);
  const int intruder = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(intruder, 0);
  const ssize_t sent = send_to(intruder, "200 OK\nforged\n", client_address);
  const int err = errno;
  close(intruder);
  EXPECT_EQ(sent, -1);
  EXPECT_EQ(err, EPERM) << std::strerror(err);
  std::array<char, 64> buffer{};
  EXPECT_EQ(client.receive(buffer, 50).status, ClientSocket::Status::timeout);
}

TEST(ClientSocket, ModeKeepsOutOtherUsers) {
  UnixServer server(0660);  // root:root 0660: nobody may not write
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  pid_t child = 0;
  EXPECT_EQ(send_as_nobody(server.path, ":which:\n", child), 11);
}

TEST(ClientSocket, ServerSeesTheClientsCredentials) {
  UnixServer server(0666);
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  pid_t child = 0;
  ASSERT_EQ(send_as_nobody(server.path, ":which:\n", child), 0);
  std::array<char, 64> data{};
  std::array<char, CMSG_SPACE(sizeof(ucred))> control{};
  iovec io{data.data(), data.size()};
  msghdr message{};
  message.msg_iov = &io;
  message.msg_iovlen = 1;
  message.msg_control = control.data();
  message.msg_controllen = control.size();
  ASSERT_EQ(recvmsg(server.bound.socket.fd(), &message, MSG_DONTWAIT), 8);
  const cmsghdr* header = CMSG_FIRSTHDR(&message);
  ASSERT_NE(header, nullptr);
  ASSERT_EQ(header->cmsg_type, SCM_CREDENTIALS);
  ucred credentials{};
  std::memcpy(&credentials, CMSG_DATA(header), sizeof credentials);
  EXPECT_EQ(credentials.uid, 65534U);
  EXPECT_EQ(credentials.gid, 65534U);
  EXPECT_EQ(credentials.pid, child);
}

TEST(ClientSocket, ReceiveTimesOutAfterTheTimeout) {
  UnixServer server;
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  ClientSocket client = connect_or_fail(testing::unix_address(server.path));
  std::array<char, 16> buffer{};
  const auto start = std::chrono::steady_clock::now();
  const ClientSocket::Received got = client.receive(buffer, 120);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.status, ClientSocket::Status::timeout);
  EXPECT_GE(elapsed, std::chrono::milliseconds(120));
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000));
}

TEST(ClientSocket, OversizeReplyIsReportedTruncatedWithItsRealSize) {
  UnixServer server;
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  ClientSocket client = connect_or_fail(testing::unix_address(server.path));
  std::string error;
  ASSERT_TRUE(client.send(std::string(":x:\n"), error)) << error;
  Peer peer;
  receive_from(server.bound.socket.fd(), peer);
  ASSERT_EQ(send_to(server.bound.socket.fd(), std::string(100, 'r'), peer), 100);
  std::array<char, 10> small{};
  const ClientSocket::Received got = client.receive(small, 1000);
  ASSERT_EQ(got.status, ClientSocket::Status::ok) << got.error;
  EXPECT_TRUE(got.truncated);
  EXPECT_EQ(got.size, 100U);
}

TEST(ClientSocket, ConnectToMissingPathFails) {
  TempDir dir;
  std::string error;
  ClientSocket client = connect_client(testing::unix_address(dir.file("nobody-here")), error);
  EXPECT_FALSE(client.valid());
  EXPECT_THAT(error, HasSubstr("cannot connect to " + dir.file("nobody-here")));
  EXPECT_THAT(error, HasSubstr(std::strerror(ENOENT)));
}

TEST(ClientSocket, SendAfterServerIsGoneFails) {
  UnixServer server;
  ASSERT_TRUE(server.bound.ok()) << server.bound.error;
  ClientSocket client = connect_or_fail(testing::unix_address(server.path));
  server.bound.socket.close();
  std::string error;
  EXPECT_FALSE(client.send(std::string(":x:\n"), error));
  EXPECT_THAT(error, HasSubstr("send: "));
}

config::SocketAddress udp_address_of(const ListeningSocket& socket) {
  config::SocketAddress address;
  address.kind = config::SocketAddress::Kind::udp;
  const std::string text = format_ip_address(socket.udp_address());
  const auto colon = text.rfind(':');
  address.host = text.substr(0, colon);
  if (address.host.front() == '[') {
    address.host = address.host.substr(1, address.host.size() - 2);
    address.host_is_v6_literal = true;
  }
  address.port = static_cast<uint16_t>(std::stoi(text.substr(colon + 1)));
  return address;
}

class UdpClient : public ::testing::TestWithParam<const char*> {};

TEST_P(UdpClient, RoundTripAndOnlyTheServerIsHeard) {
  const bool v6 = std::string(GetParam()).find(':') != std::string::npos;
  BindResult server = bind_listening_socket(testing::udp_config(GetParam(), 0, v6));
  ASSERT_TRUE(server.ok()) << server.error;
  ClientSocket client = connect_or_fail(udp_address_of(server.socket));
  std::string error;
  ASSERT_TRUE(client.send(std::string(":version:\n"), error)) << error;
  Peer peer;
  EXPECT_EQ(receive_from(server.socket.fd(), peer), ":version:\n");

  // Another socket (a different source port) sends to the client first.
  BindResult intruder = bind_listening_socket(testing::udp_config(GetParam(), 0, v6));
  ASSERT_TRUE(intruder.ok()) << intruder.error;
  EXPECT_GT(send_to(intruder.socket.fd(), "200 OK\nforged\n", peer), 0);
  ASSERT_EQ(send_to(server.socket.fd(), "200 OK\n", peer), 7);
  std::array<char, 64> buffer{};
  const ClientSocket::Received got = client.receive(buffer, 1000);
  ASSERT_EQ(got.status, ClientSocket::Status::ok) << got.error;
  EXPECT_EQ(std::string(buffer.data(), got.size), "200 OK\n");
  EXPECT_EQ(client.receive(buffer, 50).status, ClientSocket::Status::timeout);
}

INSTANTIATE_TEST_SUITE_P(Loopback, UdpClient, ::testing::Values("127.0.0.1", "::1"));

}  // namespace
}  // namespace mid::transport

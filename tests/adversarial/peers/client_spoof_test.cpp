// Forged replies to mi-datagram: another local user sends a datagram to
// the client's reply address, hoping it is printed as the server's reply.
// The client's name is visible in /proc/net/unix from its autobind on; the
// kernel refuses other senders only once it has connected, so a slow
// client (here: connect() held back 800 ms with strace) leaves a window.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "peer_support.hpp"
#include "transport/client_socket.hpp"

namespace mid::adversarial {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kForged = "200 OK\nforged:: by another user\n";

// The abstract name ("@" and five hex digits in /proc/net/unix) of the
// UNIX socket with this inode, or nullopt.
std::optional<std::string> abstract_name_of(const std::string& inode) {
  std::ifstream in("/proc/net/unix");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string num, refs, protocol, flags, type, state, node, path;
    fields >> num >> refs >> protocol >> flags >> type >> state >> node >> path;
    if (node == inode && path.size() > 1 && path[0] == '@') return path.substr(1);
  }
  return std::nullopt;
}

// The autobound name of the client that strace (`tracer`) runs, once the
// client has bound its socket.
std::optional<std::string> client_name(pid_t tracer) {
  for (int i = 0; i < 300; ++i) {
    for (const pid_t child : children_of(tracer)) {
      for (const auto& [fd, target] : descriptors_of(child)) {
        if (!target.starts_with("socket:[")) continue;
        auto name = abstract_name_of(target.substr(8, target.size() - 9));
        if (name) return name;
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  return std::nullopt;
}

sockaddr_un abstract_address(const std::string& name, socklen_t& length) {
  sockaddr_un to{};
  to.sun_family = AF_UNIX;
  std::memcpy(&to.sun_path[1], name.data(), name.size());
  length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  return to;
}

// As `uid`: sends kForged to the abstract `name`. 0 when it was accepted,
// else the errno of the refusal.
int forge_as(uid_t uid, const std::string& name) {
  return as_uid(uid, [&name] {
    const int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    socklen_t length = 0;
    const sockaddr_un to = abstract_address(name, length);
    const ssize_t sent = sendto(fd, kForged.data(), kForged.size(), 0,
                                reinterpret_cast<const sockaddr*>(&to), length);
    return sent == static_cast<ssize_t>(kForged.size()) ? 0 : errno;
  });
}

TEST(ClientSpoof, DatagramQueuedBeforeConnectIsDiscardedNotPrinted) {
  ASSERT_EQ(access("/usr/bin/strace", X_OK), 0) << "needs strace (scripts/install-deps)";
  e2e::Scratch scratch;
  e2e::Daemon daemon(scratch, "socket_name = " + scratch.path("mi.sock") + "\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  // connect() is entered 800 ms after the autobind: the window a spoofer
  // watching /proc/net/unix needs.
  Spawned client = spawn({"/usr/bin/strace", "-f", "-o", "/dev/null", "-e", "trace=connect", "-e",
                          "inject=connect:delay_enter=800000", e2e::client_path(), "-s",
                          daemon.socket(), "version"});
  ASSERT_GT(client.pid, 0);
  const auto name = client_name(client.pid);
  ASSERT_TRUE(name.has_value()) << "the client's autobound name never showed";
  // The attack lands: the kernel queues the forgery on the client's socket.
  EXPECT_EQ(forge_as(kNobody, *name), 0);
  const e2e::RunResult run = finish(client, 10s);
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_EQ(run.output.find("forged"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("200 OK\nServer:: mi-datagram "), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("mi-datagram: ignored 1 datagram not sent by the server"),
            std::string::npos)
      << run.output;
}

// A server that reads one request and answers it only when told, so the
// client is connected and waiting while the attack runs.
struct SlowServer {
  e2e::Scratch scratch;
  std::string path = scratch.path("slow.sock");
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un client{};
  socklen_t client_length = sizeof client;

  SlowServer() {
    sockaddr_un self{};
    self.sun_family = AF_UNIX;
    std::memcpy(self.sun_path, path.data(), path.size());
    EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&self), sizeof self), 0);
    chmod(path.c_str(), 0666);
  }
  ~SlowServer() { close(fd); }
  bool take_request() {
    char buffer[512];
    return recvfrom(fd, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&client),
                    &client_length) > 0;
  }
  [[nodiscard]] std::string client_name() const {
    return std::string(&client.sun_path[1], client_length - offsetof(sockaddr_un, sun_path) - 1);
  }
  void answer(std::string_view reply) {
    sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<const sockaddr*>(&client),
           client_length);
  }
};

TEST(ClientSpoof, OnceConnectedTheKernelRefusesEveryoneButTheServer) {
  SlowServer server;
  Spawned client = spawn({e2e::client_path(), "-s", server.path, "version"});
  ASSERT_TRUE(server.take_request());
  EXPECT_EQ(forge_as(kNobody, server.client_name()), EPERM);
  EXPECT_EQ(forge_as(kStranger, server.client_name()), EPERM);
  server.answer("200 OK\nServer:: the real one\n");
  const e2e::RunResult run = finish(client, 10s);
  EXPECT_EQ(run.exit_status, 0);
  EXPECT_EQ(run.output, "200 OK\nServer:: the real one\n");
}

TEST(ClientSpoof, UdpReplyFromAnotherPortIsNeverPrinted) {
  const int server = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in self{};
  self.sin_family = AF_INET;
  self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(server, reinterpret_cast<const sockaddr*>(&self), sizeof self), 0);
  socklen_t length = sizeof self;
  ASSERT_EQ(getsockname(server, reinterpret_cast<sockaddr*>(&self), &length), 0);
  Spawned client = spawn({e2e::client_path(), "-s",
                          "udp:127.0.0.1:" + std::to_string(ntohs(self.sin_port)), "version"});
  char buffer[512];
  sockaddr_in from{};
  socklen_t from_length = sizeof from;
  ASSERT_GT(
      recvfrom(server, buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &from_length),
      0);
  // Another user, another port, the client's exact address.
  EXPECT_EQ(as_uid(kNobody,
                   [&from] {
                     const int fd = socket(AF_INET, SOCK_DGRAM, 0);
                     return sendto(fd, kForged.data(), kForged.size(), 0,
                                   reinterpret_cast<const sockaddr*>(&from), sizeof from) > 0
                                ? 0
                                : 1;
                   }),
            0);
  std::this_thread::sleep_for(100ms);
  const std::string_view real = "200 OK\nServer:: the real one\n";
  sendto(server, real.data(), real.size(), 0, reinterpret_cast<const sockaddr*>(&from),
         from_length);
  const e2e::RunResult run = finish(client, 10s);
  close(server);
  EXPECT_EQ(run.exit_status, 0);
  EXPECT_EQ(run.output, real);
}

// The check receive() makes on every datagram: the sender must be the
// address the socket is connected to.
TEST(ClientSpoof, SamePeerComparesTheWholeAddress) {
  transport::PeerAddress a;
  transport::PeerAddress b;
  auto set_unix = [](transport::PeerAddress& peer, const std::string& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    std::memcpy(&peer.address, &address, sizeof address);
    peer.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  };
  set_unix(a, "/run/mi.sock");
  set_unix(b, "/run/mi.sock");
  EXPECT_TRUE(transport::same_peer(a, b));
  set_unix(b, "/run/mi.soc");
  EXPECT_FALSE(transport::same_peer(a, b));
  set_unix(b, std::string("\0abcde", 6));
  EXPECT_FALSE(transport::same_peer(a, b));
  auto set_v4 = [](transport::PeerAddress& peer, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::memcpy(&peer.address, &address, sizeof address);
    peer.length = sizeof address;
  };
  set_v4(a, 8080);
  set_v4(b, 8080);
  EXPECT_TRUE(transport::same_peer(a, b));
  set_v4(b, 8081);
  EXPECT_FALSE(transport::same_peer(a, b));
}

}  // namespace
}  // namespace mid::adversarial

// One request's whole round trip in one thread, without a scheduler in
// between: the client sends, the server side receives with the worker's
// own ReceiveBatch, answers (echo: memcpy; daemon: handle_datagram),
// replies with the worker's send_reply, and the client receives. CPU time
// includes the kernel's. The wake-ups of the real servers (epoll, context
// switches) are left out, and they cost both servers alike, so the
// daemon/echo ratio here is an upper bound for the servers' ratio; unlike
// the load benchmark it does not move with the machine's load.
//
// The _no_credentials variants (UNIX only) turn SO_PASSCRED off on the
// server's socket first: the difference is what receiving the sender's
// credentials with every datagram costs. BM_round_trip_plain is
// mi-plain-echo's round trip on the same sockets (SO_PASSCRED off, one
// recvfrom and one sendto): what a batch receive costs when it finds one
// datagram.

#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "common/builtin_requests.hpp"
#include "config/config.hpp"
#include "config/socket_address.hpp"
#include "transport/client_socket.hpp"
#include "transport/datagram_io.hpp"
#include "transport/socket_setup.hpp"

namespace {

using namespace mid;

using bench::kRequestNames;
using bench::kRequests;

struct Endpoint {
  transport::ListeningSocket server;
  transport::ClientSocket client;
};

// The daemon's socket set-up (bind_listening_socket) for one transport.
std::unique_ptr<Endpoint> make_endpoint(bool unix_socket) {
  // A private directory for the socket, removed at exit.
  struct Directory {
    std::string path;
    Directory() {
      char name[] = "/tmp/mi-syscall-bench.XXXXXX";
      if (mkdtemp(name) != nullptr) path = name;
    }
    ~Directory() {
      if (!path.empty()) rmdir(path.c_str());
    }
  };
  static const Directory kDirectory;
  if (kDirectory.path.empty()) return nullptr;
  config::Config config;
  config::SocketAddress address;
  if (unix_socket) {
    address.path = kDirectory.path + "/mi.sock";
    unlink(address.path.c_str());
  } else {
    address.kind = config::SocketAddress::Kind::udp;
    address.host = "127.0.0.1";
  }
  config.socket_name = address;
  auto endpoint = std::make_unique<Endpoint>();
  transport::BindResult bound = transport::bind_listening_socket(config);
  if (!bound.ok()) return nullptr;
  endpoint->server = std::move(bound.socket);
  if (!unix_socket) {
    sockaddr_in bound_address{};
    std::memcpy(&bound_address, &endpoint->server.udp_address(), sizeof bound_address);
    address.port = ntohs(bound_address.sin_port);
  }
  std::string error;
  endpoint->client = transport::connect_client(address, error);
  if (!endpoint->client.valid()) return nullptr;
  return endpoint;
}

std::string_view echo(std::string_view request, request::Workspace& /*workspace*/) {
  static std::array<char, core::kMaxDatagram> reply;
  std::memcpy(reply.data(), request.data(), request.size());
  return {reply.data(), request.size()};
}

template <bool kDaemon, bool kCredentials = true>
void BM_round_trip(benchmark::State& state) {
  const bool unix_socket = state.range(0) == 0;
  const std::string_view request = kRequests[state.range(1)];
  auto endpoint = make_endpoint(unix_socket);
  if (!endpoint) {
    state.SkipWithError("cannot set up the sockets");
    return;
  }
  transport::ReceiveBatch batch;
  if (!batch.allocate()) {
    state.SkipWithError("cannot allocate the receive batch");
    return;
  }
  auto client_buffer = std::make_unique<std::array<char, 65536>>();
  support::BuiltinWorld& f = bench::daemon_world();
  const int server_fd = endpoint->server.fd();
  const int client_fd = endpoint->client.fd();
  const int off = 0;
  if (!kCredentials && setsockopt(server_fd, SOL_SOCKET, SO_PASSCRED, &off, sizeof off) != 0) {
    state.SkipWithError("cannot turn SO_PASSCRED off");
    return;
  }
  for (auto _ : state) {
    if (send(client_fd, request.data(), request.size(), 0) < 0) state.SkipWithError("send");
    if (batch.receive(server_fd) != transport::ReceiveStatus::datagrams) {
      state.SkipWithError("receive");
      break;
    }
    const std::string_view datagram = batch.datagram(0);
    const transport::Peer& peer = batch.peer(0);
    const std::string_view reply =
        kDaemon ? f.handle(datagram).reply : echo(datagram, *f.workspace);
    if (transport::send_reply(server_fd, reply, peer) != transport::SendStatus::sent) {
      state.SkipWithError("send_reply");
    }
    if (recv(client_fd, client_buffer->data(), client_buffer->size(), 0) < 0) {
      state.SkipWithError("recv");
    }
  }
  if (unix_socket) {
    std::string error;
    (void)endpoint->server.remove_unix_path(error);
  }
  state.SetLabel(std::string(unix_socket ? "unix " : "udp ") + kRequestNames[state.range(1)] +
                 (kCredentials ? "" : " no credentials"));
}

void BM_round_trip_plain(benchmark::State& state) {
  const bool unix_socket = state.range(0) == 0;
  const std::string_view request = kRequests[state.range(1)];
  auto endpoint = make_endpoint(unix_socket);
  const int off = 0;
  // UDP has no SO_PASSCRED (this kernel refuses the option there).
  if (!endpoint || (unix_socket && setsockopt(endpoint->server.fd(), SOL_SOCKET, SO_PASSCRED, &off,
                                              sizeof off) != 0)) {
    state.SkipWithError("cannot set up the sockets");
    return;
  }
  auto buffer = std::make_unique<std::array<char, 65536>>();
  const int server_fd = endpoint->server.fd();
  const int client_fd = endpoint->client.fd();
  for (auto _ : state) {
    if (send(client_fd, request.data(), request.size(), 0) < 0) state.SkipWithError("send");
    sockaddr_storage peer{};
    socklen_t length = sizeof peer;
    const ssize_t size = recvfrom(server_fd, buffer->data(), buffer->size(), MSG_DONTWAIT,
                                  reinterpret_cast<sockaddr*>(&peer), &length);
    if (size < 0 || sendto(server_fd, buffer->data(), static_cast<std::size_t>(size), MSG_DONTWAIT,
                           reinterpret_cast<const sockaddr*>(&peer), length) < 0) {
      state.SkipWithError("recvfrom/sendto");
      break;
    }
    if (recv(client_fd, buffer->data(), buffer->size(), 0) < 0) state.SkipWithError("recv");
  }
  if (unix_socket) {
    std::string error;
    (void)endpoint->server.remove_unix_path(error);
  }
  state.SetLabel(std::string(unix_socket ? "unix " : "udp ") + kRequestNames[state.range(1)]);
}

void arguments(benchmark::internal::Benchmark* b) {
  for (int transport = 0; transport < 2; ++transport) {
    for (int request = 0; request < 4; ++request) b->Args({transport, request});
  }
}

BENCHMARK(BM_round_trip_plain)->Apply(arguments);
BENCHMARK_TEMPLATE(BM_round_trip, false)->Name("BM_round_trip_echo")->Apply(arguments);
BENCHMARK_TEMPLATE(BM_round_trip, true)->Name("BM_round_trip_daemon")->Apply(arguments);

void unix_arguments(benchmark::internal::Benchmark* b) {
  for (int request = 0; request < 4; ++request) b->Args({0, request});
}

BENCHMARK_TEMPLATE(BM_round_trip, false, false)
    ->Name("BM_round_trip_echo_no_credentials")
    ->Apply(unix_arguments);
BENCHMARK_TEMPLATE(BM_round_trip, true, false)
    ->Name("BM_round_trip_daemon_no_credentials")
    ->Apply(unix_arguments);

}  // namespace

BENCHMARK_MAIN();

// mi-datagram --json against the real daemon, over UNIX and UDP: output,
// exit statuses, standard input, --raw, and replies to another id.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

enum class Transport { unix_socket, udp };

class ClientJson : public ::testing::TestWithParam<Transport> {
 protected:
  void SetUp() override {
    socket_ = GetParam() == Transport::udp ? "udp:127.0.0.1:" + std::to_string(free_udp_port(false))
                                           : scratch_.path("mi.sock");
    daemon_.emplace(scratch_, "socket_name = " + socket_ + "\n");
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  RunResult client(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {client_path(), "-s", socket_});
    return run_program(args, 10s, input);
  }
  static bool has(const RunResult& run, const std::string& text) {
    return run.output.find(text) != std::string::npos;
  }
  Scratch scratch_;
  std::string socket_;
  std::optional<Daemon> daemon_;
};

TEST_P(ClientJson, UptimeIsIndentedJson) {
  const RunResult run = client({"--json", "uptime"});
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_EQ(run.output.rfind("{\n  \"Now\": \"", 0), 0U) << run.output;
  EXPECT_TRUE(has(run, "\",\n  \"Up time\": \"")) << run.output;
  EXPECT_TRUE(run.output.ends_with("\"\n}\n")) << run.output;
}

TEST_P(ClientJson, NamedParametersAndARepeatedNameAsAnArray) {
  const RunResult all = client({"--json", "get_statistics", "statistics=all"});
  EXPECT_EQ(all.exit_status, 0) << all.output;
  EXPECT_TRUE(has(all, "\n  \"core:processes\": 2")) << all.output;
  EXPECT_TRUE(has(all, "\n  \"datagram:requests\": ")) << all.output;
  const RunResult two =
      client({"-j", "get_statistics", "statistics=core:", "statistics=datagram:"});
  EXPECT_EQ(two.exit_status, 0) << two.output;
  EXPECT_TRUE(has(two, "\n  \"core:processes\": 2")) << two.output;
  EXPECT_TRUE(has(two, "\n  \"datagram:requests\": ")) << two.output;
  const RunResult help = client({"-j", "help", "mi_cmd=uptime"});
  EXPECT_EQ(help.exit_status, 0) << help.output;
  EXPECT_TRUE(has(help, "\n  \"Help\": \"")) << help.output;
}

TEST_P(ClientJson, WhichIsAnArrayOneCommandPerLine) {
  const RunResult run = client({"--json", "which"});
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_EQ(run.output.rfind("[\n  \"", 0), 0U) << run.output;
  EXPECT_TRUE(has(run, "\n  \"get_statistics\",\n")) << run.output;
  EXPECT_TRUE(run.output.ends_with("\"\n]\n")) << run.output;
}

TEST_P(ClientJson, PositionalParameters) {
  const RunResult run = client({"--json", "get_statistics", "core:"});
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_TRUE(has(run, "\n  \"core:processes\": 2")) << run.output;
  EXPECT_FALSE(has(run, "datagram:")) << run.output;
}

TEST_P(ClientJson, DocumentFromStandardInput) {
  const RunResult run =
      client({"--json", "-"}, R"({"jsonrpc": "2.0", "id": "29963", "method": "version"})");
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_EQ(run.output.rfind("{\n  \"Server\": \"mi-datagram ", 0), 0U) << run.output;
  const RunResult bad = client({"-j", "-"}, R"({"jsonrpc":"2.0",)");
  EXPECT_EQ(bad.exit_status, 1) << bad.output;
  EXPECT_EQ(bad.output.rfind("-32700 Parse error: ", 0), 0U) << bad.output;
  const RunResult notification = client({"-j", "-"}, R"({"jsonrpc":"2.0","method":"version"})");
  EXPECT_EQ(notification.exit_status, 0) << notification.output;
  EXPECT_TRUE(has(notification, "no reply comes")) << notification.output;
  EXPECT_EQ(client({"-j", "-"}, std::string(65458, ' ')).exit_status, 2);
}

TEST_P(ClientJson, RawIsTheReplyAsReceived) {
  const RunResult run = client({"--json", "-r", "uptime"});
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_EQ(run.output.rfind(R"({"jsonrpc":"2.0","result":{"Now":")", 0), 0U) << run.output;
  EXPECT_NE(run.output.find(R"(,"id":)"), std::string::npos) << run.output;
  EXPECT_TRUE(run.output.ends_with("}")) << run.output;
  const RunResult error = client({"--raw", "--json", "nosuch"});
  EXPECT_EQ(error.exit_status, 1) << error.output;
  EXPECT_EQ(error.output.rfind(R"({"jsonrpc":"2.0","error":{"code":-32601,)", 0), 0U)
      << error.output;
}

TEST_P(ClientJson, AnErrorExitsOneAndShowsCodeMessageData) {
  const RunResult run = client({"--json", "nosuch"});
  EXPECT_EQ(run.exit_status, 1);
  EXPECT_EQ(run.output, "-32601 Method not found: unknown command: nosuch\n");
  const RunResult escaped = client({"--json", "help", "mi_cmd=\x1b]0;t\x07"});
  EXPECT_EQ(escaped.exit_status, 1) << escaped.output;
  EXPECT_TRUE(has(escaped, "\\x1b]0;t\\x07")) << escaped.output;
  EXPECT_FALSE(has(escaped, "\x1b")) << escaped.output;
}

TEST_P(ClientJson, UsageErrorsExitTwoBeforeSending) {
  const RunResult mixed = client({"--json", "get_statistics", "core:", "statistics=all"});
  EXPECT_EQ(mixed.exit_status, 2);
  EXPECT_TRUE(has(mixed, "cannot be mixed")) << mixed.output;
  EXPECT_EQ(client({"--json", "up\xfftime"}).exit_status, 2);
  EXPECT_EQ(client({"--json", "echo", "a\xc0\x80"}).exit_status, 2);
  EXPECT_EQ(client({"--json"}).exit_status, 2);
}

INSTANTIATE_TEST_SUITE_P(Transports, ClientJson,
                         ::testing::Values(Transport::unix_socket, Transport::udp),
                         [](const auto& param_info) {
                           return param_info.param == Transport::udp ? "Udp" : "Unix";
                         });

// A server that answers first with another id, then with the right one:
// the client drops the first, says so, and prints the second.
TEST(ClientJsonIds, AReplyToAnotherIdIsIgnoredAndCounted) {
  Scratch scratch;
  const std::string path = scratch.path("fake.sock");
  const int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  path.copy(address.sun_path, sizeof(address.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  std::thread server([fd] {
    std::array<char, 65536> request{};
    sockaddr_un from{};
    socklen_t from_length = sizeof(from);
    const ssize_t n = recvfrom(fd, request.data(), request.size(), 0,
                               reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n <= 0) return;
    const std::string text(request.data(), static_cast<std::size_t>(n));
    const std::size_t at = text.rfind("\"id\":");
    const std::string id = text.substr(at + 5, text.size() - at - 6);
    for (const std::string& reply : {R"({"jsonrpc":"2.0","result":"spoof","id":)" + id + "0}",
                                     R"({"jsonrpc":"2.0","result":{"a":1},"id":)" + id + "}"}) {
      (void)sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from),
                   from_length);
    }
  });
  const RunResult run = run_program({client_path(), "-s", path, "-j", "-t", "3000", "uptime"});
  server.join();
  close(fd);
  EXPECT_EQ(run.exit_status, 0) << run.output;
  EXPECT_NE(run.output.find("{\n  \"a\": 1\n}\n"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("ignored 1 reply to another request id"), std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("spoof"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace mid::e2e

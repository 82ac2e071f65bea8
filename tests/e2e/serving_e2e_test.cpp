// What a real client sees: limits, access control, a slow client, and
// statistics shared by every worker.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

class Serving : public ::testing::Test {
 protected:
  void start(const std::string& extra = "", std::vector<std::string> args = {}) {
    daemon_.emplace(scratch_, "socket_name = " + scratch_.path("mi.sock") + "\n" + extra,
                    std::move(args));
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  std::string request(const std::string& text) {
    auto reply = ask(daemon_->socket(), text);
    EXPECT_TRUE(reply.has_value()) << text.substr(0, 40);
    return reply.value_or("");
  }
  long long stat(const std::string& name) {
    return statistic(request(":get_statistics:\n" + name + "\n"), name);
  }

  Scratch scratch_;
  std::optional<Daemon> daemon_;
};

TEST_F(Serving, RequestOfExactlyTheLimitIsServedAndOneByteMoreIsRefused) {
  start();
  const std::string head = ":get_statistics:\nall\n";
  std::string exact = head + std::string(65457 - head.size() - 1, 'x') + "\n";
  ASSERT_EQ(exact.size(), 65457U);
  EXPECT_EQ(request(exact).rfind("200 OK\ndatagram:requests:: ", 0), 0U);
  exact.insert(head.size(), "y");
  EXPECT_EQ(request(exact), "400 bad request at byte 65457: request too large\n");
  EXPECT_EQ(stat("datagram:requests_too_large"), 1);
}

TEST_F(Serving, ReplyThatDoesNotFitIsReplacedByAnError) {
  // `arg` lists the command line: 3500 words of 18 bytes print to ~66 KB.
  std::vector<std::string> args(3500, "--log-level=notice");
  start("", args);
  EXPECT_EQ(request(":arg:\n"), "500 server error at byte 0: reply too large\n");
  EXPECT_EQ(stat("datagram:replies_too_large"), 1);
}

TEST_F(Serving, UidOutsideAllowedUidsGets403) {
  start("allowed_uids = 4242\n");
  EXPECT_EQ(request(":version:\n"), "403 Forbidden\n");
}

TEST_F(Serving, AllowedGidAdmitsThePeer) {
  start("allowed_uids = 4242\nallowed_gids = 0\n");
  EXPECT_EQ(request(":version:\n").rfind("200 OK\n", 0), 0U);
  EXPECT_EQ(stat("datagram:denied"), 0);
}

TEST_F(Serving, UnboundUnixSenderIsCountedNotAnswered) {
  start();
  const int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un server{};
  server.sun_family = AF_UNIX;
  daemon_->socket().copy(server.sun_path, sizeof(server.sun_path) - 1);
  const std::string text = ":version:\n";
  ASSERT_EQ(
      sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&server), sizeof(server)),
      static_cast<ssize_t>(text.size()));
  close(fd);
  for (int i = 0; i < 50 && stat("datagram:unaddressable") < 1; ++i) usleep(10000);
  EXPECT_EQ(stat("datagram:unaddressable"), 1);
}

TEST_F(Serving, ClientThatNeverReadsCostsOthersLessThanOneSocketTimeout) {
  start("socket_timeout = 300\n");
  // A bound client that floods the daemon and never reads its replies.
  const int slow = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  ASSERT_EQ(bind(slow, reinterpret_cast<sockaddr*>(&self), sizeof(sa_family_t)), 0);
  sockaddr_un server{};
  server.sun_family = AF_UNIX;
  daemon_->socket().copy(server.sun_path, sizeof(server.sun_path) - 1);
  const std::string text = ":version:\n";
  // Blocking sends: the daemon's queue holds about ten requests, so these
  // keep coming as the daemon answers, until the slow client's own queue
  // is full and replies to it can no longer be delivered.
  std::thread flood([&] {
    for (int i = 0; i < 40; ++i) {
      sendto(slow, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&server),
             sizeof(server));
    }
  });
  flood.join();
  // With blocking sends, each of the ~10 requests still queued would cost
  // 300 ms before this one is read; now replies to the full queue wait on
  // the worker's timer and this one is answered at once.
  const auto start_time = std::chrono::steady_clock::now();
  const auto reply = ask(daemon_->socket(), ":version:\n", 5s);
  const auto waited = std::chrono::steady_clock::now() - start_time;
  ASSERT_TRUE(reply.has_value()) << daemon_->log();
  EXPECT_LT(waited, 300ms);
  // The replies the slow client never took are dropped after 300 ms.
  std::this_thread::sleep_for(500ms);
  EXPECT_GE(stat("datagram:send_timeouts"), 1);
  close(slow);
}

TEST_F(Serving, StatisticsAreSharedByEveryWorker) {
  start("children_count = 2\n");
  const long long before = stat("datagram:requests");
  for (int i = 0; i < 200; ++i) ASSERT_FALSE(request(":version:\n").empty());
  // Ask several times: whichever worker answers sees the same counters.
  for (int i = 0; i < 4; ++i) EXPECT_GE(stat("datagram:requests"), before + 200);
}

TEST_F(Serving, LogLevelSetThroughOneWorkerIsSeenByAll) {
  start("children_count = 2\n");
  EXPECT_EQ(request(":log_level:\ndebug\n"), "200 OK\nNew global log level:: 4\n");
  // Every process (master and both workers) shows debug (4), whichever worker answers.
  for (int i = 0; i < 6; ++i) {
    const std::string shown = request(":debug:\n");
    std::size_t levels = 0;
    for (auto at = shown.find("\tLog level:: "); at != std::string::npos;
         at = shown.find("\tLog level:: ", at + 1)) {
      ++levels;
      EXPECT_EQ(shown.substr(at, 15), "\tLog level:: 4\n") << shown;
    }
    EXPECT_EQ(levels, 3U) << shown;
  }
}

TEST_F(Serving, ResetStatisticsResetsCountersNotGauges) {
  start();
  for (int i = 0; i < 5; ++i) request(":version:\n");
  EXPECT_EQ(request(":reset_statistics:\ndatagram:\ncore:\n"), "200 OK\n");
  EXPECT_LE(stat("datagram:replies"), 1);
  EXPECT_EQ(stat("core:processes"), 2);
  EXPECT_EQ(request(":get_statistics:\nnosuch\n"), "404 Statistics Not Found\n");
}

}  // namespace
}  // namespace mid::e2e

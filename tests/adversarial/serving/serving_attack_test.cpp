// Peers that never read their replies, and a sender the daemon may not
// answer, against the real daemon, beside a well-behaved client that
// times each of its requests. Before the serving loop sent without
// waiting, each of these cost the well-behaved client a full
// socket_timeout (2 s) per reply or more; now none may cost it more than a
// fraction of one, and it loses nothing.

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "daemon_process.hpp"
#include "non_reader.hpp"

namespace mid::adversarial {
namespace {

using namespace std::chrono_literals;
using e2e::ask;
using e2e::statistic;

constexpr uid_t kAttacker = 4242;
// Far below the socket_timeout (2 s) one stalled send used to cost, and far
// above what a loaded CI machine adds: the figures say how far below.
constexpr double kGenerousWorstMs = 1000;

struct Latencies {
  std::vector<double> ms;
  unsigned lost = 0;
};

// `count` sequential :version: requests from fresh sockets, `gap` apart;
// after a few lost replies the attack has won, and the test stops asking.
void measure(const std::string& socket, unsigned count, std::chrono::milliseconds gap,
             Latencies& out) {
  constexpr unsigned kEnoughLost = 3;
  for (unsigned i = 0; i < count && out.lost < kEnoughLost; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const std::optional<std::string> reply = ask(socket, ":version:\n", 3s);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    if (reply && reply->rfind("200 OK\n", 0) == 0) {
      out.ms.push_back(took.count());
    } else {
      ++out.lost;
    }
    std::this_thread::sleep_for(gap);
  }
}

double quantile(std::vector<double> sorted, double q) {
  if (sorted.empty()) return 0;
  std::sort(sorted.begin(), sorted.end());
  const auto index =
      static_cast<std::size_t>(std::lround(q * static_cast<double>(sorted.size() - 1)));
  return sorted[std::min(index, sorted.size() - 1)];
}

// Prints the figures and checks the bounds the test holds to.
void report(const char* scenario, const Latencies& latencies) {
  const double worst = quantile(latencies.ms, 1.0);
  std::printf("figures: scenario=%s requests=%zu lost=%u p50_ms=%.2f p99_ms=%.2f worst_ms=%.2f\n",
              scenario, latencies.ms.size() + latencies.lost, latencies.lost,
              quantile(latencies.ms, 0.5), quantile(latencies.ms, 0.99), worst);
  EXPECT_EQ(latencies.lost, 0U) << scenario << ": a well-behaved client lost replies";
  EXPECT_LT(worst, kGenerousWorstMs) << scenario;
}

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class ServingUnderAttack : public ::testing::Test {
 protected:
  void start(const std::string& extra = "") {
    daemon_.emplace(scratch_, "socket_name = " + scratch_.path("mi.sock") +
                                  "\nchildren_count = 2\nunix_socket_mode = 0666\n" + extra);
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  long long stat(const std::string& name) {
    return statistic(ask(daemon_->socket(), ":get_statistics:\n" + name + "\n").value_or(""), name);
  }
  // The attack runs while the client measures, then the client measures
  // again with the attacker's sockets still full of unread replies.
  Latencies during_and_after(const NonReaderPlan& plan, unsigned expected_sent) {
    Latencies latencies;
    NonReader attacker(daemon_->socket(), plan);
    measure(daemon_->socket(), 50, 20ms, latencies);
    EXPECT_EQ(attacker.wait_sent(), expected_sent);
    measure(daemon_->socket(), 30, 10ms, latencies);
    return latencies;
  }

  e2e::Scratch scratch_;
  std::optional<e2e::Daemon> daemon_;
};

TEST_F(ServingUnderAttack, FortyNonReadingSocketsOfAnAllowedUid) {
  start();
  const NonReaderPlan plan{kAttacker, 40, 20, ":version:\n", 0ms, 512};
  report("40-non-readers-allowed-uid", during_and_after(plan, 800));
  EXPECT_EQ(stat("datagram:send_timeouts"), 0) << "no well-behaved reply waited out its time";
}

TEST_F(ServingUnderAttack, FortyNonReadingSocketsOfADeniedUid) {
  start("allowed_uids = 0\n");
  const NonReaderPlan plan{kAttacker, 40, 20, ":version:\n", 0ms, 512};
  report("40-non-readers-denied-uid", during_and_after(plan, 800));
  EXPECT_EQ(stat("datagram:denied"), 800);
}

TEST_F(ServingUnderAttack, OneNonReaderWithSixtyRequests) {
  start();
  // The same uid as the well-behaved client: a uid's own sockets that do
  // not read must not cost its others either.
  const NonReaderPlan plan{0, 1, 60, ":version:\n", 0ms, 0};
  report("1-non-reader-60-requests", during_and_after(plan, 60));
}

TEST_F(ServingUnderAttack, FourSecondFloodOfJunkFromANonReader) {
  start();
  NonReaderPlan plan{kAttacker, 1, 0, "junk\n", 4000ms, 0};
  Latencies latencies;
  NonReader attacker(daemon_->socket(), plan);
  measure(daemon_->socket(), 150, 20ms, latencies);
  const unsigned flooded = attacker.wait_sent();
  std::printf("figures: scenario=flood datagrams=%u\n", flooded);
  report("4s-flood-of-junk", latencies);
  EXPECT_GT(flooded, 1000U) << "the flood must really be one";
  // The last datagrams of the flood may still be queued when it ends.
  for (int i = 0; i < 100 && stat("datagram:parse_errors") < static_cast<long long>(flooded); ++i) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GE(stat("datagram:parse_errors"), static_cast<long long>(flooded));
}

// The per-uid bound: with a small send buffer, many sockets of one uid
// that never read would fill it, and then nobody would get a reply.
TEST_F(ServingUnderAttack, ManySocketsOfOneUidCannotFillTheSendBuffer) {
  start("socket_send_buffer = 1048576\n");
  // 100 sockets of 20 unread replies hold 2000 * 768 bytes: 1.5 MiB.
  const NonReaderPlan plan{kAttacker, 100, 20, ":version:\n", 0ms, 512};
  report("100-non-readers-1MiB-buffer", during_and_after(plan, 2000));
  EXPECT_GT(stat("datagram:replies_over_quota"), 0) << "the attacker's uid was held to its share";
}

// A client whose reply socket the workers may not write (a path in a
// directory only root may search): every reply fails with EACCES. 3000 of
// them must not write 3000 log lines.
TEST_F(ServingUnderAttack, ThreeThousandUnanswerableRequestsWriteAFewLogLines) {
  start();
  const std::string private_dir = scratch_.path("private");
  ASSERT_EQ(mkdir(private_dir.c_str(), 0700), 0);
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  (private_dir + "/client.sock").copy(self.sun_path, sizeof(self.sun_path) - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&self), sizeof self), 0);
  sockaddr_un server{};
  server.sun_family = AF_UNIX;
  daemon_->socket().copy(server.sun_path, sizeof(server.sun_path) - 1);
  const std::size_t lines_before = line_count(daemon_->log());
  const std::string request = ":version:\n";
  for (int i = 0; i < 3000; ++i) {
    ASSERT_EQ(sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&server),
                     sizeof server),
              static_cast<ssize_t>(request.size()));
  }
  for (int i = 0; i < 100 && stat("datagram:send_denied") < 3000; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(stat("datagram:send_denied"), 3000);
  // The count of what was held back comes with the next line of its kind
  // in a later second: a few more, so that each worker writes one.
  std::this_thread::sleep_for(1100ms);
  for (int i = 0; i < 20; ++i) {
    ASSERT_GT(sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&server),
                     sizeof server),
              0);
  }
  for (int i = 0; i < 100 && stat("datagram:send_denied") < 3020; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  const std::string log = daemon_->log();
  const std::size_t lines = line_count(log);
  std::printf("figures: scenario=3000-unanswerable log_lines=%zu\n", lines - lines_before);
  EXPECT_LE(lines - lines_before, 100U) << log;
  EXPECT_NE(log.find("similar lines suppressed"), std::string::npos) << log;
  close(fd);
}

}  // namespace
}  // namespace mid::adversarial

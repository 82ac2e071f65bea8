// Replies to a receiver whose queue is full wait on the worker's timer,
// keep their order, are sent once the receiver reads, and are dropped at
// their deadline; one uid cannot take every slot.

#include <gtest/gtest.h>
#include <poll.h>

#include <string>
#include <vector>

#include "socket_pair.hpp"
#include "transport/reply_retries.hpp"

namespace mid::serving_test {
namespace {

using transport::ReplyRetries;
using transport::SendStatus;

struct Done {
  std::size_t size;
  SendStatus status;
};

class Retries : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(retries_.open()); }
  // Runs the due retries at `now_ms`, sending from `server_`.
  std::vector<Done> run(std::int64_t now_ms) {
    std::vector<Done> done;
    retries_.run_due(
        now_ms,
        [this](const transport::Peer& peer, std::span<const char> reply) {
          return transport::send_reply(server_.fd(), reply, peer);
        },
        [&](const transport::Peer&, std::uint32_t, std::size_t size, SendStatus status) {
          done.push_back({size, status});
        });
    return done;
  }
  // Fills `client`'s receive queue until a send would block.
  void fill_queue(const Socket& client) {
    for (int i = 0; i < 10000; ++i) {
      if (transport::send_reply(server_.fd(), std::string("q"), client.as_peer()) ==
          SendStatus::would_block) {
        return;
      }
    }
    FAIL() << "the receiver's queue never filled";
  }

  Socket server_;
  ReplyRetries retries_;
};

TEST_F(Retries, AReplyWaitsUntilTheReceiverReadsThenLeavesInOrder) {
  Socket client;
  fill_queue(client);
  const transport::Peer peer = client.as_peer(7);
  ASSERT_TRUE(retries_.add(peer, 7, std::string("first"), 0, 2000));
  ASSERT_TRUE(retries_.waiting_for(peer));
  ASSERT_TRUE(retries_.add(peer, 7, std::string("second!"), 0, 2000));
  EXPECT_TRUE(run(5).empty()) << "still full: nothing leaves";
  while (client.read_one() == "q") {
  }
  const std::vector<Done> done = run(40);
  ASSERT_EQ(done.size(), 2U);
  EXPECT_EQ(done[0].size, 5U);
  EXPECT_EQ(done[0].status, SendStatus::sent);
  EXPECT_EQ(done[1].size, 7U);
  EXPECT_EQ(client.read_one(), "first");
  EXPECT_EQ(client.read_one(), "second!");
  EXPECT_EQ(retries_.size(), 0U);
}

TEST_F(Retries, AReplyIsDroppedAtItsDeadline) {
  Socket client;
  fill_queue(client);
  ASSERT_TRUE(retries_.add(client.as_peer(7), 7, std::string("late"), 0, 100));
  EXPECT_TRUE(run(50).empty());
  const std::vector<Done> done = run(100);
  ASSERT_EQ(done.size(), 1U);
  EXPECT_EQ(done[0].status, SendStatus::would_block);
  EXPECT_EQ(retries_.size(), 0U);
}

TEST_F(Retries, AReceiverThatIsGoneIsGivenUpAtOnce) {
  auto client = std::make_unique<Socket>();
  fill_queue(*client);
  const transport::Peer peer = client->as_peer(7);
  ASSERT_TRUE(retries_.add(peer, 7, std::string("x"), 0, 2000));
  client.reset();
  const std::vector<Done> done = run(1);
  ASSERT_EQ(done.size(), 1U);
  EXPECT_EQ(done[0].status, SendStatus::peer_gone);
}

TEST_F(Retries, OneUidGetsAtMostItsShareOfTheSlots) {
  Socket client;
  const transport::Peer peer = client.as_peer(7);
  for (std::size_t i = 0; i < ReplyRetries::kPerUid; ++i) {
    EXPECT_TRUE(retries_.add(peer, 7, std::string("x"), 0, 2000));
  }
  EXPECT_FALSE(retries_.add(peer, 7, std::string("x"), 0, 2000));
  EXPECT_TRUE(retries_.add(client.as_peer(8), 8, std::string("x"), 0, 2000));
}

TEST_F(Retries, TheTimerFiresForTheFirstRetry) {
  Socket client;
  fill_queue(client);
  ASSERT_TRUE(retries_.add(client.as_peer(7), 7, std::string("x"), transport::monotonic_ms(),
                           transport::monotonic_ms() + 2000));
  pollfd timer{retries_.fd(), POLLIN, 0};
  EXPECT_EQ(poll(&timer, 1, 1000), 1) << "armed for kFirstRetryMs";
}

}  // namespace
}  // namespace mid::serving_test

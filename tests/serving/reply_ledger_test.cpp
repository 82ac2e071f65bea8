// The per-uid bound on unread replies, over real sockets: the ledger
// refuses a uid whose replies really sit unread in the server's send
// buffer, never another uid, and finds room again when the replies are
// read or their sockets close.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "socket_pair.hpp"
#include "transport/reply_charge.hpp"
#include "transport/reply_ledger.hpp"

namespace mid::serving_test {
namespace {

constexpr std::uint32_t kAttacker = 4242;
constexpr std::uint32_t kOperator = 0;
const std::string kReply(100, 'r');
const std::size_t kCost = transport::estimated_charge(100);
// This kernel's max_dgram_qlen + 1 (the daemon reads the same at start).
const unsigned kQueueLimit = transport::unix_receiver_queue_limit();
// More than one receiving socket can hold, so only many sockets reach it.
const std::size_t kBudget = std::size_t{2} * kQueueLimit * kCost;

class Ledger : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.set_send_buffer(8 << 20);
    ASSERT_TRUE(ledger_.open(server_.fd(), kBudget, kQueueLimit));
  }
  // Sends one reply to `client` for `uid` if the ledger admits it.
  bool reply_to(const Socket& client, std::uint32_t uid) {
    const transport::Peer peer = client.as_peer(uid);
    if (!ledger_.admit(uid, peer.address, peer.length, kReply.size())) return false;
    EXPECT_EQ(transport::send_reply(server_.fd(), kReply, peer), transport::SendStatus::sent);
    ledger_.charge(uid, peer.address, peer.length, kReply.size());
    return true;
  }
  // Non-reading sockets of `uid`, kPerSocket replies each (fewer than one
  // socket can hold), until the ledger says no.
  std::size_t fill(std::vector<std::unique_ptr<Socket>>& sockets, std::uint32_t uid) {
    std::size_t sent = 0;
    constexpr unsigned kPerSocket = 8;
    for (std::size_t i = 0; i <= kBudget / kCost / kPerSocket; ++i) {
      sockets.push_back(std::make_unique<Socket>());
      for (unsigned j = 0; j < kPerSocket; ++j) {
        if (!reply_to(*sockets.back(), uid)) return sent;
        ++sent;
      }
    }
    return sent;
  }

  Socket server_;
  transport::ReplyLedger ledger_;
};

TEST_F(Ledger, AUidWhoseRepliesStayUnreadIsRefusedAtItsBudget) {
  std::vector<std::unique_ptr<Socket>> attacker;
  EXPECT_EQ(fill(attacker, kAttacker), kBudget / kCost);
  EXPECT_EQ(static_cast<std::size_t>(server_.unread_charge()), kBudget);
  EXPECT_EQ(ledger_.charge_of(kAttacker), kBudget);
}

TEST_F(Ledger, AnotherUidIsServedWhileOneIsRefused) {
  std::vector<std::unique_ptr<Socket>> attacker;
  fill(attacker, kAttacker);
  Socket operator_client;
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(reply_to(operator_client, kOperator)) << i;
    ASSERT_EQ(operator_client.read_one(), kReply);
  }
  EXPECT_FALSE(reply_to(*attacker.back(), kAttacker));
}

TEST_F(Ledger, ReadRepliesFreeTheBudget) {
  std::vector<std::unique_ptr<Socket>> sockets;
  fill(sockets, kAttacker);
  for (auto& socket : sockets) {
    while (!socket->read_one().empty()) {
    }
  }
  EXPECT_EQ(server_.unread_charge(), 0);
  EXPECT_TRUE(reply_to(*sockets.front(), kAttacker));
}

TEST_F(Ledger, ClosedSocketsFreeTheBudget) {
  std::vector<std::unique_ptr<Socket>> attacker;
  fill(attacker, kAttacker);
  // Another uid holds a budget for real, so clearing every estimate is
  // not allowed: the ledger must find the closed sockets by probing.
  std::vector<std::unique_ptr<Socket>> other;
  fill(other, kAttacker + 1);
  for (std::size_t i = 0; i + 1 < attacker.size(); ++i) attacker[i]->close_now();
  Socket fresh;
  EXPECT_TRUE(reply_to(fresh, kAttacker));
  EXPECT_LT(ledger_.charge_of(kAttacker), kBudget);
}

TEST_F(Ledger, LiveSocketsThatNeverReadStayCounted) {
  std::vector<std::unique_ptr<Socket>> attacker;
  fill(attacker, kAttacker);
  std::vector<std::unique_ptr<Socket>> other;
  fill(other, kAttacker + 1);
  Socket fresh;
  EXPECT_FALSE(reply_to(fresh, kAttacker));
  EXPECT_EQ(ledger_.charge_of(kAttacker), kBudget);
}

TEST_F(Ledger, OneSocketIsNeverCountedAsHoldingMoreThanTheKernelLetsItHold) {
  Socket reader;
  for (unsigned i = 0; i < 10 * kQueueLimit; ++i) {
    ASSERT_TRUE(reply_to(reader, kOperator)) << i;
    ASSERT_EQ(reader.read_one(), kReply);
  }
  EXPECT_EQ(ledger_.charge_of(kOperator), kQueueLimit * kCost);
}

TEST_F(Ledger, ForgettingAnAddressReleasesItsCharge) {
  Socket client;
  ASSERT_TRUE(reply_to(client, kAttacker));
  const transport::Peer peer = client.as_peer(kAttacker);
  ledger_.forget(peer.address, peer.length);
  EXPECT_EQ(ledger_.charge_of(kAttacker), 0U);
  EXPECT_EQ(ledger_.addresses(), 0U);
}

TEST_F(Ledger, ManyAddressesKeepTheTableConsistent) {
  // More one-shot clients than the table holds: each reads its reply and
  // closes, as the command-line client does.
  for (std::size_t i = 0; i < transport::ReplyLedger::kAddresses * 2; ++i) {
    Socket client;
    ASSERT_TRUE(reply_to(client, kOperator)) << i;
    ASSERT_EQ(client.read_one(), kReply);
  }
  EXPECT_LE(ledger_.addresses(), transport::ReplyLedger::kAddresses);
}

TEST_F(Ledger, AKnownAddressIsServedWhileTheTableIsFull) {
  // As many live sockets as the table holds, each with one unread reply:
  // nothing can be forgotten, so a new address is refused, while one the
  // table knows is still served.
  constexpr std::size_t kFull = transport::ReplyLedger::kMaxLoad;
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_cur < kFull + 64) {
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, kFull + 64);
    ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &files), 0);
  }
  ASSERT_GE(files.rlim_cur, kFull + 64) << "the hard RLIMIT_NOFILE is too low for this test";
  // Spread over kUids uids, each well inside its budget, while the
  // socket's real charge (all of them) stays above one budget: the
  // estimates cannot be cleared as stale.
  constexpr std::uint32_t kUids = 16;
  constexpr std::uint32_t kFirstUid = 1000;
  transport::ReplyLedger roomy;
  ASSERT_TRUE(roomy.open(server_.fd(), (kFull / kUids + 8) * kCost, kQueueLimit));
  std::vector<std::unique_ptr<Socket>> clients;
  for (std::size_t i = 0; i < kFull; ++i) {
    const auto uid = static_cast<std::uint32_t>(kFirstUid + i % kUids);
    clients.push_back(std::make_unique<Socket>());
    const transport::Peer peer = clients.back()->as_peer(uid);
    ASSERT_TRUE(roomy.admit(uid, peer.address, peer.length, kReply.size())) << i;
    ASSERT_EQ(transport::send_reply(server_.fd(), kReply, peer), transport::SendStatus::sent);
    roomy.charge(uid, peer.address, peer.length, kReply.size());
  }
  ASSERT_EQ(roomy.addresses(), kFull);
  const Socket stranger;
  const transport::Peer unknown = stranger.as_peer(kFirstUid);
  EXPECT_FALSE(roomy.admit(kFirstUid, unknown.address, unknown.length, kReply.size()));
  const transport::Peer known = clients.front()->as_peer(kFirstUid);
  EXPECT_TRUE(roomy.admit(kFirstUid, known.address, known.length, kReply.size()));
  EXPECT_EQ(roomy.addresses(), kFull);
}

}  // namespace
}  // namespace mid::serving_test

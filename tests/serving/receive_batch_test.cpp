// recvmmsg in batches: every queued datagram in one call, each with its
// sender, credentials and real size; an oversize one is seen as oversize.
// Waiting for the first (the idle worker's receive) takes the rest without
// waiting, and ends at the socket's receive timeout.

#include <gtest/gtest.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <string>
#include <thread>

#include "core/limits.hpp"
#include "socket_pair.hpp"

namespace mid::serving_test {
namespace {

class Batch : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(batch_.allocate());
    const int on = 1;
    ASSERT_EQ(setsockopt(server_.fd(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on), 0);
    server_.set_send_buffer(1 << 20);
    const int big = 1 << 20;
    ASSERT_EQ(setsockopt(server_.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big), 0);
  }
  void send_from(const Socket& client, const std::string& text) {
    const transport::Peer to = server_.as_peer();
    ASSERT_EQ(sendto(client.fd(), text.data(), text.size(), 0,
                     reinterpret_cast<const sockaddr*>(&to.address), to.length),
              static_cast<ssize_t>(text.size()));
  }

  Socket server_;
  transport::ReceiveBatch batch_;
};

TEST_F(Batch, EveryQueuedDatagramArrivesInOneCallWithItsSender) {
  Socket a;
  Socket b;
  send_from(a, "one");
  send_from(b, "two");
  send_from(a, "three");
  ASSERT_EQ(batch_.receive(server_.fd()), transport::ReceiveStatus::datagrams);
  ASSERT_EQ(batch_.size(), 3U);
  EXPECT_FALSE(batch_.full());
  EXPECT_EQ(batch_.datagram(0), "one");
  EXPECT_EQ(batch_.datagram(1), "two");
  EXPECT_EQ(batch_.datagram(2), "three");
  EXPECT_TRUE(batch_.peer(0).same_address(a.as_peer()));
  EXPECT_TRUE(batch_.peer(1).same_address(b.as_peer()));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(batch_.peer(i).has_credentials);
    EXPECT_EQ(batch_.peer(i).uid, getuid());
    EXPECT_EQ(batch_.peer(i).pid, getpid());
  }
  EXPECT_EQ(batch_.receive(server_.fd()), transport::ReceiveStatus::empty);
}

TEST_F(Batch, AFullBatchLeavesTheRestForTheNextCall) {
  // A connected pair: the kernel's max_dgram_qlen (10 here) bounds only
  // the queue of an unconnected receiver, and a full batch needs more.
  std::array<int, 2> pair{};
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair.data()), 0);
  for (std::size_t i = 0; i < transport::ReceiveBatch::kBatch + 3; ++i) {
    const std::string text = std::to_string(i);
    ASSERT_EQ(send(pair[1], text.data(), text.size(), MSG_DONTWAIT),
              static_cast<ssize_t>(text.size()));
  }
  ASSERT_EQ(batch_.receive(pair[0]), transport::ReceiveStatus::datagrams);
  EXPECT_TRUE(batch_.full());
  ASSERT_EQ(batch_.receive(pair[0]), transport::ReceiveStatus::datagrams);
  EXPECT_EQ(batch_.size(), 3U);
  EXPECT_EQ(batch_.datagram(2), std::to_string(transport::ReceiveBatch::kBatch + 2));
  close(pair[0]);
  close(pair[1]);
}

TEST_F(Batch, AnOversizeDatagramReportsItsRealSizeAndIsNeverCutToTheLimit) {
  Socket a;
  const std::string exact(core::kMaxDatagram, 'x');
  const std::string over(core::kMaxDatagram + 100, 'y');
  send_from(a, exact);
  send_from(a, over);
  ASSERT_EQ(batch_.receive(server_.fd()), transport::ReceiveStatus::datagrams);
  ASSERT_EQ(batch_.size(), 2U);
  EXPECT_EQ(batch_.real_size(0), core::kMaxDatagram);
  EXPECT_EQ(batch_.datagram(0).size(), core::kMaxDatagram);
  EXPECT_EQ(batch_.real_size(1), over.size());
  EXPECT_EQ(batch_.datagram(1).size(), core::kReceiveBuffer) << "seen as over the limit";
}

TEST_F(Batch, WaitingTakesOneDatagramAndLeavesTheRestQueued) {
  Socket a;
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    send_from(a, "late");
  });
  ASSERT_EQ(batch_.receive(server_.fd(), transport::ReceiveWait::one),
            transport::ReceiveStatus::datagrams);
  sender.join();
  ASSERT_EQ(batch_.size(), 1U);
  EXPECT_EQ(batch_.datagram(0), "late");
  EXPECT_TRUE(batch_.peer(0).has_credentials);

  send_from(a, "one");
  send_from(a, "two");
  ASSERT_EQ(batch_.receive(server_.fd(), transport::ReceiveWait::one),
            transport::ReceiveStatus::datagrams);
  ASSERT_EQ(batch_.size(), 1U) << "a waiting receive takes one datagram, not the queue";
  EXPECT_EQ(batch_.datagram(0), "one");
  ASSERT_EQ(batch_.receive(server_.fd(), transport::ReceiveWait::one),
            transport::ReceiveStatus::datagrams);
  ASSERT_EQ(batch_.size(), 1U);
  EXPECT_EQ(batch_.datagram(0), "two");
  EXPECT_EQ(batch_.receive(server_.fd()), transport::ReceiveStatus::empty);
}

TEST_F(Batch, WaitingEndsEmptyAfterTheSocketsReceiveTimeout) {
  const timeval bound{0, 100 * 1000};
  ASSERT_EQ(setsockopt(server_.fd(), SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(batch_.receive(server_.fd(), transport::ReceiveWait::one),
            transport::ReceiveStatus::empty);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(90));
  EXPECT_EQ(batch_.size(), 0U);
}

}  // namespace
}  // namespace mid::serving_test

// The ledger's estimate of what an unread reply holds of the send buffer,
// checked against what the running kernel really charges (SIOCOUTQ).

#include <gtest/gtest.h>

#include <string>

#include "socket_pair.hpp"
#include "transport/reply_charge.hpp"

namespace mid::serving_test {
namespace {

TEST(ReplyCharge, EstimateCoversTheKernelsChargeForEverySizeUpToTheLimit) {
  for (std::size_t size : {1UL, 7UL, 100UL, 192UL, 193UL, 500UL, 1000UL, 3500UL, 3800UL, 8000UL,
                           16000UL, 16064UL, 16065UL, 16300UL, 32000UL, 60000UL, 65457UL}) {
    Socket server;
    Socket client;
    server.set_send_buffer(8 << 20);
    const std::string reply(size, 'x');
    const int before = server.unread_charge();
    ASSERT_EQ(transport::send_reply(server.fd(), reply, client.as_peer()),
              transport::SendStatus::sent);
    const auto charged = static_cast<std::size_t>(server.unread_charge() - before);
    const std::size_t estimate = transport::estimated_charge(size);
    EXPECT_GE(estimate, charged) << size << " bytes";
    EXPECT_LE(estimate, charged + 4096) << size << " bytes";
    EXPECT_EQ(client.read_one().size(), size);
    EXPECT_EQ(server.unread_charge(), before) << "a read reply frees its charge";
  }
}

TEST(ReplyCharge, AShortReplyHoldsSevenHundredSixtyEightBytes) {
  EXPECT_EQ(transport::estimated_charge(100), 768U);
}

}  // namespace
}  // namespace mid::serving_test

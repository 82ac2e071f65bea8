// How LISTEN_PID/LISTEN_FDS and NOTIFY_SOCKET are read (sd_listen_fds(3),
// sd_notify(3)); the sockets themselves are tested with the real daemon
// under systemd-socket-activate (tests/e2e/activation_e2e_test.cpp).
#include "transport/socket_activation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mid::transport {
namespace {

TEST(ParseListenFds, CountsOnlySocketsPassedToThisProcess) {
  EXPECT_EQ(parse_listen_fds("4242", "1", 4242), 1);
  EXPECT_EQ(parse_listen_fds("4242", "3", 4242), 3);
  EXPECT_EQ(parse_listen_fds("4242", "0", 4242), 0);
  // Meant for another process (a parent that did not unset them): ignored.
  EXPECT_EQ(parse_listen_fds("4241", "1", 4242), 0);
  EXPECT_EQ(parse_listen_fds(nullptr, "1", 4242), 0);
  EXPECT_EQ(parse_listen_fds("4242", nullptr, 4242), 0);
  EXPECT_EQ(parse_listen_fds("", "1", 4242), 0);
  EXPECT_EQ(parse_listen_fds("+4242", "1", 4242), 0);
  EXPECT_EQ(parse_listen_fds("4242x", "1", 4242), 0);
  EXPECT_EQ(parse_listen_fds("99999999999999999999", "1", 4242), 0);
}

TEST(ParseListenFds, ACountThatIsNotANumberIsAnError) {
  EXPECT_EQ(parse_listen_fds("4242", "", 4242), std::nullopt);
  EXPECT_EQ(parse_listen_fds("4242", "-1", 4242), std::nullopt);
  EXPECT_EQ(parse_listen_fds("4242", "1 ", 4242), std::nullopt);
  EXPECT_EQ(parse_listen_fds("4242", "one", 4242), std::nullopt);
  EXPECT_EQ(parse_listen_fds("4242", "1025", 4242), std::nullopt);
  EXPECT_EQ(parse_listen_fds("4242", "1024", 4242), 1024);
}

TEST(NotifyAddress, APathOrAnAbstractName) {
  EXPECT_EQ(notify_address("/run/systemd/notify"), "/run/systemd/notify");
  EXPECT_EQ(notify_address("@notify"), std::string("\0notify", 7));
  EXPECT_EQ(notify_address("relative/path"), "");
  EXPECT_EQ(notify_address("@"), "");
  EXPECT_EQ(notify_address(""), "");
  // sun_path holds 108 bytes; the address is given with its length, no NUL.
  EXPECT_EQ(notify_address("/" + std::string(107, 'a')).size(), 108U);
  EXPECT_EQ(notify_address("/" + std::string(108, 'a')), "");
  EXPECT_EQ(notify_address(std::string("/a\0b", 4)), "");
}

}  // namespace
}  // namespace mid::transport

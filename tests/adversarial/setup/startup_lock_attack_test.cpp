// Another local user tries to keep the daemon from starting by taking its
// start-up lock.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "attacker.hpp"

namespace mid::adversarial {
namespace {

// Any user who can open the socket's directory can flock it; the daemon
// does not lock the directory, so that stops nothing.
TEST(StartupLockAttack, AnotherUsersFlockOnTheDirectoryDoesNotKeepTheDaemonFromStarting) {
  e2e::Scratch scratch;
  const std::string& dir = scratch.dir();
  const Accomplice holder(kStranger, [&] {
    const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    return fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : 1;
  });
  ASSERT_EQ(holder.setup_status(), 0) << "the stranger holds the directory's lock";

  e2e::Daemon daemon(scratch, "socket_name = " + scratch.path("mi.sock") + "\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  const auto reply = e2e::ask(daemon.socket(), ":version:\n");
  ASSERT_TRUE(reply.has_value()) << daemon.log();
  EXPECT_EQ(reply->rfind("200 OK\n", 0), 0U) << *reply;

  // The daemon's own lock file is root's, mode 0600: the stranger cannot
  // even open it, let alone hold it.
  const std::string lock = scratch.path("mi.sock.lock");
  const e2e::RunResult taken = run_as(kStranger, {"/usr/bin/flock", "-n", lock, "/bin/true"});
  EXPECT_NE(taken.exit_status, 0) << taken.output;
  EXPECT_NE(taken.output.find("Permission denied"), std::string::npos) << taken.output;
}

}  // namespace
}  // namespace mid::adversarial

// The master keeps its workers alive and stops them all on request.

#include <signal.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

using namespace std::chrono_literals;

TEST(SupervisionE2e, KilledWorkerIsReplaced) {
  Scratch scratch;
  Daemon daemon(scratch, "socket_name = " + scratch.path("mi.sock") + "\nchildren_count = 2\n");
  const std::vector<pid_t> before = wait_for_processes(daemon.socket(), 3);
  ASSERT_EQ(before.size(), 3U);
  ASSERT_EQ(kill(before[2], SIGKILL), 0);
  std::vector<pid_t> after;
  for (int i = 0; i < 100; ++i) {
    after = pids_from_ps(ask(daemon.socket(), ":ps:\n").value_or(""));
    if (after.size() == 3U && after[2] != before[2]) break;
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(after.size(), 3U);
  EXPECT_EQ(after[0], before[0]);
  EXPECT_NE(after[2], before[2]);
  EXPECT_EQ(statistic(ask(daemon.socket(), ":get_statistics:\ncore:\n").value_or(""),
                      "core:worker_restarts"),
            1);
  EXPECT_NE(daemon.log().find("died on signal 9"), std::string::npos) << daemon.log();
}

TEST(SupervisionE2e, KillCommandIsRefusedUnlessEnabled) {
  Scratch scratch;
  Daemon daemon(scratch, "socket_name = " + scratch.path("mi.sock") + "\n");
  EXPECT_EQ(ask(daemon.socket(), ":kill:\n").value_or(""),
            "403 kill is disabled (enable_kill = no)\n");
  EXPECT_TRUE(daemon.running());
}

TEST(SupervisionE2e, KillCommandStopsTheDaemonWhenEnabled) {
  Scratch scratch;
  Daemon daemon(scratch, "socket_name = " + scratch.path("mi.sock") +
                             "\nenable_kill = yes\nchildren_count = 2\n");
  EXPECT_EQ(ask(daemon.socket(), ":kill:\n").value_or(""), "200 OK\n");
  const auto status = daemon.wait_exit(5s);
  ASSERT_TRUE(status.has_value()) << daemon.log();
  EXPECT_EQ(*status, 0);
}

TEST(SupervisionE2e, MasterDeathTakesTheWorkersWithIt) {
  Scratch scratch;
  Daemon daemon(scratch, "socket_name = " + scratch.path("mi.sock") + "\nchildren_count = 2\n");
  const std::vector<pid_t> pids = wait_for_processes(daemon.socket(), 3);
  ASSERT_EQ(pids.size(), 3U);
  daemon.stop(SIGKILL);
  // A generous bound: the workers see the stop at once (PR_SET_PDEATHSIG
  // ends their receive), but a sanitizer build's exit can take seconds on
  // a loaded machine.
  for (const pid_t worker : {pids[1], pids[2]}) {
    bool gone = false;
    for (int i = 0; i < 1000 && !gone; ++i) {
      gone = has_exited(worker);
      if (!gone) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(gone) << "worker " << worker << " outlived its master";
  }
}

}  // namespace
}  // namespace mid::e2e

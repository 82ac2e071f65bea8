// The whole workload under the real seccomp policy, once per sandbox mode
// (kill and trap): every process confined, unprivileged, and still alive
// after serving every command and every kind of bad request.

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

class SandboxedDaemon : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_EQ(geteuid(), 0U) << "the end-to-end tests drop privileges: run them as root";
    daemon_.emplace(scratch_, "socket_name = " + scratch_.path("mi.sock") +
                                  "\nchildren_count = 2\nsandbox = " + GetParam() + "\n");
    ASSERT_TRUE(daemon_->running()) << daemon_->log();
  }
  std::string ask_ok(const std::string& request) {
    auto reply = ask(daemon_->socket(), request);
    EXPECT_TRUE(reply.has_value()) << request;
    return reply.value_or("");
  }

  Scratch scratch_;
  std::optional<Daemon> daemon_;
};

TEST_P(SandboxedDaemon, EveryProcessRunsAsNobodyWithoutCapabilitiesUnderSeccomp) {
  const std::vector<pid_t> pids = wait_for_processes(daemon_->socket(), 3);
  ASSERT_EQ(pids.size(), 3U);  // the master and two workers
  EXPECT_EQ(pids[0], daemon_->pid());
  for (const pid_t pid : pids) {
    SCOPED_TRACE("pid " + std::to_string(pid));
    EXPECT_EQ(proc_status_line(pid, "Uid:"), "Uid:\t65534\t65534\t65534\t65534");
    EXPECT_EQ(proc_status_line(pid, "Gid:"), "Gid:\t65534\t65534\t65534\t65534");
    // The kernel ends the (empty) list with a space.
    EXPECT_EQ(proc_status_line(pid, "Groups:"), "Groups:\t ");
    EXPECT_EQ(proc_status_line(pid, "CapEff:"), "CapEff:\t0000000000000000");
    EXPECT_EQ(proc_status_line(pid, "CapPrm:"), "CapPrm:\t0000000000000000");
    EXPECT_EQ(proc_status_line(pid, "CapInh:"), "CapInh:\t0000000000000000");
    EXPECT_EQ(proc_status_line(pid, "CapBnd:"), "CapBnd:\t0000000000000000");
    EXPECT_EQ(proc_status_line(pid, "CapAmb:"), "CapAmb:\t0000000000000000");
    EXPECT_EQ(proc_status_line(pid, "NoNewPrivs:"), "NoNewPrivs:\t1");
    EXPECT_EQ(proc_status_line(pid, "Seccomp:"), "Seccomp:\t2");
  }
  // Workers stack their own, narrower filter on the master's.
  EXPECT_EQ(proc_status_line(pids[0], "Seccomp_filters:"), "Seccomp_filters:\t1");
  // A worker is listed from its fork on, and loads its filter before it
  // reads a datagram: allow it the moment in between.
  for (const pid_t worker : {pids[1], pids[2]}) {
    std::string filters;
    for (int i = 0; i < 200; ++i) {
      filters = proc_status_line(worker, "Seccomp_filters:");
      if (filters == "Seccomp_filters:\t2") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(filters, "Seccomp_filters:\t2") << "worker " << worker;
  }
}

TEST_P(SandboxedDaemon, ServesEveryCommandAndEveryErrorWithoutLosingAProcess) {
  for (const char* request :
       {":which:\n", ":uptime:\n", ":version:\n", ":pwd:\n", ":arg:\n", ":ps:\n", ":log_level:\n",
        ":log_level:\ndebug\n", ":debug:\n2\n", ":help:\nuptime\n", ":get_statistics:\nall\n",
        ":list_statistics:\n", ":reset_statistics:\ndatagram:\n"}) {
    const std::string reply = ask_ok(request);
    EXPECT_EQ(reply.rfind("200 OK\n", 0), 0U) << request << " -> " << reply;
  }
  for (const char* request : {"", "version", ":nosuch:\n", ":help:\n\"x\n", ":kill:\n",
                              ":get_statistics:\nnosuch:\n", ":uptime:\nextra\n"}) {
    const std::string reply = ask_ok(request);
    EXPECT_TRUE(reply[0] == '4') << request << " -> " << reply;
  }
  EXPECT_EQ(ask_ok(std::string(65458, 'x')), "400 bad request at byte 65457: request too large\n");
  const std::string stats = ask_ok(":get_statistics:\ncore:\n");
  EXPECT_EQ(statistic(stats, "core:worker_restarts"), 0) << stats << daemon_->log();
  EXPECT_EQ(statistic(stats, "core:processes"), 3);
  EXPECT_TRUE(daemon_->running());
  EXPECT_EQ(daemon_->log().find("signal"), std::string::npos) << daemon_->log();
}

INSTANTIATE_TEST_SUITE_P(Modes, SandboxedDaemon, ::testing::Values("kill", "trap"));

}  // namespace
}  // namespace mid::e2e

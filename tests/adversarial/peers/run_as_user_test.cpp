// The run-as user: nobody is shared with other services (any process of
// theirs may signal the daemon, and SIGKILL cannot be ignored), so the
// dedicated user the packages create is the default where it exists, and
// running as nobody is warned about.

#include <signal.h>

#include <gtest/gtest.h>

#include "peer_support.hpp"

namespace mid::adversarial {
namespace {

using namespace std::chrono_literals;

constexpr uid_t kDedicated = 4344;

// Runs `command` (a shell command) in a private mount namespace whose
// /etc/passwd and /etc/group hold the dedicated user _mi-datagram, as the
// packages create it; the host's files are untouched.
std::vector<std::string> with_dedicated_user(const e2e::Scratch& scratch,
                                             const std::string& command) {
  const std::string id = std::to_string(kDedicated);
  return {"/usr/bin/unshare",
          "--mount",
          "--propagation",
          "private",
          "/bin/sh",
          "-c",
          "set -e; cp /etc/passwd " + scratch.path("passwd") + "; cp /etc/group " +
              scratch.path("group") + "; echo '_mi-datagram:x:" + id + ":" + id +
              ":mi-datagram:/nonexistent:/usr/sbin/nologin' >> " + scratch.path("passwd") +
              "; echo '_mi-datagram:x:" + id + ":' >> " + scratch.path("group") +
              "; mount --bind " + scratch.path("passwd") + " /etc/passwd; mount --bind " +
              scratch.path("group") + " /etc/group; " + command};
}

TEST(RunAsUser, DefaultIsTheDedicatedUserWhereItExists) {
  e2e::Scratch scratch;
  const std::string config = scratch.path("mi.conf");
  write_text(config, "socket_name = " + scratch.path("mi.sock") + "\n");
  const e2e::RunResult checked = e2e::run_program(
      with_dedicated_user(scratch, "exec " + e2e::daemon_path() + " --check-config -c " + config));
  EXPECT_EQ(checked.exit_status, 0) << checked.output;
  EXPECT_NE(checked.output.find("\nuser = \"_mi-datagram\"\n"), std::string::npos)
      << checked.output;
  EXPECT_NE(checked.output.find("\ngroup = \"" + std::to_string(kDedicated) + "\"\n"),
            std::string::npos)
      << checked.output;

  // The daemon itself, started there: its processes run as the dedicated uid.
  Spawned daemon = spawn(
      with_dedicated_user(scratch, "exec " + e2e::daemon_path() + " --foreground -c " + config));
  const std::vector<pid_t> pids = e2e::wait_for_processes(scratch.path("mi.sock"), 2);
  ASSERT_EQ(pids.size(), 2U);
  std::string uid_line = "Uid:";
  for (int i = 0; i < 4; ++i) uid_line += "\t" + std::to_string(kDedicated);
  for (const pid_t pid : pids) EXPECT_EQ(e2e::proc_status_line(pid, "Uid:"), uid_line);
  kill(daemon.pid, SIGTERM);
  const e2e::RunResult run = finish(daemon, 10s);
  EXPECT_EQ(run.output.find("running as nobody"), std::string::npos) << run.output;
}

TEST(RunAsUser, RunningAsNobodyIsWarnedAbout) {
  e2e::Scratch scratch;
  e2e::Daemon daemon(scratch, "socket_name = " + scratch.path("mi.sock") + "\nuser = nobody\n");
  ASSERT_TRUE(daemon.running()) << daemon.log();
  EXPECT_NE(daemon.log().find("master warning: running as nobody, which other services share"),
            std::string::npos)
      << daemon.log();
}

}  // namespace
}  // namespace mid::adversarial

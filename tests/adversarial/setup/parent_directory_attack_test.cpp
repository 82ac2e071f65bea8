// Another local user attacks the directories on the way to the socket: a
// link planted in a sticky, world-writable directory; a parent swapped for
// a link while the daemon sets up; a directory the run-as user or a group
// can write.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "attacker.hpp"

namespace mid::adversarial {
namespace {

using namespace std::chrono_literals;

std::string config_for(const e2e::Scratch& scratch, const std::string& socket,
                       const std::string& extra = "") {
  std::string path = scratch.path("mi-datagramd.conf");
  write_file(path, "socket_name = " + socket + "\n" + extra);
  return path;
}

// /tmp/run -> /root-only, planted by another user: followed, the daemon
// (root) would create its socket in a directory only root may enter.
TEST(ParentDirectoryAttack, LinkPlantedInAStickyDirectoryIsNotFollowed) {
  e2e::Scratch scratch;
  const std::string sticky = scratch.path("tmp");
  const std::string vault = scratch.path("root-only");
  make_dir(sticky, 0, 0, 01777);
  make_dir(vault, 0, 0, 0700);
  const std::string link = sticky + "/run";
  const e2e::RunResult planted = run_as(kStranger, {"/bin/ln", "-s", vault, link});
  ASSERT_EQ(planted.exit_status, 0) << planted.output;

  const e2e::RunResult run = start_daemon(config_for(scratch, link + "/mi.sock"));
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("refusing to follow symbolic link " + link +
                            ": it is owned by uid 4242, not by root"),
            std::string::npos)
      << run.output;
  EXPECT_TRUE(is_empty_directory(vault)) << "nothing created in the root-only directory";
}

// The swap: the stranger owns a directory on the path with a stale socket
// in it. Once the daemon has seen the stale socket and is about to probe
// it (its first bind(2), the probe's autobind, is held for 1.5 s by strace
// fault injection: the race widened), the stranger moves the directory
// away and puts a link to a root-only directory in its place, where a
// root-owned regular file has the socket's name. connect(2) to a regular
// file is refused like a connect to a stale socket, so a daemon that then
// unlinks by path deletes that file.
TEST(ParentDirectoryAttack, ParentSwappedDuringSetUpCannotDeleteARootFile) {
  ASSERT_EQ(access("/usr/bin/strace", X_OK), 0) << "strace widens the race (scripts/install-deps)";
  e2e::Scratch scratch;
  const std::string sticky = scratch.path("tmp");
  const std::string vault = scratch.path("vault");
  make_dir(sticky, 0, 0, 01777);
  make_dir(vault, 0, 0, 0700);
  write_file(vault + "/mi.sock", "precious", 0, 0, 0600);
  const std::string theirs = sticky + "/att";
  const std::string parent = theirs + "/d";
  ASSERT_EQ(as_user(kStranger,
                    [&] {
                      if (mkdir(theirs.c_str(), 0755) != 0 || mkdir(parent.c_str(), 0755) != 0) {
                        return 1;
                      }
                      const int stale = bind_unix_socket(parent + "/mi.sock");
                      return stale >= 0 && close(stale) == 0 ? 0 : 2;
                    }),
            0);
  const std::string config = config_for(scratch, parent + "/mi.sock");

  auto daemon = std::async(std::launch::async, [&] {
    return start_daemon(config, {"/usr/bin/strace", "-f", "-qq", "-o", "/dev/null", "-e",
                                 "trace=bind", "-e", "inject=bind:delay_exit=1500000"});
  });
  std::this_thread::sleep_for(700ms);
  const e2e::RunResult swapped = run_as(
      kStranger,
      {"/bin/sh", "-c", "mv " + parent + " " + parent + ".old && ln -s " + vault + " " + parent});
  const e2e::RunResult run = daemon.get();
  ASSERT_EQ(swapped.exit_status, 0) << swapped.output;
  struct stat st {};
  ASSERT_EQ(lstat(parent.c_str(), &st), 0);
  ASSERT_TRUE(S_ISLNK(st.st_mode)) << "the swap was made";

  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("directory " + theirs +
                            " is owned by uid 4242; only root may own a directory on this path"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(read_file(vault + "/mi.sock"), "precious") << "the root-owned file is still there";
}

// Whoever runs as the run-as user (nobody: shared by other services)
// could replace the socket in a directory it owns after the daemon starts.
TEST(ParentDirectoryAttack, DirectoryOfTheRunAsUserIsRefused) {
  e2e::Scratch scratch;
  const std::string run_dir = scratch.path("run");
  make_dir(run_dir, kNobody, kNobody, 0755);
  const e2e::RunResult run = start_daemon(config_for(scratch, run_dir + "/mi.sock"));
  EXPECT_EQ(run.exit_status, 1) << run.output;
  EXPECT_NE(run.output.find("socket " + run_dir + "/mi.sock: directory " + run_dir +
                            " is owned by uid 65534; only root may own a directory on this path"),
            std::string::npos)
      << run.output;
  EXPECT_TRUE(is_empty_directory(run_dir));
}

// A group the stranger belongs to may write the directory: refused, even
// with the sticky bit (a member could squat the name while the daemon is
// stopped and answer its clients).
TEST(ParentDirectoryAttack, DirectoryAGroupCanWriteIsRefused) {
  for (const mode_t mode : {0775U, 01775U}) {
    e2e::Scratch scratch;
    const std::string run_dir = scratch.path("run");
    make_dir(run_dir, 0, kStranger, mode);
    const e2e::RunResult squat = run_as(kStranger, {"/usr/bin/touch", run_dir + "/squat"});
    ASSERT_EQ(squat.exit_status, 0) << "the group can write there: " << squat.output;
    const e2e::RunResult run = start_daemon(config_for(scratch, run_dir + "/mi.sock"));
    EXPECT_EQ(run.exit_status, 1) << run.output;
    EXPECT_NE(run.output.find("directory " + run_dir + " is writable by its group or others"),
              std::string::npos)
        << run.output;
    struct stat st {};
    EXPECT_NE(lstat((run_dir + "/mi.sock").c_str(), &st), 0);
  }
}

}  // namespace
}  // namespace mid::adversarial

// Another local user tries to change the daemon's configuration file,
// which the daemon reads as root: through a group that may write it, by
// owning it, or by planting a link to a file of its choice.
#include <unistd.h>

#include <gtest/gtest.h>

#include "attacker.hpp"

namespace mid::adversarial {
namespace {

e2e::RunResult check_config(const std::string& path) {
  return e2e::run_program({e2e::daemon_path(), "--check-config", "--config", path});
}

TEST(ConfigFileAttack, FileAGroupMemberEditedIsRefused) {
  e2e::Scratch scratch;
  const std::string path = scratch.path("mi-datagramd.conf");
  write_file(path, "socket_name = " + scratch.path("mi.sock") + "\n", 0, kStranger, 0664);
  const e2e::RunResult edited =
      run_as(kStranger, {"/bin/sh", "-c", "echo 'user = root' >> " + path});
  ASSERT_EQ(edited.exit_status, 0) << edited.output;
  ASSERT_NE(read_file(path).find("user = root"), std::string::npos) << "the edit was made";
  const e2e::RunResult run = check_config(path);
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_EQ(run.output, "mi-datagramd: " + path +
                            ": refusing a configuration file writable by its group or others "
                            "(mode 0664; chmod go-w)\n");
}

TEST(ConfigFileAttack, FileAnotherUserOwnsIsRefused) {
  e2e::Scratch scratch;
  const std::string path = scratch.path("mi-datagramd.conf");
  write_file(path, "socket_name = " + scratch.path("mi.sock") + "\n", kStranger, kStranger, 0644);
  const e2e::RunResult edited =
      run_as(kStranger, {"/bin/sh", "-c", "echo 'user = root' >> " + path});
  ASSERT_EQ(edited.exit_status, 0) << edited.output;
  const e2e::RunResult run = check_config(path);
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_EQ(run.output, "mi-datagramd: " + path +
                            ": refusing a configuration file owned by uid 4242: only root may "
                            "own it\n");
}

// A link in a sticky directory, made by the stranger, to a root-owned file
// that passes every check on its own: refused, because of who made the link.
TEST(ConfigFileAttack, LinkPlantedInAStickyDirectoryIsRefused) {
  e2e::Scratch scratch;
  const std::string sticky = scratch.path("tmp");
  make_dir(sticky, 0, 0, 01777);
  const std::string target = scratch.path("elsewhere.conf");
  write_file(target, "socket_name = " + scratch.path("mi.sock") + "\nuser = root\n");
  const std::string link = sticky + "/mi-datagramd.conf";
  const e2e::RunResult planted = run_as(kStranger, {"/bin/ln", "-s", target, link});
  ASSERT_EQ(planted.exit_status, 0) << planted.output;
  const e2e::RunResult run = check_config(link);
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_EQ(run.output, "mi-datagramd: " + link + ": refusing to follow symbolic link " + link +
                            ": it is owned by uid 4242, not by root\n");
  EXPECT_EQ(check_config(target).exit_status, 0) << "the target alone is fine";
}

// The stranger owns the directory: it could swap a root-owned file there
// for its own at any time.
TEST(ConfigFileAttack, FileInADirectoryAnotherUserOwnsIsRefused) {
  e2e::Scratch scratch;
  const std::string theirs = scratch.path("etc");
  make_dir(theirs, kStranger, kStranger, 0755);
  const std::string path = theirs + "/mi-datagramd.conf";
  write_file(path, "socket_name = " + scratch.path("mi.sock") + "\n");
  const e2e::RunResult run = check_config(path);
  EXPECT_EQ(run.exit_status, 2) << run.output;
  EXPECT_EQ(run.output, "mi-datagramd: " + path + ": directory " + theirs +
                            " is owned by uid 4242; only root may own a directory on this path\n");
}

}  // namespace
}  // namespace mid::adversarial

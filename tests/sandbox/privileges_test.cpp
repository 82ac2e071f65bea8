#include "sandbox/privileges.hpp"

#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "child.hpp"

namespace mid::sandbox {
namespace {

using testing::ChildIo;
using testing::proc_status_value;
using testing::run_in_child;

// Debian's nobody/nogroup; the tests need no name service.
constexpr uid_t kNobody = 65534;
constexpr gid_t kNogroup = 65534;
constexpr std::string_view kNoCaps = "0000000000000000";

std::string read_own_status() {
  std::ifstream in("/proc/self/status");
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// CI runs as root; a test that needs root fails (never skips) without it.
#define MID_REQUIRE_ROOT() ASSERT_EQ(geteuid(), 0u) << "this test needs root (CI runs as root)"

TEST(DropPrivileges, LeavesNobodyNogroupNoGroupsNoCapabilitiesAndNoNewPrivs) {
  MID_REQUIRE_ROOT();
  const auto child = run_in_child([](const ChildIo& io) {
    drop_privileges_or_die(kNobody, kNogroup);
    testing::report(io, read_own_status());
    return 0;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  const std::string& status = child.report;
  EXPECT_EQ(proc_status_value(status, "Uid"), "65534 65534 65534 65534");
  EXPECT_EQ(proc_status_value(status, "Gid"), "65534 65534 65534 65534");
  EXPECT_EQ(proc_status_value(status, "Groups"), "");
  for (const char* key : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
    EXPECT_EQ(proc_status_value(status, key), kNoCaps) << key;
  }
  EXPECT_EQ(proc_status_value(status, "NoNewPrivs"), "1");
}

TEST(DropPrivileges, RemovesSupplementaryGroupsTheProcessHad) {
  MID_REQUIRE_ROOT();
  const auto child = run_in_child([](const ChildIo& io) {
    const gid_t groups[] = {4, 27, 100};
    if (setgroups(3, groups) != 0) return 2;
    drop_privileges_or_die(kNobody, kNogroup);
    testing::report(io, read_own_status());
    return 0;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(proc_status_value(child.report, "Groups"), "");
}

TEST(DropPrivileges, RefusesUidZeroWithAMessage) {
  MID_REQUIRE_ROOT();
  const auto child = run_in_child([](const ChildIo&) {
    drop_privileges_or_die(0, kNogroup);
    return 0;
  });
  EXPECT_TRUE(child.exited_with(1)) << child.describe();
  EXPECT_NE(child.errors.find("uid 0"), std::string::npos) << child.errors;
}

TEST(DropPrivileges, DiesWithAMessageWhenNotRoot) {
  MID_REQUIRE_ROOT();
  const auto child = run_in_child([](const ChildIo&) {
    if (setresuid(kNobody, kNobody, kNobody) != 0) return 2;
    drop_privileges_or_die(kNobody, kNogroup);
    return 0;
  });
  EXPECT_TRUE(child.exited_with(1)) << child.describe();
  EXPECT_NE(child.errors.find("not running as root"), std::string::npos) << child.errors;
}

TEST(SetNoNewPrivs, SetsTheFlag) {
  const auto child = run_in_child([](const ChildIo& io) {
    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0) return 2;
    set_no_new_privs_or_die();
    testing::report(io, read_own_status());
    return 0;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(proc_status_value(child.report, "NoNewPrivs"), "1");
}

TEST(DropCapabilities, ClearsWhatANonRootProcessKept) {
  MID_REQUIRE_ROOT();
  const auto child = run_in_child([](const ChildIo& io) {
    // A non-root process that still holds permitted capabilities, like a
    // service started with capabilities kept across its uid change.
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return 2;
    if (setresgid(kNogroup, kNogroup, kNogroup) != 0) return 3;
    if (setresuid(kNobody, kNobody, kNobody) != 0) return 4;
    const std::string before = read_own_status();
    if (proc_status_value(before, "CapPrm") == kNoCaps) return 5;
    drop_capabilities_or_die();
    testing::report(io, read_own_status());
    return 0;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  for (const char* key : {"CapInh", "CapPrm", "CapEff", "CapAmb"}) {
    EXPECT_EQ(proc_status_value(child.report, key), kNoCaps) << key;
  }
}

TEST(DropCapabilities, LeavesRootWithNoCapabilityInAnySet) {
  MID_REQUIRE_ROOT();
  // `user = root` set explicitly: the daemon stays uid 0 but powerless.
  const auto child = run_in_child([](const ChildIo& io) {
    drop_capabilities_or_die();
    set_no_new_privs_or_die();
    testing::report(io, read_own_status());
    return 0;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  for (const char* key : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
    EXPECT_EQ(proc_status_value(child.report, key), kNoCaps) << key;
  }
  EXPECT_EQ(proc_status_value(child.report, "NoNewPrivs"), "1");
}

}  // namespace
}  // namespace mid::sandbox

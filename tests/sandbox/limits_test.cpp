#include "sandbox/limits.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "child.hpp"

namespace mid::sandbox {
namespace {

using testing::ChildIo;
using testing::run_in_child;

std::string limit_text(int resource) {
  rlimit limit{};
  if (getrlimit(resource, &limit) != 0) return "error";
  return std::to_string(limit.rlim_cur) + "/" + std::to_string(limit.rlim_max);
}

std::string describe_limits() {
  return "core=" + limit_text(RLIMIT_CORE) + " nofile=" + limit_text(RLIMIT_NOFILE) +
         " fsize=" + limit_text(RLIMIT_FSIZE) +
         " dumpable=" + std::to_string(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
}

TEST(LimitResources, SetsCoreNofileFsizeAndDumpableWhenStderrIsAPipe) {
  const auto child = run_in_child([](const ChildIo& io) {
    const FileSizeLimit fsize = limit_resources_or_die();
    testing::report(io, describe_limits());
    return fsize == FileSizeLimit::zero ? 0 : 2;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(child.report, "core=0/0 nofile=64/64 fsize=0/0 dumpable=0");
}

TEST(LimitResources, LeavesFsizeAloneWhenStderrIsARegularFile) {
  const auto child = run_in_child([](const ChildIo& io) {
    char path[] = "/tmp/mid-sandbox-stderr-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0 || unlink(path) != 0 || dup2(fd, STDERR_FILENO) < 0) return 2;
    rlimit fsize_before{};
    if (getrlimit(RLIMIT_FSIZE, &fsize_before) != 0) return 6;
    const FileSizeLimit fsize = limit_resources_or_die({.open_files = 32});
    rlimit fsize_after{};
    if (getrlimit(RLIMIT_FSIZE, &fsize_after) != 0) return 7;
    // The log line that would have killed the daemon with SIGXFSZ.
    if (write(STDERR_FILENO, "a log line\n", 11) != 11) return 3;
    testing::report(io, describe_limits());
    if (fsize_after.rlim_cur != fsize_before.rlim_cur) return 4;
    return fsize == FileSizeLimit::left_alone ? 0 : 5;
  });
  ASSERT_TRUE(child.exited_with(0)) << child.describe();
  EXPECT_EQ(child.report.substr(0, 26), "core=0/0 nofile=32/32 fsiz");
}

TEST(LimitResources, RefusesMoreOpenFilesThanSelectCanHandle) {
  const auto child = run_in_child([](const ChildIo&) {
    static_cast<void>(limit_resources_or_die({.open_files = FD_SETSIZE + 1}));
    return 0;
  });
  EXPECT_TRUE(child.exited_with(1)) << child.describe();
  EXPECT_NE(child.errors.find("RLIMIT_NOFILE"), std::string::npos) << child.errors;
}

TEST(LimitResources, NewDescriptorsStopAtTheLimit) {
  const auto child = run_in_child([](const ChildIo&) {
    static_cast<void>(limit_resources_or_die({.open_files = 16}));
    for (int i = 0; i < 16; ++i) {
      if (open("/dev/null", O_RDONLY) < 0) return errno == EMFILE ? 0 : 2;
    }
    return 3;  // 16 more descriptors on top of stdin/out/err: the limit did not hold
  });
  EXPECT_TRUE(child.exited_with(0)) << child.describe();
}

}  // namespace
}  // namespace mid::sandbox

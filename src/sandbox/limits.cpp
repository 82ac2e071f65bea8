#include "sandbox/limits.hpp"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/die.hpp"

namespace mid::sandbox {
namespace {

// Sets soft and hard to `wanted`, or to the current hard limit if that is
// lower already (raising it would need CAP_SYS_RESOURCE and is not wanted).
void set_limit_or_die(int resource, rlim_t wanted, const char* name) noexcept {
  rlimit current{};
  if (getrlimit(resource, &current) != 0) die_errno("getrlimit(%s)", name);
  const rlim_t value = current.rlim_max < wanted ? current.rlim_max : wanted;
  const rlimit limit{value, value};
  if (setrlimit(resource, &limit) != 0) {
    die_errno("setrlimit(%s, %llu)", name, static_cast<unsigned long long>(value));
  }
  rlimit check{};
  if (getrlimit(resource, &check) != 0) die_errno("getrlimit(%s)", name);
  if (check.rlim_cur != value || check.rlim_max != value) {
    die("%s is %llu/%llu after setrlimit, expected %llu", name,
        static_cast<unsigned long long>(check.rlim_cur),
        static_cast<unsigned long long>(check.rlim_max), static_cast<unsigned long long>(value));
  }
}

bool is_regular_file(int fd) noexcept {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

FileSizeLimit limit_resources_or_die(const ResourceLimits& limits) noexcept {
  if (limits.open_files < 8 || limits.open_files > FD_SETSIZE) {
    die("RLIMIT_NOFILE %llu is out of range 8..%d",
        static_cast<unsigned long long>(limits.open_files), FD_SETSIZE);
  }
  set_limit_or_die(RLIMIT_CORE, 0, "RLIMIT_CORE");
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) die_errno("prctl(PR_SET_DUMPABLE, 0)");
  if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) die("PR_GET_DUMPABLE is not 0 after setting it");
  set_limit_or_die(RLIMIT_NOFILE, limits.open_files, "RLIMIT_NOFILE");
  if (is_regular_file(STDOUT_FILENO) || is_regular_file(STDERR_FILENO)) {
    return FileSizeLimit::left_alone;
  }
  set_limit_or_die(RLIMIT_FSIZE, 0, "RLIMIT_FSIZE");
  return FileSizeLimit::zero;
}

}  // namespace mid::sandbox

#include "server/process_setup.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "log/log.hpp"
#include "sandbox/privileges.hpp"

namespace mid::server {

namespace {

[[noreturn]] void fail_early(const char* what, int error) {
  // Before logging starts: stderr is the only place to say it.
  (void)std::fprintf(stderr, "mi-datagramd: %s: %s\n", what, std::strerror(error));
  std::exit(1);
}

// Without close_range (Linux < 5.9): one close per possible descriptor.
void close_each_from(int lowest) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) fail_early("getrlimit(RLIMIT_NOFILE)", errno);
  const rlim_t end = limit.rlim_cur == RLIM_INFINITY ? 1048576 : limit.rlim_cur;
  for (rlim_t fd = static_cast<rlim_t>(lowest); fd < end; ++fd) (void)close(static_cast<int>(fd));
}

}  // namespace

void close_inherited_descriptors_or_die(int lowest) {
  if (lowest < 3) lowest = 3;
  for (int fd = 0; fd < 3; ++fd) {
    if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    // open() returns the lowest free descriptor: this one.
    const int null_fd = open("/dev/null", O_RDWR);
    if (null_fd != fd) fail_early("cannot open /dev/null for a closed standard stream", errno);
  }
  if (close_range(static_cast<unsigned>(lowest), ~0U, 0) == 0) return;
  if (errno != ENOSYS) fail_early("close_range", errno);
  close_each_from(lowest);
}

void start_logging(const config::Config& config, bool foreground, const char* ident) {
  log::Target target = config.log_target == config::LogTarget::syslog ? log::Target::syslog
                                                                      : log::Target::stderr_stream;
  // Detached, stderr is /dev/null: syslog is the only place a log can go.
  if (!foreground) target = log::Target::syslog;
  log::init(target, static_cast<log::Level>(config.log_level), ident);
  log::set_role("master");
}

void warn_about_weakened_settings(const config::Config& config) {
  if (config.sandbox == config::SandboxMode::off) {
    MID_LOG(warning,
            "SANDBOX IS OFF: no seccomp filter will confine this daemon; a bug in request "
            "handling would have the full system-call surface of user %s",
            config.user.text.empty() ? "(inherited)" : config.user.text.c_str());
  }
  if (config.user.id && *config.user.id == 0 && geteuid() == 0) {
    MID_LOG(warning, "user = root: the daemon keeps running as root after binding its socket");
  }
  if (config.enable_kill) MID_LOG(notice, "the kill command is enabled");
  const passwd* nobody = config.user.id ? getpwnam("nobody") : nullptr;
  if (nobody != nullptr && *config.user.id == nobody->pw_uid) {
    MID_LOG(warning,
            "running as nobody, which other services share: any process of theirs can kill "
            "this daemon's processes; create the user _mi-datagram (the packages do) or set user");
  }
}

void detach_or_die() {
  const pid_t pid = fork();
  if (pid < 0) {
    MID_LOG(error, "cannot fork into the background: %s", std::strerror(errno));
    std::exit(1);
  }
  if (pid > 0) _exit(0);
  if (setsid() < 0) {
    MID_LOG(error, "setsid failed: %s", std::strerror(errno));
    std::exit(1);
  }
  const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0) {
    MID_LOG(error, "cannot redirect standard streams to /dev/null: %s", std::strerror(errno));
    std::exit(1);
  }
  if (null_fd > 2) close(null_fd);
}

void drop_privileges_or_die(const config::Config& config) {
  if (geteuid() != 0) {
    sandbox::drop_capabilities_or_die();
    sandbox::set_no_new_privs_or_die();
    return;
  }
  if (!config.user.id || !config.group.id) {
    MID_LOG(error, "running as root but no user/group to drop to");
    std::exit(1);
  }
  if (*config.user.id == 0) {
    sandbox::drop_capabilities_or_die();
    sandbox::set_no_new_privs_or_die();
    return;
  }
  sandbox::drop_privileges_or_die(*config.user.id, *config.group.id);
  MID_LOG(info, "running as uid %u gid %u", *config.user.id, *config.group.id);
}

sandbox::Mode sandbox_mode(const config::Config& config) noexcept {
  switch (config.sandbox) {
    case config::SandboxMode::kill:
      return sandbox::Mode::kill;
    case config::SandboxMode::trap:
      return sandbox::Mode::trap;
    case config::SandboxMode::off:
      return sandbox::Mode::off;
  }
  return sandbox::Mode::kill;
}

}  // namespace mid::server

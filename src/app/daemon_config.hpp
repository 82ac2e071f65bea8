#pragma once

#include "app/daemon_options.hpp"
#include "config/config.hpp"
#include "sandbox/seccomp.hpp"

// The steps of mi-datagramd's startup that are about configuration and
// process identity. Each either succeeds or ends the process with a
// message naming what failed (exit 2 for configuration, 1 for the OS).
namespace mid::app {

// The file (options.config_path, or the default file when it exists),
// then the flags, then names resolved. Errors: "FILE:LINE: key: what".
[[nodiscard]] config::Config load_daemon_config_or_die(const DaemonOptions& options);

// --check-config: prints the effective settings and returns 0.
int print_checked_config(const config::Config& config);

void start_logging(const config::Config& config, bool foreground);
void warn_about_weakened_settings(const config::Config& config);

// Forks into the background: the parent exits 0, the child starts a new
// session and points its standard streams at /dev/null.
void detach_or_die();

// Root: drop to config.user/config.group (nobody/nogroup by default);
// stays root only for an explicit `user = root`, and then still drops
// every capability it does not need. Not root: sets no_new_privs only.
void drop_privileges_or_die(const config::Config& config);

[[nodiscard]] sandbox::Mode sandbox_mode(const config::Config& config) noexcept;

}  // namespace mid::app

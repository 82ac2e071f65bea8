#pragma once

#include "config/config.hpp"
#include "sandbox/seccomp.hpp"

// The steps of the startup sequence that concern the process itself. Each
// succeeds or ends the process with a message naming what failed.
namespace mid::server {

// Closes every descriptor from `lowest` (>= 3) up, so nothing the daemon
// was started with (`7<secret`, a shell's or a service manager's
// leftovers) reaches the workers, and opens /dev/null on any of 0, 1, 2
// that is closed (so no socket opened later becomes standard error and
// receives log lines). Socket activation would keep 3..3+LISTEN_FDS-1 by
// passing 3 + LISTEN_FDS. Call it first in main: it closes descriptors
// that library code may hold. Exits 1 naming what failed.
void close_inherited_descriptors_or_die(int lowest);

void start_logging(const config::Config& config, bool foreground, const char* ident);
// Warns about settings that weaken the daemon: the sandbox off, user =
// root, and running as `nobody`, which other services share (any process
// running as nobody may send the daemon's processes SIGKILL or SIGSTOP).
void warn_about_weakened_settings(const config::Config& config);

// Forks into the background: the parent exits 0, the child starts a new
// session and points its standard streams at /dev/null.
void detach_or_die();

// Root: drop to config.user/config.group (nobody/nogroup by default);
// stays root only for an explicit `user = root`, and then still drops
// every capability. Not root: drops capabilities, sets no_new_privs.
void drop_privileges_or_die(const config::Config& config);

[[nodiscard]] sandbox::Mode sandbox_mode(const config::Config& config) noexcept;

}  // namespace mid::server

#pragma once

#include "config/config.hpp"
#include "sandbox/seccomp.hpp"

// The steps of the startup sequence that concern the process itself. Each
// succeeds or ends the process with a message naming what failed.
namespace mid::server {

void start_logging(const config::Config& config, bool foreground, const char* ident);
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

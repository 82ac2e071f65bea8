#pragma once

#include "app/daemon_options.hpp"
#include "config/config.hpp"

// mi-datagramd's configuration: the file, then the flags, then names.
namespace mid::app {

// The file (options.config_path, or the default file when it exists),
// then the flags, then names resolved. Errors end the process with exit 2
// and "FILE:LINE: key: what is wrong".
[[nodiscard]] config::Config load_daemon_config_or_die(const DaemonOptions& options);

// --check-config: prints the whole effective configuration through
// format_config, as text --check-config reads back to the same output;
// returns 0, or 1 if standard output could not take it.
int print_checked_config(const config::Config& config);

}  // namespace mid::app

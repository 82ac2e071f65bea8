#pragma once

#include <string>
#include <vector>

#include "config/load_config.hpp"

// mi-datagramd's command line (mi-datagramd(8)).
namespace mid::app {

inline constexpr const char* kDefaultConfigPath = "/etc/mi-datagram/mi-datagramd.conf";

struct DaemonOptions {
  std::string config_path;  // empty: the default file if it exists
  bool config_path_given = false;
  bool foreground = false;
  bool check_config = false;
  bool help = false;
  bool version = false;
  // Settings from flags, applied after the file through the same
  // validation (config::apply_setting); the strings own the values.
  std::vector<std::pair<std::string, std::string>> settings;
};

// Parses argv. On a usage error returns false with `error` set.
[[nodiscard]] bool parse_daemon_options(int argc, char** argv, DaemonOptions& options,
                                        std::string& error);

[[nodiscard]] const char* daemon_usage() noexcept;

}  // namespace mid::app

#include "app/daemon_config.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "config/format_config.hpp"
#include "config/load_config.hpp"
#include "config/parse_config.hpp"
#include "config/settings.hpp"

namespace mid::app {
namespace {

[[noreturn]] void die_config(const config::ConfigError& error) {
  (void)std::fprintf(stderr, "mi-datagramd: %s\n", config::to_string(error).c_str());
  std::exit(2);
}

bool file_exists(const char* path) {
  return access(path, F_OK) == 0;
}

}  // namespace

config::Config load_daemon_config_or_die(const DaemonOptions& options) {
  std::vector<config::Override> overrides;
  for (const auto& [key, value] : options.settings) overrides.push_back({key, value});

  std::string path = options.config_path;
  if (!options.config_path_given && file_exists(kDefaultConfigPath)) path = kDefaultConfigPath;
  // No file at all (empty path): the flags alone, through the same validation.
  config::ConfigResult result = config::load_config(path, overrides);
  if (!result) die_config(result.error());
  return std::move(result.value());
}

int print_checked_config(const config::Config& config) {
  // The whole effective configuration as configuration text: saved to a
  // file, it reads back to the same output (format_config's round trip).
  const std::string text = "# mi-datagramd: configuration OK\n" + config::format_config(config);
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0
             ? 0
             : 1;
}

}  // namespace mid::app

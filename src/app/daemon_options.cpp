#include "app/daemon_options.hpp"

#include <string_view>

namespace mid::app {
namespace {

struct Flag {
  std::string_view long_name;
  std::string_view short_name;
  std::string_view setting;  // the configuration key it sets, if any
};

constexpr Flag kSettingFlags[] = {
    {"--socket", "-s", "socket_name"},  {"--children", "-n", "children_count"},
    {"--user", "-u", "user"},           {"--group", "-g", "group"},
    {"--sandbox", "", "sandbox"},       {"--log-level", "-l", "log_level"},
    {"--log-target", "", "log_target"},
};

// Accepts "--flag VALUE", "--flag=VALUE" and "-f VALUE".
bool take_value(std::string_view arg, const Flag& flag, int& i, int argc, char** argv,
                std::string& value, bool& matched) {
  matched = false;
  if (arg == flag.long_name || (!flag.short_name.empty() && arg == flag.short_name)) {
    matched = true;
    if (i + 1 >= argc) return false;
    value = argv[++i];
    return true;
  }
  if (arg.size() > flag.long_name.size() && arg.starts_with(flag.long_name) &&
      arg[flag.long_name.size()] == '=') {
    matched = true;
    value = std::string(arg.substr(flag.long_name.size() + 1));
    return true;
  }
  return false;
}

}  // namespace

bool parse_daemon_options(int argc, char** argv, DaemonOptions& options, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-f" || arg == "--foreground") {
      options.foreground = true;
      continue;
    }
    if (arg == "--check-config") {
      options.check_config = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      options.help = true;
      continue;
    }
    if (arg == "-V" || arg == "--version") {
      options.version = true;
      continue;
    }
    bool matched = false;
    std::string value;
    if (take_value(arg, Flag{"--config", "-c", ""}, i, argc, argv, value, matched) || matched) {
      if (!matched || value.empty()) {
        error = "--config needs a file name";
        return false;
      }
      options.config_path = value;
      options.config_path_given = true;
      continue;
    }
    bool known = false;
    for (const Flag& flag : kSettingFlags) {
      if (take_value(arg, flag, i, argc, argv, value, matched)) {
        options.settings.emplace_back(std::string(flag.setting), value);
        known = true;
        break;
      }
      if (matched) {
        error = std::string(flag.long_name) + " needs a value";
        return false;
      }
    }
    if (!known) {
      error = "unknown option: " + std::string(arg);
      return false;
    }
  }
  return true;
}

const char* daemon_usage() noexcept {
  return "Usage: mi-datagramd [OPTION]...\n"
         "Serve Management Interface commands on a UNIX or UDP datagram socket.\n"
         "\n"
         "  -c, --config FILE       configuration file (default "
         "/etc/mi-datagram/mi-datagramd.conf"
         ",\n"
         "                          read only if it exists when not given)\n"
         "  -s, --socket NAME       socket_name: a UNIX path or udp:HOST:PORT\n"
         "  -n, --children N        children_count: worker processes (1..64)\n"
         "  -u, --user USER         run as USER after binding (default when root:\n"
         "                          _mi-datagram where it exists, else nobody)\n"
         "  -g, --group GROUP       run as GROUP after binding (default when root: the\n"
         "                          user's primary group; nogroup for nobody)\n"
         "      --sandbox MODE      kill (default), trap (diagnose) or off\n"
         "  -l, --log-level LEVEL   error, warning, notice (default), info or debug\n"
         "      --log-target T      stderr (default) or syslog\n"
         "  -f, --foreground        stay in the foreground (otherwise detach and log to syslog)\n"
         "      --check-config      validate the configuration, print it, and exit\n"
         "  -h, --help              show this help and exit\n"
         "  -V, --version           show the version and exit\n"
         "\n"
         "Flags override the file. Exit status: 0 after a requested stop, 1 on a\n"
         "runtime failure, 2 on a configuration or usage error.\n"
         "See mi-datagramd(8) and mi-datagramd.conf(5).\n";
}

}  // namespace mid::app

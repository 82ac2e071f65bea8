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

// The options that take no value, each setting one field.
struct Switch {
  std::string_view long_name;
  std::string_view short_name;
  bool DaemonOptions::*field;
};

constexpr Switch kSwitches[] = {
    {"--foreground", "-f", &DaemonOptions::foreground},
    {"--check-config", "", &DaemonOptions::check_config},
    {"--help", "-h", &DaemonOptions::help},
    {"--version", "-V", &DaemonOptions::version},
};

constexpr Flag kConfigFlag = {"--config", "-c", ""};

// What a take_* function made of one argument: not its option, the option
// taken, or its option with a usage error (`error` set).
enum class Taken { no, yes, bad };

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

bool take_switch(std::string_view arg, DaemonOptions& options) {
  for (const Switch& s : kSwitches) {
    if (arg == s.long_name || (!s.short_name.empty() && arg == s.short_name)) {
      options.*s.field = true;
      return true;
    }
  }
  return false;
}

// --config is not a setting: it names the file the settings come from, and
// an empty name (--config=) is refused rather than read as "the default".
Taken take_config(std::string_view arg, int& i, int argc, char** argv, DaemonOptions& options,
                  std::string& error) {
  bool matched = false;
  std::string value;
  (void)take_value(arg, kConfigFlag, i, argc, argv, value, matched);
  if (!matched) return Taken::no;
  if (value.empty()) {
    error = "--config needs a file name";
    return Taken::bad;
  }
  options.config_path = value;
  options.config_path_given = true;
  return Taken::yes;
}

// A flag of kSettingFlags: kept as (setting, value) for config::apply_setting.
Taken take_setting(std::string_view arg, int& i, int argc, char** argv, DaemonOptions& options,
                   std::string& error) {
  for (const Flag& flag : kSettingFlags) {
    bool matched = false;
    std::string value;
    if (take_value(arg, flag, i, argc, argv, value, matched)) {
      options.settings.emplace_back(std::string(flag.setting), value);
      return Taken::yes;
    }
    if (matched) {
      error = std::string(flag.long_name) + " needs a value";
      return Taken::bad;
    }
  }
  return Taken::no;
}

}  // namespace

bool parse_daemon_options(int argc, char** argv, DaemonOptions& options, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (take_switch(arg, options)) continue;
    Taken taken = take_config(arg, i, argc, argv, options, error);
    if (taken == Taken::no) taken = take_setting(arg, i, argc, argv, options, error);
    if (taken == Taken::bad) return false;
    if (taken == Taken::no) {
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

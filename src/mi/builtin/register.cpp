#include <array>
#include <utility>

#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

namespace {

// OpenSIPS 4.x names its commands module:command; its clients may use them.
core::Status add_module_names(Registry& registry) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 15> kNames = {{
      {"core:which", "which"},
      {"core:help", "help"},
      {"core:uptime", "uptime"},
      {"core:version", "version"},
      {"core:pwd", "pwd"},
      {"core:arg", "arg"},
      {"core:ps", "ps"},
      {"core:log_level", "log_level"},
      {"core:kill", "kill"},
      {"statistics:get", "get_statistics"},
      {"statistics:reset", "reset_statistics"},
      {"statistics:list", "list_statistics"},
      {"core:get_statistics", "get_statistics"},
      {"core:reset_statistics", "reset_statistics"},
      {"core:list_statistics", "list_statistics"},
  }};
  for (const auto& [module_name, command] : kNames) {
    if (auto added = registry.add_module_name(module_name, command); !added) return added;
  }
  return {};
}

}  // namespace

core::Status register_builtins(Registry& registry, const Environment& environment) {
  using Registration = core::Status (*)(Registry&, const Environment&);
  static constexpr Registration kAll[] = {
      register_which, register_help, register_uptime,    register_version,    register_pwd,
      register_arg,   register_ps,   register_log_level, register_statistics, register_kill,
  };
  for (const Registration add : kAll) {
    if (auto added = add(registry, environment); !added) return added;
  }
  return add_module_names(registry);
}

}  // namespace mid::mi::builtin

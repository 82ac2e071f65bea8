#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

core::Status register_builtins(Registry& registry, const Environment& environment) {
  using Registration = core::Status (*)(Registry&, const Environment&);
  static constexpr Registration kAll[] = {
      register_which, register_help, register_uptime,    register_version,    register_pwd,
      register_arg,   register_ps,   register_log_level, register_statistics, register_kill,
  };
  for (const Registration add : kAll) {
    if (auto added = add(registry, environment); !added) return added;
  }
  return {};
}

}  // namespace mid::mi::builtin

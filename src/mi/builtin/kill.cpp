#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

// Stops the daemon. The worker only raises a shared flag: the master sees
// it and stops every process, so no worker needs kill(2) in its filter.
core::Status register_kill(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(Command{"kill", "stops the server (only when enable_kill is set)",
                              kNoArguments, [env](Call&) {
                                if (!env->kill_enabled) {
                                  return CommandReply{403, "kill is disabled (enable_kill = no)"};
                                }
                                env->shared->stop_requested.store(true);
                                return CommandReply{};
                              }});
}

}  // namespace mid::mi::builtin

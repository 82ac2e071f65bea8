#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

core::Status register_version(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(
      Command{"version", "shows the server's name and version", kNoArguments, [env](Call& call) {
                if (!call.tree.add_kid(kRoot, NodeName{"Server"}, env->server)) {
                  return CommandReply{500, "reply too large"};
                }
                return CommandReply{};
              }});
}

}  // namespace mid::mi::builtin

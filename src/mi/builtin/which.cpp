#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

// One nameless line per command, in registration order, as the 1.x `which`.
core::Status register_which(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(Command{"which", "lists every command", kNoArguments,
                              [env](Call& call) {
                                for (const Command& command : env->registry->commands()) {
                                  if (!call.tree.add_kid(kRoot, {}, command.name)) {
                                    return CommandReply{500, "reply too large"};
                                  }
                                }
                                return CommandReply{};
                              },
                              DeclaredClass::read});
}

}  // namespace mid::mi::builtin

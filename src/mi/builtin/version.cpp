#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

namespace {

// Reply node names, checked by the compiler (mi/node_name.hpp).
constexpr NodeName kServer{"Server"};

}  // namespace

core::Status register_version(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(Command{"version", "shows the server's name and version", kNoArguments,
                              [env](Call& call) {
                                if (!call.tree.add_kid(kRoot, kServer, env->server)) {
                                  return CommandReply{500, "reply too large"};
                                }
                                return CommandReply{};
                              },
                              DeclaredClass::read});
}

}  // namespace mid::mi::builtin

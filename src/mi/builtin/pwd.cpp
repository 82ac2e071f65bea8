#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

namespace {

// Reply node names, checked by the compiler (mi/node_name.hpp).
constexpr NodeName kWorkingDirectory{"WD"};

}  // namespace

// The directory is read once at start: the workers may not call getcwd
// under their seccomp filter, and the daemon never changes directory.
core::Status register_pwd(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(
      Command{"pwd", "shows the server's working directory", kNoArguments,
              [env](Call& call) {
                if (!call.tree.add_kid(kRoot, kWorkingDirectory, env->working_directory)) {
                  return CommandReply{500, "reply too large"};
                }
                return CommandReply{};
              },
              DeclaredClass::read});
}

}  // namespace mid::mi::builtin

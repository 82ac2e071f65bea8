#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

// One nameless line per word of the command line the server started with
// (a JSON array).
core::Status register_arg(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(Command{"arg", "shows the command line the server was started with",
                              kNoArguments,
                              [env](Call& call) {
                                if (!call.tree.make_array(kRoot)) {
                                  return CommandReply{500, "reply too large"};
                                }
                                for (const std::string& word : env->arguments) {
                                  if (!call.tree.add_kid(kRoot, {}, word)) {
                                    return CommandReply{500, "reply too large"};
                                  }
                                }
                                return CommandReply{};
                              },
                              DeclaredClass::read});
}

}  // namespace mid::mi::builtin

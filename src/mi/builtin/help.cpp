#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

namespace {

// Reply node names, checked by the compiler (mi/node_name.hpp).
constexpr NodeName kHelp{"Help"};

}  // namespace

core::Status register_help(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(Command{"help", "shows the help text of the command named by its argument",
                              kNoFlags, [env](Call& call) {
                                if (call.arguments.size() != 1)
                                  return bad_arguments(call, "one command name");
                                const std::string_view name = call.arguments[0].value;
                                const Command* command = env->registry->find(name);
                                if (command == nullptr) {
                                  auto reason = call.reason.start();
                                  reason.put("unknown command: ");
                                  reason.put(name);
                                  return CommandReply{404, reason.view()};
                                }
                                if (!call.tree.add_kid(kRoot, kHelp, command->help)) {
                                  return CommandReply{500, "reply too large"};
                                }
                                return CommandReply{};
                              }});
}

}  // namespace mid::mi::builtin

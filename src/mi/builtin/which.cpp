#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

bool add_command_names(Tree& tree, NodeId parent, const Registry& registry) noexcept {
  for (const Command& command : registry.commands()) {
    if (!tree.add_kid(parent, {}, command.name)) return false;
  }
  return true;
}

CommandReply unknown_command(Call& call, std::string_view name) noexcept {
  auto reason = call.reason.start();
  reason.put("unknown command: ");
  reason.put(name);
  return CommandReply{404, reason.view()};
}

namespace {

// Every command name, in registration order: a JSON array, one nameless
// line each in text (as the 1.x `which`).
CommandReply list_commands(Call& call, const Registry& registry) noexcept {
  const bool ok = call.tree.make_array(kRoot).ok() && add_command_names(call.tree, kRoot, registry);
  return ok ? CommandReply{} : CommandReply{500, "reply too large"};
}

// The forms `name` accepts, one array of parameter names each (as the
// OpenSIPS 3.x `which` with `command`); none for a command that declares
// no forms.
CommandReply list_forms(Call& call, const Registry& registry, std::string_view name) noexcept {
  const Command* command = registry.find(name);
  if (command == nullptr) return unknown_command(call, name);
  if (!call.tree.make_array(kRoot)) return CommandReply{500, "reply too large"};
  for (const ParamForm& form : command->forms) {
    const auto list = call.tree.add_array(kRoot, NodeName::nameless());
    if (!list) return CommandReply{500, "reply too large"};
    for (const Param& param : form) {
      if (!call.tree.add_kid(list.value(), {}, param.name)) {
        return CommandReply{500, "reply too large"};
      }
    }
  }
  return CommandReply{};
}

}  // namespace

core::Status register_which(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  Command which{"which",
                "lists every command; with a command name, the forms of parameters it accepts",
                kNoFlags,
                [env](Call& call) {
                  if (call.arguments.empty()) return list_commands(call, *env->registry);
                  return list_forms(call, *env->registry, call.arguments[0].value);
                },
                DeclaredClass::read};
  which.forms = {{}, {{"command"}}};
  return registry.add(std::move(which));
}

}  // namespace mid::mi::builtin

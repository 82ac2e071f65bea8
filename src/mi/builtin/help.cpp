#include <algorithm>

#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

namespace {

// Reply node names, checked by the compiler (mi/node_name.hpp).
constexpr NodeName kHelp{"Help"};
constexpr NodeName kExportedBy{"Exported by"};
constexpr NodeName kUsage{"Usage"};
constexpr NodeName kCommands{"Commands"};

constexpr std::string_view kUsageText = "help mi_cmd - shows the help text of the command mi_cmd";

// `help` alone, `help` with an empty value (`mi_cmd::`) and `help` with a
// value of blanks all ask for the usage: none of them names a command.
bool names_no_command(std::span<const tree::Argument> arguments) noexcept {
  if (arguments.empty()) return true;
  if (arguments.size() != 1) return false;
  const std::string_view value = arguments[0].value;
  return std::all_of(value.begin(), value.end(), [](char c) { return c == ' ' || c == '\t'; });
}

// 200 with the usage line and every command name, in registration order.
CommandReply usage(Call& call, const Registry& registry) noexcept {
  if (!call.tree.add_kid(kRoot, kUsage, kUsageText)) return CommandReply{500, "reply too large"};
  const auto list = call.tree.add_array(kRoot, kCommands);
  const bool ok = list.ok() && add_command_names(call.tree, list.value(), registry);
  return ok ? CommandReply{} : CommandReply{500, "reply too large"};
}

CommandReply help_of(Call& call, const Registry& registry, std::string_view name) noexcept {
  const Command* command = registry.find(name);
  if (command == nullptr) return unknown_command(call, name);
  const bool ok = call.tree.add_kid(kRoot, kHelp, command->help).ok() &&
                  call.tree.add_kid(kRoot, kExportedBy, registry.module_of(*command)).ok();
  return ok ? CommandReply{} : CommandReply{500, "reply too large"};
}

}  // namespace

core::Status register_help(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  Command help{"help",
               "shows the help text of the command named by its argument; "
               "without one, the usage and every command",
               kNoFlags,
               [env](Call& call) {
                 if (names_no_command(call.arguments)) {
                   return usage(call, *env->registry);
                 }
                 if (call.arguments.size() != 1) {
                   return bad_arguments(call, "at most one command name");
                 }
                 return help_of(call, *env->registry, call.arguments[0].value);
               },
               DeclaredClass::read};
  help.forms = {{}, {{"mi_cmd"}}};
  return registry.add(std::move(help));
}

}  // namespace mid::mi::builtin

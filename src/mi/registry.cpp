#include "mi/registry.hpp"

#include <algorithm>

#include "protocol/text/grammar.hpp"

namespace mid::mi {
namespace {

bool is_valid_command_name(std::string_view name) noexcept {
  return !name.empty() && name.size() <= core::kMaxCommandName &&
         std::all_of(name.begin(), name.end(), protocol::text::is_command_char);
}

// "module:command", each part a command name.
bool is_valid_module_name(std::string_view name) noexcept {
  const auto colon = name.find(':');
  if (colon == std::string_view::npos || name.size() > core::kMaxCommandName) return false;
  return is_valid_command_name(name.substr(0, colon)) &&
         is_valid_command_name(name.substr(colon + 1));
}

}  // namespace

CommandReply bad_arguments(Call& call, std::string_view expected) noexcept {
  auto writer = call.reason.start();
  writer.put("bad arguments: expected ");
  writer.put(expected);
  return CommandReply{400, ReasonText::view(writer)};
}

core::Status Registry::add(Command command) {
  if (!is_valid_command_name(command.name) || command.help.empty() || !command.handler ||
      command.help.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    return core::Error{core::Errc::bad_name, 0};
  }
  if (find(command.name) != nullptr) return core::Error{core::Errc::duplicate_name, 0};
  if ((command.flags & kNoArguments) != 0 && command.forms.empty()) command.forms = {{}};
  commands_.push_back(std::move(command));
  return {};
}

core::Status Registry::add_alias(std::string_view alias, std::string_view existing) {
  const Command* target = find(existing);
  if (target == nullptr) return core::Error{core::Errc::unknown_command, 0};
  Command copy = *target;
  copy.name = std::string(alias);
  copy.help = "alias of " + std::string(existing) + ": " + target->help;
  return add(std::move(copy));
}

core::Status Registry::add_module_name(std::string_view module_name, std::string_view existing) {
  if (!is_valid_module_name(module_name)) return core::Error{core::Errc::bad_name, 0};
  if (find(module_name) != nullptr) return core::Error{core::Errc::duplicate_name, 0};
  const Command* target = find(existing);
  if (target == nullptr) return core::Error{core::Errc::unknown_command, 0};
  module_names_.push_back(
      ModuleName{std::string(module_name), static_cast<std::size_t>(target - commands_.data())});
  return {};
}

std::string_view Registry::module_of(const Command& command) const noexcept {
  for (const ModuleName& module_name : module_names_) {
    if (&commands_[module_name.command] == &command) {
      return std::string_view(module_name.name).substr(0, module_name.name.find(':'));
    }
  }
  return "core";
}

const Command* Registry::find(std::string_view name) const noexcept {
  for (const Command& command : commands_) {
    if (command.name == name) return &command;
  }
  for (const ModuleName& module_name : module_names_) {
    if (module_name.name == name) return &commands_[module_name.command];
  }
  return nullptr;
}

}  // namespace mid::mi

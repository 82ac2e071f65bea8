#include "mi/registry.hpp"

#include <algorithm>

#include "protocol/text/grammar.hpp"

namespace mid::mi {
namespace {

bool is_valid_command_name(std::string_view name) noexcept {
  return !name.empty() && name.size() <= core::kMaxCommandName &&
         std::all_of(name.begin(), name.end(), protocol::text::is_command_char);
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

const Command* Registry::find(std::string_view name) const noexcept {
  for (const Command& command : commands_) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

}  // namespace mid::mi

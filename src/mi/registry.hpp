#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "mi/command.hpp"

namespace mid::mi {

// The command table. Filled at start (allocation allowed then), read-only
// while serving: find() neither allocates nor locks.
class Registry {
 public:
  // Errors: bad_name (name outside the command-name grammar, empty help
  // or no handler), duplicate_name.
  core::Status add(Command command);
  // Adds `alias` for an existing command (e.g. "debug" for "log_level").
  core::Status add_alias(std::string_view alias, std::string_view existing);
  // Adds an OpenSIPS 4.x name, `module:command`, for an existing command:
  // find() knows it, commands() does not list it, and the command keeps
  // its own name in replies, audit lines and access rules. (The text
  // protocol cannot name it: ':' ends a 1.x command name.) Errors: bad_name
  // (not module:command in the command-name characters), duplicate_name,
  // unknown_command.
  core::Status add_module_name(std::string_view module_name, std::string_view existing);

  [[nodiscard]] const Command* find(std::string_view name) const noexcept;
  // The module a command belongs to: the `module` of its first module
  // name, else "core" (`help` answers it as "Exported by").
  [[nodiscard]] std::string_view module_of(const Command& command) const noexcept;
  [[nodiscard]] const std::vector<Command>& commands() const noexcept { return commands_; }

 private:
  std::vector<Command> commands_;
  struct ModuleName {
    std::string name;
    std::size_t command = 0;  // index into commands_ (stable: filled at start)
  };
  std::vector<ModuleName> module_names_;
};

}  // namespace mid::mi

#pragma once

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

  [[nodiscard]] const Command* find(std::string_view name) const noexcept;
  [[nodiscard]] const std::vector<Command>& commands() const noexcept { return commands_; }

 private:
  std::vector<Command> commands_;
};

}  // namespace mid::mi

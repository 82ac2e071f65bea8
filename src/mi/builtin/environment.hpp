#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "mi/registry.hpp"
#include "stats/shared_state.hpp"
#include "stats/statistics.hpp"

// The built-in MI commands and what they read. The handlers are pure: the
// clock, the working directory and the command line are given to them, so
// the same handlers run in the daemon, in tests and in the request-path
// fuzz harness.
namespace mid::mi::builtin {

struct Environment {
  std::string server = "mi-datagram";          // "Server::" of `version`
  std::int64_t started_at = 0;                 // seconds since the epoch
  std::int64_t (*clock)() noexcept = nullptr;  // seconds since the epoch, now
  std::string working_directory;               // `pwd`
  std::vector<std::string> arguments;          // `arg`: the daemon's command line
  stats::Statistics* statistics = nullptr;
  stats::SharedState* shared = nullptr;  // log level, stop flag, process table
  bool kill_enabled = false;             // `kill` answers 403 unless set
  const Registry* registry = nullptr;    // for `which` and `help`
};

// Registers which, help, uptime, version, pwd, arg, ps, log_level (alias
// debug), get_statistics, reset_statistics, list_statistics and kill.
// `environment` must outlive `registry`. Errors: duplicate_name.
core::Status register_builtins(Registry& registry, const Environment& environment);

// Adds every command's name under `parent` (an array), in registration
// order: `which` and `help` list them alike. False when the tree is full.
[[nodiscard]] bool add_command_names(Tree& tree, NodeId parent, const Registry& registry) noexcept;

// 404 "unknown command: NAME" (the reason in call.reason), for `which`
// and `help` asked about a command the registry does not know.
[[nodiscard]] CommandReply unknown_command(Call& call, std::string_view name) noexcept;

// Each command's registration, one per file.
core::Status register_which(Registry& registry, const Environment& environment);
core::Status register_help(Registry& registry, const Environment& environment);
core::Status register_uptime(Registry& registry, const Environment& environment);
core::Status register_version(Registry& registry, const Environment& environment);
core::Status register_pwd(Registry& registry, const Environment& environment);
core::Status register_arg(Registry& registry, const Environment& environment);
core::Status register_ps(Registry& registry, const Environment& environment);
core::Status register_log_level(Registry& registry, const Environment& environment);
core::Status register_statistics(Registry& registry, const Environment& environment);
core::Status register_kill(Registry& registry, const Environment& environment);

}  // namespace mid::mi::builtin

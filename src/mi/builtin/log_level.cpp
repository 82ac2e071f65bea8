#include "core/log_level.hpp"
#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {
namespace {

// Reply node names, checked by the compiler (tree/node_name.hpp).
constexpr NodeName kProcesses{"Processes"};
constexpr NodeName kProcess{"Process"};
constexpr NodeName kPid{"PID"};
constexpr NodeName kLogLevel{"Log level"};
constexpr NodeName kType{"Type"};
constexpr NodeName kNewLevel{"New global log level"};

std::int64_t current_level(const Environment& env) noexcept {
  return env.shared->log_level.load(std::memory_order_relaxed);
}

bool add_process(Tree& tree, NodeId list, std::int32_t pid, stats::ProcessRole role,
                 std::int64_t level) noexcept {
  const auto node = tree.add_kid(list, kProcess, {});
  return node.ok() && tree.add_number(node.value(), kPid, pid).ok() &&
         tree.add_number(node.value(), kLogLevel, level).ok() &&
         tree.add_kid(node.value(), kType, role == stats::ProcessRole::master ? "master" : "worker")
             .ok();
}

// The level of every live process (one level is shared by all of them),
// in the OpenSIPS 3.x shape {"Processes":[{"PID":..,"Log level":..,"Type":..}]}.
CommandReply show_levels(const Environment& env, Call& call) noexcept {
  const auto list = call.tree.add_array(kRoot, kProcesses);
  if (!list) return CommandReply{500, "reply too large"};
  const std::int64_t level = current_level(env);
  for (const auto& process : env.shared->processes) {
    const std::int32_t pid = process.pid.load(std::memory_order_relaxed);
    const stats::ProcessRole role = process.role.load(std::memory_order_relaxed);
    if (pid <= 0 || role == stats::ProcessRole::none) continue;
    if (!add_process(call.tree, list.value(), pid, role, level)) {
      return CommandReply{500, "reply too large"};
    }
  }
  return CommandReply{};
}

CommandReply set_level(const Environment& env, Call& call, std::string_view text) noexcept {
  core::LogLevel level{};
  if (!core::parse_log_level(text, level)) {
    return bad_arguments(call, "a level: error, warning, notice, info, debug or 0..4");
  }
  env.shared->log_level.store(static_cast<int>(level), std::memory_order_relaxed);
  if (!call.tree.add_number(kRoot, kNewLevel, static_cast<std::int64_t>(level))) {
    return CommandReply{500, "reply too large"};
  }
  return CommandReply{};
}

}  // namespace

// Reads or sets the log level of every process: the level lives in shared
// memory and each process applies it before its next request. OpenSIPS
// also takes a pid to set one process's level; here one level is shared
// by every process, so that form is not offered.
core::Status register_log_level(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  Command log_level{"log_level",
                    "shows the log level of every process, or sets it for all of them "
                    "(error..debug or 0..4)",
                    kNoFlags,
                    [env](Call& call) {
                      if (call.arguments.empty()) return show_levels(*env, call);
                      return set_level(*env, call, call.arguments[0].value);
                    },
                    DeclaredClass::read_without_arguments};
  log_level.forms = {{}, {{"level"}}};
  if (auto status = registry.add(std::move(log_level)); !status) return status;
  return registry.add_alias("debug", "log_level");
}

}  // namespace mid::mi::builtin

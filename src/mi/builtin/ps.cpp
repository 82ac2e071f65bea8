#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {
namespace {

constexpr NodeName kProcesses{"Processes"};
constexpr NodeName kProcess{"Process"};

std::string_view role_name(stats::ProcessRole role) noexcept {
  return role == stats::ProcessRole::master ? "master" : "worker";
}

}  // namespace

// One `Process::` line per live process (JSON: {"Processes":[{"ID":0,
// "PID":9467,"Type":"master"}]}), read from the shared process table the
// master keeps up to date as it forks and reaps workers.
core::Status register_ps(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(Command{
      "ps", "lists the server's processes", kNoArguments,
      [env](Call& call) {
        const auto list = call.tree.add_array(kRoot, kProcesses);
        if (!list) return CommandReply{500, "reply too large"};
        for (std::size_t slot = 0; slot < env->shared->processes.size(); ++slot) {
          const auto& process = env->shared->processes[slot];
          const std::int32_t pid = process.pid.load(std::memory_order_relaxed);
          const stats::ProcessRole role = process.role.load(std::memory_order_relaxed);
          if (pid <= 0 || role == stats::ProcessRole::none) continue;
          auto node = call.tree.add_kid(list.value(), kProcess, {});
          const bool ok =
              node.ok() &&
              call.tree.add_number_attribute(node.value(), "ID", static_cast<std::int64_t>(slot))
                  .ok() &&
              call.tree.add_number_attribute(node.value(), "PID", pid).ok() &&
              call.tree.add_attribute(node.value(), "Type", role_name(role)).ok();
          if (!ok) return CommandReply{500, "reply too large"};
        }
        return CommandReply{};
      },
      DeclaredClass::read});
}

}  // namespace mid::mi::builtin

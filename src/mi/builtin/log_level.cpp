#include <charconv>
#include <system_error>

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

constexpr std::string_view kLevels = "a level: error, warning, notice, info, debug or 0..4";

bool is_live(const stats::ProcessSlot& slot) noexcept {
  return slot.pid.load(std::memory_order_relaxed) > 0 &&
         slot.role.load(std::memory_order_relaxed) != stats::ProcessRole::none;
}

// The live process of `text` (a decimal pid), or null.
stats::ProcessSlot* process_of(const Environment& env, std::string_view text) noexcept {
  std::int32_t pid = 0;
  const char* end = text.data() + text.size();
  if (const auto parsed = std::from_chars(text.data(), end, pid);
      parsed.ec != std::errc() || parsed.ptr != end || pid <= 0) {
    return nullptr;
  }
  for (stats::ProcessSlot& slot : env.shared->processes) {
    if (is_live(slot) && slot.pid.load(std::memory_order_relaxed) == pid) return &slot;
  }
  return nullptr;
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
  for (const auto& process : env.shared->processes) {
    if (!is_live(process)) continue;
    if (!add_process(call.tree, list.value(), process.pid.load(std::memory_order_relaxed),
                     process.role.load(std::memory_order_relaxed),
                     stats::effective_log_level(*env.shared, process))) {
      return CommandReply{500, "reply too large"};
    }
  }
  return CommandReply{};
}

// Every process's level: the global one, and no process keeps its own.
CommandReply set_level(const Environment& env, Call& call, std::string_view text) noexcept {
  core::LogLevel level{};
  if (!core::parse_log_level(text, level)) return bad_arguments(call, kLevels);
  env.shared->log_level.store(static_cast<int>(level), std::memory_order_relaxed);
  for (stats::ProcessSlot& slot : env.shared->processes) {
    slot.log_level.store(stats::kNoOwnLogLevel, std::memory_order_relaxed);
  }
  if (!call.tree.add_number(kRoot, kNewLevel, static_cast<std::int64_t>(level))) {
    return CommandReply{500, "reply too large"};
  }
  return CommandReply{};
}

// One process's own level (a worker applies it before its next request).
CommandReply set_process_level(const Environment& env, Call& call, std::string_view text,
                               std::string_view pid) noexcept {
  core::LogLevel level{};
  if (!core::parse_log_level(text, level)) return bad_arguments(call, kLevels);
  stats::ProcessSlot* slot = process_of(env, pid);
  if (slot == nullptr) return bad_arguments(call, "the pid of one of the server's processes");
  slot->log_level.store(static_cast<int>(level), std::memory_order_relaxed);
  if (!call.tree.add_number(kRoot, kLogLevel, static_cast<std::int64_t>(level))) {
    return CommandReply{500, "reply too large"};
  }
  return CommandReply{};
}

}  // namespace

// Reads or sets the log level of every process, or of one (its pid): the
// levels live in shared memory and each worker applies its own before its
// next request. (The master logs at the level it started with.)
core::Status register_log_level(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  Command log_level{"log_level",
                    "shows the log level of every process, or sets it for all of them, "
                    "or for the process of the pid given (error..debug or 0..4)",
                    kNoFlags,
                    [env](Call& call) {
                      if (call.arguments.empty()) return show_levels(*env, call);
                      if (call.arguments.size() == 1) {
                        return set_level(*env, call, call.arguments[0].value);
                      }
                      return set_process_level(*env, call, call.arguments[0].value,
                                               call.arguments[1].value);
                    },
                    DeclaredClass::read_without_arguments};
  log_level.forms = {{}, {{"level"}}, {{"level"}, {"pid"}}};
  if (auto status = registry.add(std::move(log_level)); !status) return status;
  return registry.add_alias("debug", "log_level");
}

}  // namespace mid::mi::builtin

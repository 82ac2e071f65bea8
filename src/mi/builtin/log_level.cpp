#include "core/log_level.hpp"
#include "mi/builtin/environment.hpp"

namespace mid::mi::builtin {

namespace {

// Reply node names, checked by the compiler (mi/node_name.hpp).
constexpr NodeName kLogLevel{"Log level"};

}  // namespace

// Reads or sets the log level of every process: the level lives in shared
// memory and each process applies it before its next request.
core::Status register_log_level(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  auto status = registry.add(Command{
      "log_level", "shows the log level, or sets it for every process (error..debug or 0..4)",
      kNoFlags,
      [env](Call& call) {
        if (call.arguments.size() > 1) return bad_arguments(call, "no argument, or one level");
        if (call.arguments.size() == 1) {
          core::LogLevel level{};
          if (!core::parse_log_level(call.arguments[0].value, level)) {
            return bad_arguments(call, "a level: error, warning, notice, info, debug or 0..4");
          }
          env->shared->log_level.store(static_cast<int>(level), std::memory_order_relaxed);
        }
        const auto current =
            static_cast<core::LogLevel>(env->shared->log_level.load(std::memory_order_relaxed));
        if (!call.tree.add_kid(kRoot, kLogLevel, core::to_string(current))) {
          return CommandReply{500, "reply too large"};
        }
        return CommandReply{};
      },
      DeclaredClass::read_without_arguments});
  if (!status) return status;
  return registry.add_alias("debug", "log_level");
}

}  // namespace mid::mi::builtin

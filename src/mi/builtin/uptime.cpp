#include "mi/builtin/environment.hpp"
#include "mi/builtin/format.hpp"

namespace mid::mi::builtin {

namespace {

// Reply node names, checked by the compiler (mi/node_name.hpp).
constexpr NodeName kNow{"Now"};
constexpr NodeName kUpSince{"Up since"};
constexpr NodeName kUpTime{"Up time"};

}  // namespace

core::Status register_uptime(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  return registry.add(Command{
      "uptime", "shows the time now, when the server started, and for how long it has run",
      kNoArguments,
      [env, since = DateText(environment.started_at), now_text = DateCache{}](Call& call) mutable {
        const std::int64_t now = env->clock();
        const std::int64_t up = now > env->started_at ? now - env->started_at : 0;
        std::array<char, 32> up_text{};
        core::BoundedWriter up_writer(up_text);
        up_writer.put_unsigned(static_cast<std::uint64_t>(up));
        up_writer.put(" [sec]");
        const bool ok = call.tree.add_kid(kRoot, kNow, now_text.text(now)).ok() &&
                        call.tree.add_kid(kRoot, kUpSince, since.view()).ok() &&
                        call.tree.add_kid(kRoot, kUpTime, up_writer.view()).ok();
        return ok ? CommandReply{} : CommandReply{500, "reply too large"};
      },
      DeclaredClass::read});
}

}  // namespace mid::mi::builtin

#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "builtin_world.hpp"

// The built-in command tests' two verbs over a support::BuiltinWorld.
namespace mid::mi::test {

// The reply to `request`, as a client would read it.
inline std::string ask(support::BuiltinWorld& world, std::string_view request) {
  return std::string(world.handle(request).reply);
}

// Defines a statistic holding `value` (before world.start()).
inline stats::StatId define(support::BuiltinWorld& world, std::string_view group,
                            std::string_view name, stats::Kind kind, std::uint64_t value) {
  const auto id = world.statistics.define(group, name, kind);
  if (!id) std::abort();
  world.statistics.set(id.value(), value);
  return id.value();
}

}  // namespace mid::mi::test

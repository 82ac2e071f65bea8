#include <bitset>

#include "mi/builtin/environment.hpp"
#include "mi/builtin/format.hpp"

namespace mid::mi::builtin {
namespace {

using Selected = std::bitset<stats::kMaxStatistics>;

constexpr std::string_view kSelectors = "one or more of: all, group:, group:name, name";

// Marks every statistic some argument selects; each is listed once, in
// definition order, however many arguments select it.
Selected select(const stats::Statistics& statistics, std::span<const protocol::Argument> args) {
  Selected selected;
  for (const protocol::Argument& argument : args) {
    const stats::Selector selector = stats::parse_selector(argument.value);
    for (stats::StatId id = 0; id < statistics.size(); ++id) {
      if (stats::matches(selector, statistics.definition(id))) selected.set(id);
    }
  }
  return selected;
}

CommandReply get_statistics(const Environment& env, Call& call) {
  if (call.arguments.empty()) return bad_arguments(call, kSelectors);
  const Selected selected = select(*env.statistics, call.arguments);
  if (selected.none()) return CommandReply{404, "Statistics Not Found"};
  for (stats::StatId id = 0; id < env.statistics->size(); ++id) {
    if (!selected.test(id)) continue;
    const NumberText value(env.statistics->get(id));
    if (!call.tree.add_kid(kRoot, env.statistics->definition(id).full, value.view())) {
      return CommandReply{500, "reply too large"};
    }
  }
  return CommandReply{};
}

CommandReply reset_statistics(const Environment& env, Call& call) {
  if (call.arguments.empty()) return bad_arguments(call, kSelectors);
  const Selected selected = select(*env.statistics, call.arguments);
  if (selected.none()) return CommandReply{404, "Statistics Not Found"};
  for (stats::StatId id = 0; id < env.statistics->size(); ++id) {
    if (selected.test(id)) env.statistics->reset(id);
  }
  return CommandReply{};
}

CommandReply list_statistics(const Environment& env, Call& call) {
  static const protocol::Argument kAll[] = {{{}, "all"}};
  const auto args =
      call.arguments.empty() ? std::span<const protocol::Argument>(kAll) : call.arguments;
  const Selected selected = select(*env.statistics, args);
  if (selected.none()) return CommandReply{404, "Statistics Not Found"};
  for (stats::StatId id = 0; id < env.statistics->size(); ++id) {
    if (!selected.test(id)) continue;
    const stats::Definition& definition = env.statistics->definition(id);
    const std::string_view kind = definition.kind == stats::Kind::counter ? "counter" : "gauge";
    if (!call.tree.add_kid(kRoot, definition.full, kind)) {
      return CommandReply{500, "reply too large"};
    }
  }
  return CommandReply{};
}

}  // namespace

core::Status register_statistics(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  if (auto added = registry.add(Command{
          "get_statistics", "shows statistics: all, group:, group:name or name, one per line",
          kNoFlags, [env](Call& call) { return get_statistics(*env, call); }});
      !added) {
    return added;
  }
  if (auto added = registry.add(
          Command{"reset_statistics", "resets the selected counters (gauges keep their value)",
                  kNoFlags, [env](Call& call) { return reset_statistics(*env, call); }});
      !added) {
    return added;
  }
  return registry.add(Command{"list_statistics",
                              "lists statistics (all by default) and whether each is a counter "
                              "or a gauge",
                              kNoFlags, [env](Call& call) { return list_statistics(*env, call); }});
}

}  // namespace mid::mi::builtin

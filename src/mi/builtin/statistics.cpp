#include <bitset>
#include <optional>

#include "mi/builtin/environment.hpp"
#include "mi/builtin/format.hpp"

namespace mid::mi::builtin {
namespace {

using Selected = std::bitset<stats::kMaxStatistics>;

constexpr std::string_view kSelectors = "one or more of: all, group:, group:name, name";

// Marks every statistic some argument selects.
Selected select(const stats::Statistics& statistics, std::span<const tree::Argument> args) {
  Selected selected;
  for (const tree::Argument& argument : args) {
    stats::for_each_match(statistics, stats::parse_selector(argument.value), [&](stats::StatId id) {
      selected.set(id);
      return true;
    });
  }
  return selected;
}

// Calls visit(id) for every statistic some argument selects, once each and
// in definition order, until visit returns false. Returns whether any was
// selected. One argument, the usual request, cannot select a statistic
// twice, so it needs no record of what was visited.
template <class Visit>
bool visit_selected(const stats::Statistics& statistics, std::span<const tree::Argument> args,
                    Visit visit) {
  if (args.size() == 1) {
    bool any = false;
    stats::for_each_match(statistics, stats::parse_selector(args.front().value),
                          [&](stats::StatId id) {
                            any = true;
                            return visit(id);
                          });
    return any;
  }
  const Selected selected = select(statistics, args);
  for (stats::StatId id = 0; id < statistics.size(); ++id) {
    if (selected.test(id) && !visit(id)) break;
  }
  return selected.any();
}

// Adds one node per selected statistic, named by it, valued by value(id).
template <class Value>
CommandReply list_selected(const stats::Statistics& statistics, Call& call,
                           std::span<const tree::Argument> args, Value value) {
  bool fits = true;
  const bool any = visit_selected(statistics, args, [&](stats::StatId id) {
    fits = call.tree.add_kid(kRoot, statistics.definition(id).full, value(id)).ok();
    return fits;
  });
  if (!any) return CommandReply{404, "Statistics Not Found"};
  return fits ? CommandReply{} : CommandReply{500, "reply too large"};
}

CommandReply get_statistics(const Environment& env, Call& call) {
  if (call.arguments.empty()) return bad_arguments(call, kSelectors);
  const stats::Statistics& statistics = *env.statistics;
  // The text lives in the node's own storage once added; one buffer will do.
  std::optional<NumberText> text;
  return list_selected(statistics, call, call.arguments,
                       [&](stats::StatId id) { return text.emplace(statistics.get(id)).view(); });
}

CommandReply reset_statistics(const Environment& env, Call& call) {
  if (call.arguments.empty()) return bad_arguments(call, kSelectors);
  stats::Statistics& statistics = *env.statistics;
  const bool any = visit_selected(statistics, call.arguments, [&](stats::StatId id) {
    statistics.reset(id);
    return true;
  });
  return any ? CommandReply{} : CommandReply{404, "Statistics Not Found"};
}

CommandReply list_statistics(const Environment& env, Call& call) {
  static const tree::Argument kAll[] = {{{}, "all"}};
  const auto args = call.arguments.empty() ? std::span<const tree::Argument>(kAll) : call.arguments;
  const stats::Statistics& statistics = *env.statistics;
  return list_selected(statistics, call, args, [&](stats::StatId id) -> std::string_view {
    return statistics.definition(id).kind == stats::Kind::counter ? "counter" : "gauge";
  });
}

}  // namespace

core::Status register_statistics(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  if (auto added = registry.add(Command{
          "get_statistics", "shows statistics: all, group:, group:name or name, one per line",
          kNoFlags, [env](Call& call) { return get_statistics(*env, call); }, DeclaredClass::read});
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
                              kNoFlags, [env](Call& call) { return list_statistics(*env, call); },
                              DeclaredClass::read});
}

}  // namespace mid::mi::builtin

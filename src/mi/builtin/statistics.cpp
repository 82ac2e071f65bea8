#include <bitset>

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

// Adds one node per selected statistic with add(id): false when it did not fit.
template <class Add>
CommandReply list_selected(const stats::Statistics& statistics,
                           std::span<const tree::Argument> args, Add add) {
  bool fits = true;
  const bool any = visit_selected(statistics, args, [&](stats::StatId id) {
    fits = add(id);
    return fits;
  });
  if (!any) return CommandReply{404, "Statistics Not Found"};
  return fits ? CommandReply{} : CommandReply{500, "reply too large"};
}

CommandReply get_statistics(const Environment& env, Call& call) {
  if (call.arguments.empty()) return bad_arguments(call, kSelectors);
  const stats::Statistics& statistics = *env.statistics;
  return list_selected(statistics, call.arguments, [&](stats::StatId id) {
    return call.tree.add_unsigned(kRoot, statistics.definition(id).full, statistics.get(id)).ok();
  });
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
  // The words of OpenSIPS 3.x: a counter only grows (until reset).
  return list_selected(statistics, args, [&](stats::StatId id) {
    const bool counter = statistics.definition(id).kind == stats::Kind::counter;
    return call.tree
        .add_kid(kRoot, statistics.definition(id).full, counter ? "incremental" : "non-incremental")
        .ok();
  });
}

}  // namespace

core::Status register_statistics(Registry& registry, const Environment& environment) {
  const Environment* env = &environment;
  const std::vector<ParamForm> selectors = {{{"statistics", true}}};
  Command get{"get_statistics", "shows statistics: all, group:, group:name or name, one per line",
              kNoFlags, [env](Call& call) { return get_statistics(*env, call); },
              DeclaredClass::read};
  get.forms = selectors;
  Command reset{"reset_statistics", "resets the selected counters (gauges keep their value)",
                kNoFlags, [env](Call& call) { return reset_statistics(*env, call); }};
  reset.forms = selectors;
  Command list{"list_statistics",
               "lists statistics (all by default) and whether each is incremental (a counter) "
               "or not (a gauge)",
               kNoFlags, [env](Call& call) { return list_statistics(*env, call); },
               DeclaredClass::read};
  list.forms = {{}, selectors.front()};
  for (Command* command : {&get, &reset, &list}) {
    if (auto added = registry.add(std::move(*command)); !added) return added;
  }
  return {};
}

}  // namespace mid::mi::builtin

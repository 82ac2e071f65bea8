// Properties of statistics names and get_statistics argument matching
// (stats/statistics.hpp; docs/PROTOCOL.md for the reply), checked through
// the whole request path with the real get_statistics command.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "mi/builtin/environment.hpp"
#include "protocol/text/reply_parser.hpp"
#include "protocol/text/request_printer.hpp"
#include "request/request_path.hpp"
#include "stats/shared_state.hpp"
#include "stats/statistics.hpp"

namespace mid::proptest {
namespace {

rc::Gen<std::string> stat_part() {
  return rc::gen::resize(6, rc::gen::nonEmpty(rc::gen::container<std::string>(
                                rc::gen::element('a', 'b', 'c', 'X', '0', '_', '-'))));
}

bool reference_valid_part(const std::string& part) {
  if (part.empty() || part.size() > stats::kMaxStatName) return false;
  for (const char c : part) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The selector rules as documented: "all"; "group:" (everything in the
// group); "group:name"; "name" (that name in any group). Split at the
// first ':'.
bool reference_selects(const std::string& argument, const std::string& group,
                       const std::string& name) {
  if (argument == "all") return true;
  const std::size_t colon = argument.find(':');
  if (colon == std::string::npos) return argument == name;
  const std::string g = argument.substr(0, colon);
  const std::string n = argument.substr(colon + 1);
  return g == group && (n.empty() || n == name);
}

RC_GTEST_PROP(StatisticsProperties, NamesAreAcceptedIffValid, ()) {
  const std::string group =
      *rc::gen::weightedOneOf<std::string>({{3, stat_part()}, {1, rc::gen::string<std::string>()}});
  const std::string name =
      *rc::gen::weightedOneOf<std::string>({{3, stat_part()}, {1, rc::gen::string<std::string>()}});
  auto shared = std::make_unique<stats::SharedState>();
  stats::Statistics statistics(shared->values);
  const auto defined = statistics.define(group, name, stats::Kind::counter);
  RC_ASSERT(defined.ok() == (reference_valid_part(group) && reference_valid_part(name)));
  if (defined.ok()) {
    RC_ASSERT(statistics.definition(defined.value()).full.view() == group + ":" + name);
  }
}

struct Definition {
  std::string group;
  std::string name;
  std::uint64_t value = 0;
};

rc::Gen<std::string> selector_for(const std::vector<Definition>& defined) {
  std::vector<std::string> known{"all", "nosuch", "nosuch:", ":", "", "x:y:z"};
  for (const Definition& d : defined) {
    known.insert(known.end(), {d.group + ":", d.name, d.group + ":" + d.name, d.name + ":"});
  }
  return rc::gen::weightedOneOf<std::string>({{4, rc::gen::elementOf(known)}, {1, stat_part()}});
}

RC_GTEST_PROP(StatisticsProperties, GetStatisticsListsExactlyTheSelected, ()) {
  const auto definitions = *rc::gen::container<std::vector<Definition>>(rc::gen::build<Definition>(
      rc::gen::set(&Definition::group, stat_part()), rc::gen::set(&Definition::name, stat_part()),
      rc::gen::set(&Definition::value, rc::gen::arbitrary<std::uint64_t>())));
  auto shared = std::make_unique<stats::SharedState>();
  stats::Statistics statistics(shared->values);
  std::vector<Definition> defined;  // duplicates are refused; keep the accepted ones in order
  for (const Definition& d : definitions) {
    const auto id = statistics.define(d.group, d.name, stats::Kind::counter);
    if (!id) continue;
    statistics.set(id.value(), d.value);
    defined.push_back(d);
  }
  // One selector (the usual request, answered without a record of what was
  // listed) as often as several.
  using Selectors = std::vector<std::string>;
  const auto arguments =
      *rc::gen::oneOf(rc::gen::container<Selectors>(1, selector_for(defined)),
                      rc::gen::nonEmpty(rc::gen::container<Selectors>(selector_for(defined))));
  RC_PRE(std::none_of(arguments.begin(), arguments.end(),
                      [](const std::string& a) { return a.empty(); }));  // ends the request

  mi::builtin::Environment environment;
  environment.statistics = &statistics;
  environment.shared = shared.get();
  mi::Registry registry;
  RC_ASSERT(mi::builtin::register_statistics(registry, environment).ok());
  environment.registry = &registry;

  std::vector<tree::Argument> request_arguments;
  for (const std::string& a : arguments) request_arguments.push_back({{}, a});
  std::vector<char> request(core::kMaxDatagram);
  const auto printed = protocol::text::print_request("get_statistics", request_arguments, request);
  RC_ASSERT(printed.ok());
  auto workspace = std::make_unique<request::Workspace>();
  const request::Handled handled = request::handle_datagram(
      std::string_view(request.data(), printed.value()), registry, *workspace, "\t");

  auto tree = std::make_unique<tree::Tree>();
  auto scratch = std::make_unique<protocol::text::ReplyScratch>();
  const auto status = protocol::text::parse_reply(handled.reply, "\t", *tree, *scratch);
  RC_ASSERT(status.ok());

  std::vector<std::string> expected;  // definition order, each once
  for (const Definition& d : defined) {
    const bool selected =
        std::any_of(arguments.begin(), arguments.end(),
                    [&](const std::string& a) { return reference_selects(a, d.group, d.name); });
    if (selected) expected.push_back(d.group + ":" + d.name + "=" + std::to_string(d.value));
  }
  RC_TAG(expected.empty() ? "none selected" : "some selected",
         arguments.size() == 1 ? "one selector" : "several selectors");
  if (expected.empty()) {
    RC_ASSERT(status.value().code == 404U);
    return;
  }
  RC_ASSERT(status.value().code == 200U);
  std::vector<std::string> listed;
  for (tree::NodeId n = tree->next_in_walk(tree::kRoot); n != tree::kNoNode;
       n = tree->next_in_walk(n)) {
    listed.push_back(std::string(tree->name(n)) + "=" + std::string(tree->value(n)));
  }
  RC_ASSERT(listed == expected);
}

// stats::for_each_match (the scope decided once, used by get_statistics)
// selects exactly what stats::matches selects one definition at a time,
// and what the documented rules select, in definition order; it stops
// when told to.
RC_GTEST_PROP(StatisticsProperties, ForEachMatchAgreesWithMatchesAndTheRules, ()) {
  const auto definitions = *rc::gen::container<std::vector<Definition>>(rc::gen::build<Definition>(
      rc::gen::set(&Definition::group, stat_part()), rc::gen::set(&Definition::name, stat_part())));
  auto shared = std::make_unique<stats::SharedState>();
  stats::Statistics statistics(shared->values);
  std::vector<Definition> defined;
  for (const Definition& d : definitions) {
    if (statistics.define(d.group, d.name, stats::Kind::counter)) defined.push_back(d);
  }
  const std::string argument = *selector_for(defined);
  const stats::Selector selector = stats::parse_selector(argument);

  std::vector<stats::StatId> expected;
  for (stats::StatId id = 0; id < statistics.size(); ++id) {
    const bool by_rules = reference_selects(argument, defined[id].group, defined[id].name);
    RC_ASSERT(stats::matches(selector, statistics.definition(id)) == by_rules);
    if (by_rules) expected.push_back(id);
  }
  std::vector<stats::StatId> visited;
  stats::for_each_match(statistics, selector, [&](stats::StatId id) {
    visited.push_back(id);
    return true;
  });
  RC_ASSERT(visited == expected);

  const auto stop_after = *rc::gen::inRange<std::size_t>(1, expected.size() + 2);
  std::vector<stats::StatId> until_stop;
  stats::for_each_match(statistics, selector, [&](stats::StatId id) {
    until_stop.push_back(id);
    return until_stop.size() < stop_after;
  });
  RC_ASSERT(until_stop.size() == std::min(stop_after, expected.size()));
}

}  // namespace
}  // namespace mid::proptest

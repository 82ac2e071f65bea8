// Properties of the access rules (transport/access_decision.hpp) and the
// audit line (transport/audit_line.hpp): first match wins, `* all` is the
// same as no rules, a list ending in `* none` denies whatever it does not
// match, rules round trip through their text, and no command name can add
// a field to an audit line.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/access_rule.hpp"
#include "transport/access_decision.hpp"
#include "transport/audit_line.hpp"

namespace mid::proptest {
namespace {

using config::AccessRule;
using mi::CommandClass;
using transport::AccessDecision;
using transport::decide;
using transport::PeerIdentity;

AccessRule rule_of(const std::string& text) {
  AccessRule rule;
  const auto error = config::parse_access_rule(text, 1, rule);
  RC_ASSERT(!error);
  return rule;
}

// Few values of each, so rules and peers meet often.
rc::Gen<std::string> who_text() {
  return rc::gen::oneOf(
      rc::gen::just<std::string>("*"),
      rc::gen::map(rc::gen::element(0U, 1U, 1000U),
                   [](unsigned id) { return "uid:" + std::to_string(id); }),
      rc::gen::map(rc::gen::element(0U, 1U, 1000U),
                   [](unsigned id) { return "gid:" + std::to_string(id); }),
      rc::gen::element<std::string>("udp:127.0.0.0/8", "udp:10.0.0.0/8", "udp:0.0.0.0/0", "udp:::1",
                                    "udp:::/0", "udp:2001:db8::/32"));
}

const std::vector<std::string> kCommands = {"uptime", "which", "kill", "reset_statistics"};

rc::Gen<std::string> what_text() {
  return rc::gen::oneOf(
      rc::gen::element<std::string>("all", "none", "read", "write"),
      rc::gen::map(
          rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(rc::gen::oneOf(
              rc::gen::element<std::string>("read", "write"), rc::gen::elementOf(kCommands)))),
          [](const std::vector<std::string>& items) {
            std::string out;
            for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
            return out;
          }));
}

rc::Gen<AccessRule> access_rule() {
  return rc::gen::apply(
      [](const std::string& who, const std::string& what) { return rule_of(who + " " + what); },
      who_text(), what_text());
}

rc::Gen<std::vector<AccessRule>> access_rules() {
  return rc::gen::resize(6, rc::gen::container<std::vector<AccessRule>>(access_rule()));
}

rc::Gen<PeerIdentity> peer() {
  const auto unix_peer = rc::gen::apply(
      [](unsigned uid, unsigned gid) { return PeerIdentity::unix_peer(uid, gid, 9); },
      rc::gen::element(0U, 1U, 1000U, 5U), rc::gen::element(0U, 1U, 1000U, 5U));
  const auto udp_peer = rc::gen::map(
      rc::gen::element<std::string>("127.0.0.1", "10.1.2.3", "192.0.2.1", "::1", "2001:db8::5",
                                    "::ffff:10.0.0.1"),
      [](const std::string& text) {
        transport::IpBytes bytes{};
        const bool v6 = text.find(':') != std::string::npos;
        const auto rule = rule_of("udp:" + text + " none");  // the project's own parser
        std::copy(rule.who.network.address.begin(), rule.who.network.address.end(), bytes.begin());
        return PeerIdentity::udp_peer(v6, bytes, 4000);
      });
  return rc::gen::oneOf(unix_peer, udp_peer);
}

struct Call {
  std::string command;
  CommandClass command_class;
};

rc::Gen<Call> call() {
  return rc::gen::apply(
      [](const std::string& command, bool write) {
        return Call{command, write ? CommandClass::write : CommandClass::read};
      },
      rc::gen::elementOf(kCommands), rc::gen::arbitrary<bool>());
}

AccessDecision decide_call(const std::vector<AccessRule>& rules, const PeerIdentity& p,
                           const Call& c) {
  return decide(rules, p, c.command, c.command_class);
}

RC_GTEST_PROP(AccessProperties, ARuleThatMatchesThePeerDecidesWhateverFollows, ()) {
  const AccessRule first = *access_rule();
  const auto rest = *access_rules();
  const PeerIdentity p = *peer();
  const Call c = *call();
  std::vector<AccessRule> rules = {first};
  rules.insert(rules.end(), rest.begin(), rest.end());
  if (transport::who_matches(first.who, p)) {
    const bool covers = transport::what_covers(first.what, c.command, c.command_class);
    RC_ASSERT(decide_call(rules, p, c) == (covers ? AccessDecision::allow : AccessDecision::deny));
  } else if (!rest.empty()) {
    RC_ASSERT(decide_call(rules, p, c) == decide_call(rest, p, c));
  } else {
    RC_ASSERT(decide_call(rules, p, c) == AccessDecision::deny);
  }
}

RC_GTEST_PROP(AccessProperties, StarAllIsTheSameAsNoRules, ()) {
  const PeerIdentity p = *peer();
  const Call c = *call();
  RC_ASSERT(decide_call({rule_of("* all")}, p, c) == AccessDecision::allow);
  RC_ASSERT(decide_call({}, p, c) == AccessDecision::allow);
}

RC_GTEST_PROP(AccessProperties, EndingInStarNoneDeniesWhatNothingElseMatches, ()) {
  auto rules = *access_rules();
  const PeerIdentity p = *peer();
  const Call c = *call();
  const bool matched = std::any_of(rules.begin(), rules.end(), [&](const AccessRule& r) {
    return transport::who_matches(r.who, p);
  });
  const AccessDecision before = decide_call(rules, p, c);
  rules.push_back(rule_of("* none"));
  const AccessDecision after = decide_call(rules, p, c);
  if (matched) {
    RC_ASSERT(after == before);
  } else {
    RC_ASSERT(after == AccessDecision::deny);
  }
}

RC_GTEST_PROP(AccessProperties, NamingOneMoreCommandNeverTakesAnythingAway, ()) {
  auto rules = *access_rules();
  RC_PRE(!rules.empty());
  const PeerIdentity p = *peer();
  const Call c = *call();
  const std::size_t index = *rc::gen::inRange<std::size_t>(0, rules.size());
  const AccessDecision before = decide_call(rules, p, c);
  rules[index].what.commands.push_back(*rc::gen::elementOf(kCommands));
  if (before == AccessDecision::allow) RC_ASSERT(decide_call(rules, p, c) == AccessDecision::allow);
}

RC_GTEST_PROP(AccessProperties, RulesRoundTripThroughTheirText, ()) {
  const AccessRule rule = *access_rule();
  const std::string text = config::format_access_rule(rule);
  RC_ASSERT(rule_of(text) == rule);
  RC_ASSERT(config::format_access_rule(rule_of(text)) == text);
}

// Undoes the audit line's \xNN escapes.
std::string unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x') {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 2, 2)), nullptr, 16));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

RC_GTEST_PROP(AccessProperties, NoCommandNameAddsAFieldToTheAuditLine, ()) {
  const std::string command = *rc::gen::resize(80, rc::gen::string<std::string>());
  const PeerIdentity p = *peer();
  const transport::AuditLine line(command, *rc::gen::inRange(100U, 1000U), p);
  const std::string_view text = line.view();
  RC_ASSERT(std::all_of(text.begin(), text.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; }));
  RC_ASSERT(std::count(text.begin(), text.end(), ' ') == (p.is_udp ? 3 : 5));
  RC_ASSERT(text.starts_with("audit: command="));
  const std::size_t end = text.find(" status=");
  const std::string_view name = text.substr(15, end - 15);
  if (command.size() <= transport::AuditLine::kMaxAuditName) {
    RC_ASSERT(unescape(name) == command);
  } else {
    RC_ASSERT(name.ends_with("..."));
  }
}

}  // namespace
}  // namespace mid::proptest

// The access rules applied to one call: first match wins, no rules allow
// everything, rules that match no one deny; and the audit line's fields.
#include "transport/access_decision.hpp"

#include <arpa/inet.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/access_rule.hpp"
#include "transport/audit_line.hpp"

namespace mid::transport {
namespace {

using mi::CommandClass;

std::vector<config::AccessRule> rules(std::initializer_list<const char*> lines) {
  std::vector<config::AccessRule> out;
  for (const char* line : lines) {
    config::AccessRule rule;
    EXPECT_FALSE(config::parse_access_rule(line, 1, rule)) << line;
    out.push_back(rule);
  }
  return out;
}

PeerIdentity udp(const char* text, std::uint16_t port = 5000) {
  IpBytes bytes{};
  const bool v6 = std::string(text).find(':') != std::string::npos;
  EXPECT_EQ(inet_pton(v6 ? AF_INET6 : AF_INET, text, bytes.data()), 1) << text;
  return PeerIdentity::udp_peer(v6, bytes, port);
}

bool allowed(const std::vector<config::AccessRule>& list, const PeerIdentity& peer,
             std::string_view command, CommandClass command_class) {
  return decide(list, peer, command, command_class) == AccessDecision::allow;
}

const PeerIdentity kRoot = PeerIdentity::unix_peer(0, 0, 10);
const PeerIdentity kMonitor = PeerIdentity::unix_peer(1001, 2000, 11);  // gid 2000: monitoring
const PeerIdentity kOther = PeerIdentity::unix_peer(1002, 1002, 12);

TEST(Decide, NoRulesAllowEverything) {
  EXPECT_TRUE(allowed({}, kOther, "kill", CommandClass::write));
  EXPECT_TRUE(allowed({}, udp("192.0.2.1"), "reset_statistics", CommandClass::write));
}

TEST(Decide, TheProductExample) {
  const auto list =
      rules({"uid:0 all", "gid:2000 read", "udp:127.0.0.1/32 read,get_statistics", "* read"});
  EXPECT_TRUE(allowed(list, kRoot, "reset_statistics", CommandClass::write));
  EXPECT_TRUE(allowed(list, kMonitor, "get_statistics", CommandClass::read));
  EXPECT_FALSE(allowed(list, kMonitor, "reset_statistics", CommandClass::write));
  EXPECT_FALSE(allowed(list, kMonitor, "log_level", CommandClass::write));  // with a level
  EXPECT_TRUE(allowed(list, kMonitor, "log_level", CommandClass::read));    // without
  EXPECT_TRUE(allowed(list, udp("127.0.0.1"), "uptime", CommandClass::read));
  EXPECT_FALSE(allowed(list, udp("127.0.0.1"), "kill", CommandClass::write));
  EXPECT_TRUE(allowed(list, kOther, "which", CommandClass::read));
  EXPECT_FALSE(allowed(list, kOther, "kill", CommandClass::write));
}

TEST(Decide, FirstMatchingRuleDecidesEvenWhenALaterOneWouldAllow) {
  const auto list = rules({"uid:1001 none", "gid:2000 all"});
  EXPECT_FALSE(allowed(list, kMonitor, "uptime", CommandClass::read));
  EXPECT_TRUE(allowed(list, PeerIdentity::unix_peer(5, 2000, 1), "kill", CommandClass::write));
}

TEST(Decide, RulesThatMatchNoOneDeny) {
  const auto list = rules({"uid:0 all"});
  EXPECT_FALSE(allowed(list, kOther, "uptime", CommandClass::read));
  EXPECT_FALSE(allowed(list, udp("127.0.0.1"), "uptime", CommandClass::read));
}

TEST(Decide, NamedCommandsWhateverTheirClass) {
  const auto list = rules({"* uptime,reset_statistics"});
  EXPECT_TRUE(allowed(list, kOther, "reset_statistics", CommandClass::write));
  EXPECT_TRUE(allowed(list, kOther, "uptime", CommandClass::read));
  EXPECT_FALSE(allowed(list, kOther, "which", CommandClass::read));
  EXPECT_FALSE(allowed(list, kOther, "reset_statistic", CommandClass::write));  // exact names
  EXPECT_TRUE(allowed(rules({"* write"}), kOther, "kill", CommandClass::write));
  EXPECT_FALSE(allowed(rules({"* write"}), kOther, "uptime", CommandClass::read));
}

TEST(Decide, UidAndGidRulesNeverMatchUdpPeersAndUdpRulesNeverMatchUnixPeers) {
  // A UDP peer's uid and gid fields are 0: a uid:0 rule must not see root.
  EXPECT_FALSE(allowed(rules({"uid:0 all"}), udp("127.0.0.1"), "kill", CommandClass::write));
  EXPECT_FALSE(allowed(rules({"gid:0 all"}), udp("127.0.0.1"), "kill", CommandClass::write));
  EXPECT_FALSE(allowed(rules({"udp:0.0.0.0/0 all"}), kRoot, "kill", CommandClass::write));
  EXPECT_FALSE(allowed(rules({"udp:::/0 all"}), kRoot, "kill", CommandClass::write));
}

TEST(Decide, UdpNetworksAsAllowFromMatchesThem) {
  const auto list = rules({"udp:10.0.0.0/8 all", "udp:2001:db8::/32 read"});
  EXPECT_TRUE(allowed(list, udp("10.255.0.1"), "kill", CommandClass::write));
  EXPECT_FALSE(allowed(list, udp("11.0.0.1"), "uptime", CommandClass::read));
  EXPECT_TRUE(allowed(list, udp("::ffff:10.1.2.3"), "kill", CommandClass::write));  // mapped
  EXPECT_TRUE(allowed(list, udp("2001:db8::7"), "uptime", CommandClass::read));
  EXPECT_FALSE(allowed(list, udp("2001:db8::7"), "kill", CommandClass::write));
}

TEST(Decide, AnUnresolvedNameMatchesNoOne) {
  auto list = rules({"user:root all", "* none"});
  ASSERT_FALSE(list[0].who.principal.id);
  EXPECT_FALSE(allowed(list, kRoot, "uptime", CommandClass::read));
  list[0].who.principal.id = 0;  // as load_config resolves it
  EXPECT_TRUE(allowed(list, kRoot, "uptime", CommandClass::read));
}

TEST(PeerAccessGate, AsksDecideForItsPeer) {
  const auto list = rules({"uid:0 all", "* read"});
  const PeerAccessGate root(list, kRoot);
  const PeerAccessGate other(list, kOther);
  const request::AccessGate& gate = other;
  EXPECT_TRUE(root.allows("kill", CommandClass::write));
  EXPECT_FALSE(gate.allows("kill", CommandClass::write));
  EXPECT_TRUE(gate.allows("uptime", CommandClass::read));
}

TEST(AuditLine, UnixPeerFields) {
  const AuditLine line("reset_statistics", 200, PeerIdentity::unix_peer(1001, 2000, 4242));
  EXPECT_EQ(line.view(), "audit: command=reset_statistics status=200 uid=1001 gid=2000 pid=4242");
}

TEST(AuditLine, UdpPeerFields) {
  EXPECT_EQ(AuditLine("kill", 403, udp("192.0.2.7", 40000)).view(),
            "audit: command=kill status=403 from=192.0.2.7:40000");
  EXPECT_EQ(AuditLine("kill", 403, udp("2001:db8::1", 65535)).view(),
            "audit: command=kill status=403 from=[2001:db8::1]:65535");
}

TEST(AuditLine, NoByteOfTheNameCanForgeAField) {
  // Blanks, a line end, an escape sequence, a backslash, DEL, non-ASCII, NUL.
  const std::string forged = std::string("x status=200 uid=0\n\x1b[2J\\\x7f\xff\0", 27);
  const AuditLine line(forged, 403, PeerIdentity::unix_peer(7, 7, 7));
  EXPECT_EQ(
      line.view(),
      "audit: command=x\\x20status=200\\x20uid=0\\x0a\\x1b[2J\\x5c\\x7f\\xff\\x00 status=403 uid=7 "
      "gid=7 pid=7");
  for (const char c : line.view()) {
    EXPECT_TRUE(c >= 0x20 && c < 0x7f) << static_cast<int>(c);
  }
  // Exactly one of each field.
  const std::string text(line.view());
  EXPECT_EQ(text.find(" status="), text.rfind(" status="));
  EXPECT_EQ(text.find(" uid="), text.rfind(" uid="));
}

TEST(AuditLine, ALongNameIsCutAndMarked) {
  const std::string name(300, '\x01');
  const AuditLine line(name, 400, udp("::1", 1));
  const std::string expected = "audit: command=" + [] {
    std::string s;
    for (int i = 0; i < 64; ++i) s += "\\x01";
    return s;
  }() + "... status=400 from=[::1]:1";
  EXPECT_EQ(line.view(), expected);
}

}  // namespace
}  // namespace mid::transport

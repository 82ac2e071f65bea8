#include "config/parse_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <string>

#include "config/settings.hpp"

namespace mid::config {
namespace {

constexpr std::string_view kFile = "/etc/x.conf";
const std::string kSocket = "socket_name = /run/mi.sock\n";

Config must_parse(const std::string& text) {
  ConfigResult r = parse_config(text, kFile);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : to_string(r.error()));
  return r.ok() ? r.value() : Config{};
}

std::string error_of(const std::string& text) {
  ConfigResult r = parse_config(text, kFile);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : to_string(r.error());
}

// One bad setting on line 2 (after socket_name) gives exactly `message`.
void expect_bad(const std::string& line, const std::string& message) {
  EXPECT_EQ(error_of(kSocket + line + "\n"), message) << line;
}

TEST(ParseConfig, DefaultsFromTheHeader) {
  const Config c = must_parse(kSocket);
  ASSERT_TRUE(c.socket_name.has_value());
  EXPECT_EQ(c.socket_name->path, "/run/mi.sock");
  EXPECT_EQ(c.children_count, 1U);
  EXPECT_EQ(c.unix_socket_mode, 0660U);
  EXPECT_EQ(c.socket_timeout_ms, 2000U);
  EXPECT_EQ(c.reply_indent, "\t");
  EXPECT_EQ(c.sandbox, SandboxMode::kill);
  EXPECT_EQ(c.socket_buf_size, 65457U);
  EXPECT_EQ(c.log_level, 2);
  EXPECT_EQ(c.log_target, LogTarget::stderr_stream);
  EXPECT_TRUE(c.user.text.empty());
  EXPECT_TRUE(c.allow_from.empty());
  EXPECT_FALSE(c.enable_kill);
}

TEST(ParseConfig, ErrorFormat) {
  EXPECT_EQ(to_string(ConfigError{"/etc/x.conf", 7, "children_count", "m"}),
            "/etc/x.conf:7: children_count: m");
  EXPECT_EQ(to_string(ConfigError{"f", 0, "", "m"}), "f: m");
  EXPECT_EQ(quote_for_message(std::string(100, 'a')), "\"" + std::string(80, 'a') + "...\"");
  EXPECT_EQ(quote_for_message("\t\"\\\x01\xff"), R"("\t\"\\\x01\xff")");
}

TEST(ParseConfig, SocketName) {
  EXPECT_EQ(must_parse("socket_name = udp:[::1]:8094\n").socket_name->host, "::1");
  EXPECT_EQ(must_parse("socket_name = \"/tmp/with space.sock\"").socket_name->path,
            "/tmp/with space.sock");
  expect_bad("socket_name = udp:1.2.3.4:0",
             "/etc/x.conf:2: socket_name: UDP port must be a decimal number from 1 to 65535, got "
             "\"udp:1.2.3.4:0\"");
  expect_bad("socket_name = udp:a..b:1",
             "/etc/x.conf:2: socket_name: UDP host must be an IPv4 address, an IPv6 address in "
             "brackets or a host name, got \"udp:a..b:1\"");
  expect_bad("socket_name = /" + std::string(107, 'a'),
             "/etc/x.conf:2: socket_name: UNIX socket path longer than 107 bytes, got \"/" +
                 std::string(79, 'a') + "...\"");
  expect_bad("socket_name =",
             "/etc/x.conf:2: socket_name: must be a UNIX socket path or udp:HOST:PORT, got \"\"");
}

TEST(ParseConfig, MissingSocketName) {
  EXPECT_EQ(error_of("children_count = 2\n"),
            "/etc/x.conf: socket_name: required setting is missing (a UNIX socket path or "
            "udp:HOST:PORT)");
  EXPECT_EQ(error_of(""), error_of("# only a comment\n\n"));
  ConfigResult partial = parse_config_settings("children_count = 2\n", kFile);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial.value().children_count, 2U);
}

TEST(ParseConfig, ChildrenCount) {
  EXPECT_EQ(must_parse(kSocket + "children_count = 64").children_count, 64U);
  expect_bad("children_count = abc",
             "/etc/x.conf:2: children_count: must be an integer from 1 to 64, got \"abc\"");
  for (const char* v : {"0", "65", "-1", "+3", "03", " ", "3.0", "99999999999999999999"}) {
    expect_bad(std::string("children_count = \"") + v + "\"",
               std::string("/etc/x.conf:2: children_count: must be an integer from 1 to 64, got "
                           "\"") +
                   v + "\"");
  }
}

TEST(ParseConfig, UnixSocketMode) {
  EXPECT_EQ(must_parse(kSocket + "unix_socket_mode = 0600").unix_socket_mode, 0600U);
  EXPECT_EQ(must_parse(kSocket + "unix_socket_mode = 600").unix_socket_mode, 0600U);
  EXPECT_EQ(must_parse(kSocket + "unix_socket_mode = 0").unix_socket_mode, 0U);
  EXPECT_EQ(must_parse(kSocket + "unix_socket_mode = 0777").unix_socket_mode, 0777U);
  for (const char* v : {"0800", "1777", "00600", "rw-", "-1", ""}) {
    expect_bad(std::string("unix_socket_mode = ") + v,
               std::string("/etc/x.conf:2: unix_socket_mode: must be an octal mode from 0 to "
                           "0777, got \"") +
                   v + "\"");
  }
}

TEST(ParseConfig, UsersAndGroupsAsNamesOrNumbers) {
  const Config c = must_parse(kSocket +
                              "unix_socket_user = 0\nunix_socket_group = root\n"
                              "user = mi-datagram\ngroup = 65534\n");
  EXPECT_EQ(c.unix_socket_user.id, 0U);
  EXPECT_EQ(c.unix_socket_group.text, "root");
  EXPECT_FALSE(c.unix_socket_group.id.has_value());
  EXPECT_EQ(c.unix_socket_group.line, 3U);
  EXPECT_EQ(c.user.text, "mi-datagram");
  EXPECT_EQ(c.user.line, 4U);
  EXPECT_EQ(c.group.id, 65534U);
  EXPECT_EQ(must_parse(kSocket + "user = MACHINE$").user.text, "MACHINE$");
  expect_bad("user = 4294967295",
             "/etc/x.conf:2: user: must be a user name or a number from 0 to 4294967294, got "
             "\"4294967295\"");
  expect_bad("group = -x",
             "/etc/x.conf:2: group: must be a group name or a number from 0 to 4294967294, got "
             "\"-x\"");
  expect_bad("unix_socket_user = a/b",
             "/etc/x.conf:2: unix_socket_user: must be a user name or a number from 0 to "
             "4294967294, got \"a/b\"");
  expect_bad("unix_socket_group = " + std::string(33, 'g'),
             "/etc/x.conf:2: unix_socket_group: must be a group name or a number from 0 to "
             "4294967294, got \"" +
                 std::string(33, 'g') + "\"");
}

TEST(ParseConfig, SocketTimeout) {
  EXPECT_EQ(must_parse(kSocket + "socket_timeout = 60000").socket_timeout_ms, 60000U);
  EXPECT_EQ(must_parse(kSocket + "socket_timeout = 1").socket_timeout_ms, 1U);
  expect_bad("socket_timeout = 60001",
             "/etc/x.conf:2: socket_timeout: must be an integer from 1 to 60000 (milliseconds), "
             "got \"60001\"");
  expect_bad("socket_timeout = 0",
             "/etc/x.conf:2: socket_timeout: must be an integer from 1 to 60000 (milliseconds), "
             "got \"0\"");
}

TEST(ParseConfig, ReplyIndent) {
  EXPECT_EQ(must_parse(kSocket + "reply_indent = \"    \"").reply_indent, "    ");
  EXPECT_EQ(must_parse(kSocket + "reply_indent = \"\\t\\t\"").reply_indent, "\t\t");
  EXPECT_EQ(must_parse(kSocket + "reply_indent = \"\"").reply_indent, "");
  EXPECT_EQ(must_parse(kSocket + "reply_indent = \"" + std::string(16, ' ') + "\"").reply_indent,
            std::string(16, ' '));
  expect_bad("reply_indent = \"" + std::string(17, ' ') + "\"",
             "/etc/x.conf:2: reply_indent: must be at most 16 spaces or tabs (in double quotes), "
             "got \"" +
                 std::string(17, ' ') + "\"");
  expect_bad("reply_indent = --",
             "/etc/x.conf:2: reply_indent: must be at most 16 spaces or tabs (in double quotes), "
             "got \"--\"");
}

TEST(ParseConfig, PrettyPrintingAsOpenSipsWritesIt) {
  EXPECT_FALSE(must_parse(kSocket).pretty_printing);
  EXPECT_TRUE(must_parse(kSocket + "pretty_printing = yes").pretty_printing);
  EXPECT_TRUE(
      must_parse(kSocket + "modparam(\"mi_datagram\", \"pretty_printing\", 1)").pretty_printing);
  EXPECT_FALSE(must_parse(kSocket + "pretty_printing = 0").pretty_printing);
  expect_bad("pretty_printing = 2",
             "/etc/x.conf:2: pretty_printing: must be yes, no, true, false, 1 or 0, got \"2\"");
}

TEST(ParseConfig, SandboxLogAndKill) {
  const Config c = must_parse(kSocket +
                              "sandbox = trap\nlog_level = debug\nlog_target = syslog\n"
                              "enable_kill = yes\n");
  EXPECT_EQ(c.sandbox, SandboxMode::trap);
  EXPECT_EQ(c.log_level, 4);
  EXPECT_EQ(c.log_target, LogTarget::syslog);
  EXPECT_TRUE(c.enable_kill);
  EXPECT_EQ(must_parse(kSocket + "sandbox = off").sandbox, SandboxMode::off);
  EXPECT_EQ(must_parse(kSocket + "log_level = 0").log_level, 0);
  EXPECT_EQ(must_parse(kSocket + "log_level = warning").log_level, 1);
  EXPECT_FALSE(must_parse(kSocket + "enable_kill = false").enable_kill);
  EXPECT_TRUE(must_parse(kSocket + "enable_kill = 1").enable_kill);
  expect_bad("sandbox = none", "/etc/x.conf:2: sandbox: must be kill, trap or off, got \"none\"");
  expect_bad("log_level = 5",
             "/etc/x.conf:2: log_level: must be error, warning, notice, info, debug or 0 to 4, "
             "got \"5\"");
  expect_bad("log_target = file",
             "/etc/x.conf:2: log_target: must be stderr or syslog, got \"file\"");
  expect_bad("enable_kill = Yes",
             "/etc/x.conf:2: enable_kill: must be yes, no, true, false, 1 or 0, got \"Yes\"");
}

TEST(ParseConfig, SocketBufSize) {
  EXPECT_EQ(must_parse(kSocket + "socket_buf_size = 16777216").socket_buf_size, 16777216U);
  expect_bad("socket_buf_size = 65456",
             "/etc/x.conf:2: socket_buf_size: must be an integer from 65457 to 16777216 (bytes), "
             "got \"65456\"");
  expect_bad("socket_buf_size = 16777217",
             "/etc/x.conf:2: socket_buf_size: must be an integer from 65457 to 16777216 (bytes), "
             "got \"16777217\"");
}

TEST(ParseConfig, AllowedIds) {
  const Config c = must_parse(kSocket + "allowed_uids = 0, 1000,www-data\nallowed_gids = adm\n");
  EXPECT_EQ(c.allowed_uids, (std::vector<uint32_t>{0, 1000}));
  ASSERT_EQ(c.allowed_uid_names.size(), 1U);
  EXPECT_EQ(c.allowed_uid_names[0].text, "www-data");
  EXPECT_EQ(c.allowed_uid_names[0].line, 2U);
  EXPECT_TRUE(c.allowed_gids.empty());
  ASSERT_EQ(c.allowed_gid_names.size(), 1U);
  EXPECT_TRUE(must_parse(kSocket + "allowed_uids =").allowed_uids.empty());
  expect_bad("allowed_uids = 1,,2",
             "/etc/x.conf:2: allowed_uids: must be a comma-separated list of user names or "
             "numbers; \"\" is neither");
  expect_bad("allowed_gids = 1, a b",
             "/etc/x.conf:2: allowed_gids: must be a comma-separated list of group names or "
             "numbers; \"a b\" is neither");
}

TEST(ParseConfig, AllowFrom) {
  const Config c = must_parse(kSocket + "allow_from = 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8");
  ASSERT_EQ(c.allow_from.size(), 4U);
  EXPECT_EQ(c.allow_from[1].prefix, 8U);
  EXPECT_TRUE(c.allow_from[2].v6);
  EXPECT_EQ(c.allow_from[3].address[0], 0xfd);
  expect_bad("allow_from = 10.0.0.1/8",
             "/etc/x.conf:2: allow_from: must be a comma-separated list of IPv4 or IPv6 addresses "
             "or CIDRs; \"10.0.0.1/8\" has address bits set past the prefix length");
  expect_bad("allow_from = 127.0.0.1, localhost",
             "/etc/x.conf:2: allow_from: must be a comma-separated list of IPv4 or IPv6 addresses "
             "or CIDRs; \"localhost\" is not an IPv4 or IPv6 address");
  expect_bad("allow_from = ::/129",
             "/etc/x.conf:2: allow_from: must be a comma-separated list of IPv4 or IPv6 addresses "
             "or CIDRs; \"::/129\" has a prefix length that is not 0..32 (IPv4) or 0..128 (IPv6)");
}

TEST(ParseConfig, LastWinsForEveryKey) {
  const Config c = must_parse(
      "socket_name = /tmp/a.sock\nsocket_name = udp:127.0.0.1:8094\n"
      "children_count = 2\nchildren_count = 5\nallowed_uids = 1,2\nallowed_uids = 3\n");
  EXPECT_EQ(c.socket_name->kind, SocketAddress::Kind::udp);
  EXPECT_EQ(c.children_count, 5U);
  EXPECT_EQ(c.allowed_uids, (std::vector<uint32_t>{3}));
}

TEST(ParseConfig, UnknownKeyIsAnError) {
  expect_bad("children = 3", "/etc/x.conf:2: children: unknown setting");
  expect_bad("Socket_Name = /x", "/etc/x.conf:2: Socket_Name: unknown setting");
  expect_bad("modparam(\"mi_datagram\", \"socket_mode\", 0600)",
             "/etc/x.conf:2: socket_mode: unknown setting");
  expect_bad("modparam(\"mi_fifo\", \"fifo_name\", \"/tmp/fifo\")",
             "/etc/x.conf:2: fifo_name: modparam for module \"mi_fifo\": this file configures "
             "only \"mi_datagram\"");
}

TEST(ParseConfig, SeedManualExamplesVerbatim) {
  const std::string text =
      "# pasted from an opensips.cfg\n"
      "modparam(\"mi_datagram\", \"socket_name\", \"/tmp/opensips.sock\")\n"
      "modparam(\"mi_datagram\", \"socket_name\", \"udp:192.168.2.133:8080\")\n"
      "modparam(\"mi_datagram\", \"children_count\", 3)\n"
      "modparam(\"mi_datagram\", \"unix_socket_mode\", 0600)\n"
      "modparam(\"mi_datagram\", \"unix_socket_group\", 0)\n"
      "modparam(\"mi_datagram\", \"unix_socket_group\", \"root\")\n"
      "modparam(\"mi_datagram\", \"unix_socket_user\", 0)\n"
      "modparam(\"mi_datagram\", \"unix_socket_user\", \"root\")\n"
      "modparam(\"mi_datagram\", \"socket_timeout\", 2000)\n"
      "modparam(\"mi_datagram\", \"reply_indent\", \"    \")\n";
  const Config c = must_parse(text);
  EXPECT_EQ(format_socket_address(*c.socket_name), "udp:192.168.2.133:8080");  // last wins
  EXPECT_EQ(c.children_count, 3U);
  EXPECT_EQ(c.unix_socket_mode, 0600U);
  EXPECT_EQ(c.unix_socket_group.text, "root");
  EXPECT_EQ(c.unix_socket_user.text, "root");
  EXPECT_EQ(c.unix_socket_user.line, 9U);
  EXPECT_EQ(c.socket_timeout_ms, 2000U);
  EXPECT_EQ(c.reply_indent, "    ");
}

TEST(ParseConfig, LineEndsAndCommentsEverywhere) {
  const Config c = must_parse(
      "\r\n# comment\r\nsocket_name = /run/mi.sock   # trailing\r\n\t\n  children_count=4");
  EXPECT_EQ(c.socket_name->path, "/run/mi.sock");
  EXPECT_EQ(c.children_count, 4U);
  EXPECT_EQ(error_of(kSocket + "\n\nbogus\n"),
            "/etc/x.conf:4: bogus: expected '=' after the setting name");
}

TEST(ParseConfig, BoundsOnLinesAndFiles) {
  const std::string ok_line = "# " + std::string(kMaxConfigLine - 2, 'x');
  EXPECT_TRUE(parse_config(kSocket + ok_line + "\r\n", kFile).ok());
  EXPECT_EQ(error_of(kSocket + ok_line + "x\n"), "/etc/x.conf:2: line is longer than 4096 bytes");
  std::string big = kSocket;
  while (big.size() <= kMaxConfigFile) big += "#\n";
  EXPECT_EQ(error_of(big), "/etc/x.conf: file is larger than 1048576 bytes (1 MiB)");
  std::string many = kSocket;  // exactly at the bound: accepted
  many.append(kMaxConfigFile - many.size(), '\n');
  EXPECT_TRUE(parse_config(many, kFile).ok());
}

TEST(ApplySetting, SameValidationAsTheFile) {
  Config c;
  EXPECT_EQ(apply_setting(c, "children_count", "7", 0), std::nullopt);
  EXPECT_EQ(c.children_count, 7U);
  EXPECT_EQ(apply_setting(c, "children_count", "abc", 0),
            "must be an integer from 1 to 64, got \"abc\"");
  EXPECT_EQ(apply_setting(c, "nope", "1", 0), "unknown setting");
  EXPECT_EQ(setting_names().size(), 20U);
  for (const std::string_view name : setting_names()) {
    EXPECT_NE(apply_setting(c, name, "\x01", 0), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace mid::config

namespace mid::config {
namespace {

// Not a fuzzer (that is fuzz/), but under ASan+UBSan in ctest it catches an
// over-read or overflow on inputs built from the grammar's own pieces.
TEST(ParseConfig, SurvivesGrammarShapedNoise) {
  static constexpr std::string_view kPieces[] = {"socket_name", "modparam(",  "\"mi_datagram\"",
                                                 ",",           ")",          "=",
                                                 " ",           "\t",         "\"",
                                                 "\\",          "\\t",        "#",
                                                 "\n",          "\r",         "udp:",
                                                 "[::1]",       ":",          "8094",
                                                 "0600",        "allow_from", "10.0.0.0/8",
                                                 "::",          "/",          "user",
                                                 "root",        "\x01",       "children_count"};
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state] {
    state ^= state << 13U;
    state ^= state >> 7U;
    state ^= state << 17U;
    return state;
  };
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const uint64_t pieces = next() % 40;
    for (uint64_t i = 0; i < pieces; ++i) text += kPieces[next() % std::size(kPieces)];
    ConfigResult r = parse_config(text, "f");
    if (r.ok()) {
      EXPECT_TRUE(r.value().socket_name.has_value());
      continue;
    }
    const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    EXPECT_LE(r.error().line, lines + 1) << text;
    EXPECT_FALSE(r.error().message.empty()) << text;
  }
}

}  // namespace
}  // namespace mid::config

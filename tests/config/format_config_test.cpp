#include "config/format_config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "config/parse_config.hpp"

namespace mid::config {
namespace {

// Lines differ after a round trip by design; everything else must not.
void clear_lines(Config& c) {
  for (Principal* p : {&c.unix_socket_user, &c.unix_socket_group, &c.user, &c.group}) p->line = 0;
  for (Principal& p : c.allowed_uid_names) p.line = 0;
  for (Principal& p : c.allowed_gid_names) p.line = 0;
  for (AccessRule& rule : c.access) rule.who.principal.line = 0;
}

Config parsed(const std::string& text) {
  ConfigResult r = parse_config(text, "f");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : to_string(r.error())) << "\n" << text;
  Config c = r.ok() ? r.value() : Config{};
  clear_lines(c);
  return c;
}

TEST(FormatConfig, RoundTripsThroughParseConfig) {
  const std::string inputs[] = {
      "socket_name = /run/mi.sock\n",
      "socket_name = \"/tmp/odd \\\"name\\\" #1\\\\\"\nreply_indent = \"\"\n",
      "socket_name = udp:[2001:db8::1]:8094\nchildren_count = 64\nunix_socket_mode = 0\n"
      "unix_socket_user = 0\nunix_socket_group = adm\nsocket_timeout = 1\n"
      "reply_indent = \"\\t  \\t\"\nuser = www-data\ngroup = 33\nsandbox = trap\n"
      "socket_buf_size = 16777216\nlog_level = 4\nlog_target = syslog\n"
      "allowed_uids = root, 0, 1000, MACHINE$\nallowed_gids = 4\n"
      "allow_from = 127.0.0.1, 10.0.0.0/8, ::1, fd00::/8, 0.0.0.0/0\nenable_kill = true\n"
      "access = uid:0 all\naccess = group:adm read, reset_statistics\n"
      "access = udp:::1 read\naccess = user:www-data none\naccess = * read\n",
  };
  for (const std::string& input : inputs) {
    const Config first = parsed(input);
    const std::string text = format_config(first);
    EXPECT_EQ(parsed(text), first) << text;
    EXPECT_EQ(format_config(parsed(text)), text);  // a fixed point
  }
}

// A list that fills a whole line must still fit one line when written back.
TEST(FormatConfig, LongListsStayWithinTheLineBound) {
  std::string uids = "allowed_uids=";
  while (uids.size() + 2 <= kMaxConfigLine) uids += (uids.back() == '=' ? "1" : ",1");
  std::string nets = "allow_from=";
  while (nets.size() + 10 <= kMaxConfigLine) nets += (nets.back() == '=' ? "1::2" : ",1:0:2::");
  for (const std::string& list : {uids, nets}) {
    ASSERT_LE(list.size(), kMaxConfigLine);
    const Config first = parsed("socket_name=/x\n" + list + "\n");
    const std::string text = format_config(first);
    EXPECT_EQ(parsed(text), first);
  }
}

TEST(FormatConfig, WritesEveryKeyAndCommentsOutUnsetOnes) {
  const std::string text = format_config(Config{});
  EXPECT_NE(text.find("# socket_name is not set\n"), std::string::npos);
  EXPECT_NE(text.find("# user is not set\n"), std::string::npos);
  EXPECT_NE(text.find("unix_socket_mode = \"0660\"\n"), std::string::npos);
  EXPECT_NE(text.find("reply_indent = \"\\t\"\n"), std::string::npos);
  EXPECT_NE(text.find("allow_from = \"\"\n"), std::string::npos);
  EXPECT_EQ(quote_value("a\"b\\c\td"), R"("a\"b\\c\td")");
}

}  // namespace
}  // namespace mid::config

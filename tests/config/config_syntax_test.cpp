#include "config/config_syntax.hpp"

#include <gtest/gtest.h>

namespace mid::config {
namespace {

using Kind = ConfigLine::Kind;

void expect_setting(std::string_view line, std::string_view key, std::string_view value) {
  const ConfigLine l = parse_config_line(line);
  EXPECT_EQ(l.kind, Kind::setting) << line << ": " << l.text;
  EXPECT_EQ(l.key, key) << line;
  EXPECT_EQ(l.text, value) << line;
}

void expect_error(std::string_view line, std::string_view key, std::string_view message) {
  const ConfigLine l = parse_config_line(line);
  EXPECT_EQ(l.kind, Kind::error) << line;
  EXPECT_EQ(l.key, key) << line;
  EXPECT_EQ(l.text, message) << line;
}

TEST(ConfigSyntax, BlankAndCommentLines) {
  for (const char* line : {"", "   ", "\t", "# a comment", "   # indented", "#key = value"}) {
    EXPECT_EQ(parse_config_line(line).kind, Kind::blank) << line;
  }
}

TEST(ConfigSyntax, NameEqualsValue) {
  expect_setting("socket_name = /run/mi.sock", "socket_name", "/run/mi.sock");
  expect_setting("children_count=3", "children_count", "3");
  expect_setting("  log_level\t=\tdebug  ", "log_level", "debug");
  expect_setting("allow_from = 10.0.0.0/8, ::1", "allow_from", "10.0.0.0/8, ::1");
  expect_setting("reply_indent =", "reply_indent", "");
}

TEST(ConfigSyntax, TrailingCommentsNeedWhiteSpace) {
  expect_setting("children_count = 3 # three workers", "children_count", "3");
  expect_setting("children_count = 3\t# three", "children_count", "3");
  expect_setting("socket_name = /tmp/a#b", "socket_name", "/tmp/a#b");
  expect_setting("socket_name = # nothing", "socket_name", "");
}

TEST(ConfigSyntax, QuotedValuesAndEscapes) {
  expect_setting(R"(reply_indent = "    ")", "reply_indent", "    ");
  expect_setting(R"(reply_indent = "\t")", "reply_indent", "\t");
  expect_setting(R"(socket_name = "/tmp/a \"b\" \\c")", "socket_name", R"(/tmp/a "b" \c)");
  expect_setting(R"(socket_name = "/tmp/x # y" # comment)", "socket_name", "/tmp/x # y");
  expect_error(R"(reply_indent = "\n")", "reply_indent",
               R"(invalid escape \n in quoted value (only \", \\ and \t are allowed))");
  expect_error(R"(reply_indent = "  )", "reply_indent", "unterminated quoted value");
  expect_error(R"(reply_indent = "\)", "reply_indent", "unterminated quoted value");
  expect_error(R"(reply_indent = " " x)", "reply_indent",
               "unexpected text after the closing quote");
}

TEST(ConfigSyntax, SeedModparamLinesVerbatim) {
  expect_setting(R"(modparam("mi_datagram", "socket_name", "/tmp/opensips.sock"))", "socket_name",
                 "/tmp/opensips.sock");
  expect_setting(R"(modparam("mi_datagram", "socket_name", "udp:192.168.2.133:8080"))",
                 "socket_name", "udp:192.168.2.133:8080");
  expect_setting(R"(modparam("mi_datagram", "children_count", 3))", "children_count", "3");
  expect_setting(R"(modparam("mi_datagram", "unix_socket_mode", 0600))", "unix_socket_mode",
                 "0600");
  expect_setting(R"(modparam("mi_datagram", "unix_socket_group", 0))", "unix_socket_group", "0");
  expect_setting(R"(modparam("mi_datagram", "unix_socket_group", "root"))", "unix_socket_group",
                 "root");
  expect_setting(R"(modparam("mi_datagram", "unix_socket_user", 0))", "unix_socket_user", "0");
  expect_setting(R"(modparam("mi_datagram", "unix_socket_user", "root"))", "unix_socket_user",
                 "root");
  expect_setting(R"(modparam("mi_datagram", "socket_timeout", 2000))", "socket_timeout", "2000");
  expect_setting(R"(modparam("mi_datagram", "reply_indent", "    "))", "reply_indent", "    ");
}

TEST(ConfigSyntax, ModparamVariants) {
  expect_setting(R"(modparam ( "mi_datagram" ,"children_count",3 ) ;  # x)", "children_count", "3");
  expect_setting(R"(modparam("mi_datagram", "reply_indent", "\t");)", "reply_indent", "\t");
  expect_setting("modparamx = 1", "modparamx", "1");  // only "modparam (" starts a modparam
}

TEST(ConfigSyntax, ModparamErrors) {
  const ConfigLine other = parse_config_line(R"(modparam("tm", "fr_timeout", 5))");
  EXPECT_EQ(other.kind, Kind::error);
  EXPECT_EQ(other.key, "fr_timeout");
  EXPECT_EQ(other.text, R"(modparam for module "tm": this file configures only "mi_datagram")");
  EXPECT_EQ(other.foreign_module, "tm");
  const std::string shape =
      R"(expected modparam("mi_datagram", "NAME", VALUE) with NAME and the module in double quotes)";
  expect_error(R"(modparam(mi_datagram, "children_count", 3))", "", shape);
  expect_error(R"(modparam("mi_datagram" "children_count", 3))", "", shape);
  expect_error(R"(modparam("mi_datagram", "children_count" 3))", "children_count", shape);
  expect_error(R"(modparam("mi_datagram", "children_count", ))", "children_count",
               "missing value in modparam(...)");
  expect_error(R"(modparam("mi_datagram", "children_count", 3)", "children_count",
               "expected ')' after the modparam value");
  expect_error(R"(modparam("mi_datagram", "children_count", 3) x)", "children_count",
               "unexpected text after modparam(...)");
}

TEST(ConfigSyntax, ErrorsNeverEchoRawBytes) {
  expect_error("modparam(\"mi_datagram\", \"\xff\", 1)", "",
               R"(invalid parameter name "\xff" in modparam(...))");
  expect_error(R"(modparam("mi_datagram", "", 1))", "",
               R"(invalid parameter name "" in modparam(...))");
  expect_error(R"(modparam("mi_datagram", "a b", 1))", "",
               R"(invalid parameter name "a b" in modparam(...))");
  expect_error("reply_indent = \"\\\xc3\"", "reply_indent",
               R"(invalid escape \xc3 in quoted value (only \", \\ and \t are allowed))");
  expect_error("reply_indent = \"\\ \"", "reply_indent",
               R"(invalid escape \x20 in quoted value (only \", \\ and \t are allowed))");
}

TEST(ConfigSyntax, MalformedLines) {
  expect_error("= 3", "", R"(expected NAME = VALUE or modparam("mi_datagram", "NAME", VALUE))");
  expect_error("children_count 3", "children_count", "expected '=' after the setting name");
  expect_error("...", "...", "expected '=' after the setting name");
  expect_error(std::string_view("a = b\0c", 7), "",
               R"(control character "\x00" at byte 6 of the line)");
  expect_error("a = b\x1b[31m", "", R"(control character "\x1b" at byte 6 of the line)");
}

}  // namespace
}  // namespace mid::config

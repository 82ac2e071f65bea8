// Properties of the configuration parser and the socket_name parser
// (docs/CONFIGURATION.md, config/socket_address.hpp): well-formed input is
// accepted with the values written, anything else never crashes, and
// whatever is accepted round trips through the formatters.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "config/format_config.hpp"
#include "config/parse_config.hpp"
#include "config/socket_address.hpp"

namespace mid::proptest {
namespace {

using config::SocketAddress;

rc::Gen<unsigned> port() {
  return rc::gen::inRange(1U, 65536U);
}

rc::Gen<std::string> ipv4_text() {
  return rc::gen::map(rc::gen::container<std::vector<int>>(4, rc::gen::inRange(0, 256)),
                      [](const std::vector<int>& parts) {
                        return std::to_string(parts[0]) + "." + std::to_string(parts[1]) + "." +
                               std::to_string(parts[2]) + "." + std::to_string(parts[3]);
                      });
}

// Eight hex groups, with the longest-first run of zeros (if any) written
// "::" when `compress` is set.
rc::Gen<std::string> ipv6_text() {
  return rc::gen::apply(
      [](const std::vector<unsigned>& groups, bool compress) {
        std::string out;
        for (std::size_t i = 0; i < groups.size(); ++i) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "%x", groups[i]);
          out += (i == 0 ? "" : ":") + std::string(hex);
        }
        if (compress) {
          if (const std::size_t zero = out.find(":0:"); zero != std::string::npos) {
            out.replace(zero, 3, "::");
          }
        }
        return out;
      },
      rc::gen::container<std::vector<unsigned>>(
          8, rc::gen::weightedOneOf<unsigned>(
                 {{2, rc::gen::just(0U)}, {3, rc::gen::inRange(0U, 0x10000U)}})),
      rc::gen::arbitrary<bool>());
}

// RFC 1123 names with at least one letter (a name of digits and dots must
// be an IPv4 address).
rc::Gen<std::string> host_name() {
  const auto label =
      rc::gen::map(rc::gen::pair(rc::gen::nonEmpty(rc::gen::container<std::string>(
                                     rc::gen::element('a', 'b', 'z', '0', '9', '-'))),
                                 rc::gen::element('a', 'q', 'z')),
                   [](const std::pair<std::string, char>& p) {
                     std::string text = std::string(1, p.second) + p.first.substr(0, 60);
                     if (text.back() == '-') text.back() = 'x';
                     return text;
                   });
  return rc::gen::map(
      rc::gen::resize(4, rc::gen::nonEmpty(rc::gen::container<std::vector<std::string>>(label))),
      [](const std::vector<std::string>& labels) {
        std::string out;
        for (const auto& l : labels) out += (out.empty() ? "" : ".") + l;
        return out;
      });
}

rc::Gen<std::string> unix_path() {
  return rc::gen::map(
      rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::weightedOneOf<char>(
          {{4, rc::gen::element('/', 'a', 'z', '.', '-')},
           {1, rc::gen::inRange(' ', '\x7f')},
           {1, rc::gen::map(rc::gen::inRange(0x80, 0x100),
                            [](int c) { return static_cast<char>(c); })}}))),
      [](std::string path) {
        path.resize(std::min<std::size_t>(path.size(), 107));
        if (path.starts_with("udp:")) path[0] = '/';
        return path;
      });
}

rc::Gen<std::string> socket_name_text() {
  return rc::gen::weightedOneOf<std::string>({
      {2, unix_path()},
      {1, rc::gen::apply(
              [](const std::string& h, unsigned p) { return "udp:" + h + ":" + std::to_string(p); },
              ipv4_text(), port())},
      {1, rc::gen::apply([](const std::string& h,
                            unsigned p) { return "udp:[" + h + "]:" + std::to_string(p); },
                         ipv6_text(), port())},
      {1, rc::gen::apply(
              [](const std::string& h, unsigned p) { return "udp:" + h + ":" + std::to_string(p); },
              host_name(), port())},
  });
}

void assert_round_trip(const SocketAddress& address) {
  const std::string text = config::format_socket_address(address);
  const auto again = config::parse_socket_address(text);
  RC_ASSERT(again.ok());
  RC_ASSERT(again.value() == address);
  RC_ASSERT(config::format_socket_address(again.value()) == text);
}

RC_GTEST_PROP(SocketAddressProperties, AcceptsEveryWellFormedNameAndRoundTrips, ()) {
  const std::string text = *socket_name_text();
  const auto parsed = config::parse_socket_address(text);
  RC_ASSERT(parsed.ok());
  if (!text.starts_with("udp:")) RC_ASSERT(parsed.value().path == text);
  assert_round_trip(parsed.value());
}

RC_GTEST_PROP(SocketAddressProperties, AnyTextIsAnAddressOrAnErrorWithinIt, ()) {
  const std::string text = *rc::gen::weightedOneOf<std::string>({
      {2, rc::gen::container<std::string>(rc::gen::element('u', 'd', 'p', ':', '[', ']', '1', '0',
                                                           '.', 'f', '/', '9', '-', '\0', ' '))},
      {1, rc::gen::map(socket_name_text(), [](std::string s) { return s + ":"; })},
      {1, rc::gen::string<std::string>()},
  });
  const auto parsed = config::parse_socket_address(text);
  RC_TAG(parsed.ok() ? "accepted" : "refused");
  if (!parsed) {
    RC_ASSERT(parsed.error().offset <= text.size());
    return;
  }
  assert_round_trip(parsed.value());
}

// A configuration written key by key with the values the generator chose.
struct Written {
  std::string text;
  config::Config expected;
};

rc::Gen<Written> written_config() {
  return rc::gen::apply(
      [](const std::string& socket, unsigned children, unsigned mode, unsigned timeout,
         const std::string& indent, int sandbox, int level) {
        static const char* const kSandbox[] = {"kill", "trap", "off"};
        static const char* const kLevels[] = {"error", "warning", "notice", "info", "debug"};
        Written w;
        w.text = "socket_name = " + config::quote_value(socket) + "  # where\n" +
                 "children_count=" + std::to_string(children) + "\r\n" + "\tunix_socket_mode = 0" +
                 std::to_string(mode / 64) + std::to_string(mode / 8 % 8) +
                 std::to_string(mode % 8) + "\n" + "socket_timeout = " + std::to_string(timeout) +
                 "\n# comment\n\n" + "reply_indent = " + config::quote_value(indent) + "\n" +
                 "sandbox = " + kSandbox[sandbox] + "\nlog_level = " + kLevels[level];
        w.expected.socket_name = config::parse_socket_address(socket).value();
        w.expected.children_count = children;
        w.expected.unix_socket_mode = mode;
        w.expected.socket_timeout_ms = timeout;
        w.expected.reply_indent = indent;
        w.expected.sandbox = static_cast<config::SandboxMode>(sandbox);
        w.expected.log_level = level;
        return w;
      },
      socket_name_text(), rc::gen::inRange(1U, 65U), rc::gen::inRange(0U, 01000U),
      rc::gen::inRange(1U, 60001U),
      rc::gen::resize(16, rc::gen::container<std::string>(rc::gen::element(' ', '\t'))),
      rc::gen::inRange(0, 3), rc::gen::inRange(0, 5));
}

void clear_lines(config::Config& c) {
  for (config::Principal* p : {&c.unix_socket_user, &c.unix_socket_group, &c.user, &c.group}) {
    p->line = 0;
  }
  for (auto* names : {&c.allowed_uid_names, &c.allowed_gid_names}) {
    for (config::Principal& p : *names) p.line = 0;
  }
  for (config::AccessRule& rule : c.access) rule.who.principal.line = 0;
}

RC_GTEST_PROP(ConfigProperties, WellFormedFilesGiveTheValuesWritten, ()) {
  const Written written = *written_config();
  RC_PRE(written.expected.reply_indent.size() <= 16U);
  const auto parsed = config::parse_config(written.text, "p.conf");
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed.value() == written.expected);
}

// Lines from the grammar's pieces: keys, blanks, quotes, escapes,
// comments, list values; most files are refused somewhere, all must be
// handled, and what is accepted round trips through format_config.
rc::Gen<std::string> config_like_text() {
  const auto piece = rc::gen::weightedOneOf<std::string>({
      {4, rc::gen::element<std::string>(
              "socket_name", "children_count", "unix_socket_mode", "unix_socket_user",
              "unix_socket_group", "socket_timeout", "reply_indent", "user", "group", "sandbox",
              "socket_buf_size", "log_level", "log_target", "allowed_uids", "allowed_gids",
              "allow_from", "enable_kill", "access", "modparam(\"mi_datagram\", \"", "\", ", ")")},
      {4, rc::gen::element<std::string>(" = ", "=", "\n", "\r\n", " ", "\t", "\"", "\\\"", "\\t",
                                        "\\", "#", " #", ",", ", ", "/x.sock", "udp:[::1]:9",
                                        "udp:127.0.0.1:9", "0660", "3", "0", "kill", "debug",
                                        "root", "adm", "10.0.0.0/8", "::1", "yes", "syslog")},
      {4, rc::gen::element<std::string>(
              "\nchildren_count = 3\n",
              "\nallow_from = 10.0.0.0/8, ::1,fd00::/8\n", "\nallowed_uids = root, 0,daemon\n",
              "\nreply_indent = \"  \\t\"\n", "\nenable_kill = yes\n", "\nuser = nobody # x\n",
              "\nlog_level = 4\n",
              "\nmodparam(\"mi_datagram\", \"socket_name\", \"udp:[::1]:8094\")\n",
              "\nunix_socket_group = 100\n", "\nsocket_name = \"/a b\"\n", "\naccess = uid:0 all\n",
              "\naccess = group:adm read, reset_statistics\n", "\naccess = udp:::1 none\n",
              "\naccess = * read\n")},
      {1, rc::gen::string<std::string>()},
  });
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(piece),
                      [](const std::vector<std::string>& parts) {
                        std::string out = "socket_name = /run/p.sock\n";
                        for (const auto& part : parts) out += part;
                        return out;
                      });
}

RC_GTEST_PROP(ConfigProperties, AnyTextIsAConfigOrAnErrorAndAcceptedOnesRoundTrip, ()) {
  const std::string text = *config_like_text();
  const auto parsed = config::parse_config(text, "p.conf");
  RC_TAG(parsed.ok() ? "accepted" : "refused");
  if (!parsed) {
    const std::string message = config::to_string(parsed.error());
    RC_ASSERT(message.find_first_of("\r\n") == std::string::npos);
    return;
  }
  const std::string formatted = config::format_config(parsed.value());
  auto again = config::parse_config(formatted, "formatted");
  RC_ASSERT(again.ok());
  RC_ASSERT(config::format_config(again.value()) == formatted);
  config::Config first = parsed.value();
  clear_lines(first);
  clear_lines(again.value());
  RC_ASSERT(again.value() == first);
}

}  // namespace
}  // namespace mid::proptest

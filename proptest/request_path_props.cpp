// Properties of the whole request path (request::handle_datagram over the
// built-in commands, testsupport/builtin_world.hpp): whatever a request
// holds, no reply line carries a control byte raw but its own LF
// (docs/PROTOCOL.md, "Escapes in replies"), in the status line of an
// error that quotes the request as much as in values that echo it.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "builtin_world.hpp"
#include "common/raw_control.hpp"
#include "core/limits.hpp"
#include "generators.hpp"
#include "protocol/text/request_printer.hpp"

namespace mid::proptest {
namespace {

// Every command the daemon registers, and names it does not.
const std::vector<std::string> kCommands = {
    "help",      "which",          "version",         "uptime",           "pwd",  "arg",    "ps",
    "log_level", "get_statistics", "list_statistics", "reset_statistics", "kill", "nosuch", "Help",
    "x"};

// Mostly control bytes (ESC, BEL, DEL, CR, LF, tab...), then letters.
rc::Gen<char> control_heavy_byte() {
  return rc::gen::weightedOneOf<char>({
      {4, rc::gen::element('\x1b', '\x07', '\x7f', '\r', '\n', '\t', '\x01', '\x1f', '\x9b')},
      {3, rc::gen::inRange('a', static_cast<char>('z' + 1))},
      {2, value_byte()},
  });
}

rc::Gen<std::string> control_heavy_text() {
  return rc::gen::container<std::string>(control_heavy_byte());
}

// A request print_request writes (values quoted as needed) for a known or
// unknown command with arguments full of control bytes; or raw bytes.
rc::Gen<std::string> hostile_request() {
  const auto printed = rc::gen::map(
      rc::gen::pair(
          rc::gen::elementOf(kCommands),
          rc::gen::resize(4, rc::gen::container<std::vector<std::string>>(control_heavy_text()))),
      [](const std::pair<std::string, std::vector<std::string>>& parts) {
        std::vector<tree::Argument> arguments;
        for (const std::string& value : parts.second) arguments.push_back({{}, value});
        std::string out(core::kMaxDatagram, '\0');
        const auto size = protocol::text::print_request(parts.first, arguments, out);
        out.resize(size ? size.value() : 0);
        return out;
      });
  const auto raw = rc::gen::map(rc::gen::pair(rc::gen::elementOf(kCommands), control_heavy_text()),
                                [](const std::pair<std::string, std::string>& parts) {
                                  return ":" + parts.first + ":\n" + parts.second;
                                });
  return rc::gen::weightedOneOf<std::string>({{4, printed}, {2, raw}, {1, request_like_bytes()}});
}

RC_GTEST_PROP(RequestPathProperties, NoReplyLineCarriesARawControlByte, ()) {
  auto world = std::make_unique<support::BuiltinWorld>();
  world->environment.kill_enabled = *rc::gen::arbitrary<bool>();
  RC_ASSERT(world->start("mi-datagram properties"));
  // `pwd` and `arg` echo the server's own directory and command line,
  // which whoever started it chose: control bytes there too.
  world->environment.working_directory = *control_heavy_text();
  world->environment.arguments =
      *rc::gen::resize(4, rc::gen::container<std::vector<std::string>>(control_heavy_text()));
  const std::string indent = *mid::proptest::indent();
  const std::string request = *hostile_request();
  const request::Handled handled = world->handle(request, indent);
  RC_ASSERT(!handled.reply.empty());
  RC_ASSERT(handled.reply.back() == '\n');
  RC_ASSERT(fuzz::has_no_raw_control_byte(handled.reply, indent));
}

// The attack as reported: `help` naming a command made of a terminal's
// title-setting sequence is answered 404 with the sequence escaped.
TEST(RequestPath, HelpOfATitleSequenceIsEscapedIn404) {
  auto world = std::make_unique<support::BuiltinWorld>();
  ASSERT_TRUE(world->start("mi-datagram properties"));
  const request::Handled handled = world->handle(":help:\n\x1b]0;pwned\x07 X\n", "\t");
  EXPECT_EQ(handled.reply, "404 unknown command: \\x1b]0;pwned\\x07 X\n");
}

}  // namespace
}  // namespace mid::proptest

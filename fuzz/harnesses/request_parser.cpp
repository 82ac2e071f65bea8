// Harness: the request parser, on the bytes a datagram can carry.
// Invariants: an input over kMaxDatagram is rejected whole (also when seen
// through the server's kReceiveBuffer); an error's offset lies within the
// input; an accepted request obeys the grammar's limits; and a request
// that prints again reads back as itself and prints to the same bytes
// (parse-print-parse is a fixed point).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "common/harness.hpp"
#include "core/limits.hpp"
#include "protocol/text/grammar.hpp"
#include "protocol/text/request_parser.hpp"
#include "protocol/text/request_printer.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace protocol = mid::protocol;
namespace tree = mid::tree;

struct State {
  protocol::text::RequestScratch first;
  protocol::text::RequestScratch second;
  std::unique_ptr<char[]> printed{new char[core::kMaxDatagram]};
  std::unique_ptr<char[]> reprinted{new char[core::kMaxDatagram]};
};

bool same_request(const protocol::text::Request& a, const protocol::text::Request& b) {
  if (a.command != b.command || a.arguments.size() != b.arguments.size()) return false;
  for (std::size_t i = 0; i < a.arguments.size(); ++i) {
    if (!(a.arguments[i] == b.arguments[i])) return false;
  }
  return true;
}

void check_accepted(const protocol::text::Request& request) {
  check(!request.command.empty() && request.command.size() <= core::kMaxCommandName,
        "command name length");
  for (const char c : request.command)
    check(protocol::text::is_command_char(c), "command name byte");
  check(request.arguments.size() <= core::kMaxArguments, "argument count");
  for (const tree::Argument& argument : request.arguments) {
    check(argument.name.find('\0') == std::string_view::npos, "NUL in a name");
    check(argument.value.find('\0') == std::string_view::npos, "NUL in a value");
    check(protocol::text::trim_blanks(argument.name) == argument.name, "name not trimmed");
  }
}

void check_reprint(State& state, const protocol::text::Request& request) {
  const std::span<char> out(state.printed.get(), core::kMaxDatagram);
  const auto printed = protocol::text::print_request(request.command, request.arguments, out);
  if (!printed) {
    const core::Error error = printed.error();
    // Every parsed request is printable; only its size can be refused.
    check(error.code == core::Errc::request_too_large, "parsed request refused by the printer");
    check(error.offset <= core::kMaxDatagram, "printer error offset");
    return;
  }
  check(printed.value() <= core::kMaxDatagram, "printed request over the limit");
  const std::string_view text(state.printed.get(), printed.value());
  const auto again = protocol::text::parse_request(text, state.second);
  check(again.ok(), "printed request does not parse");
  check(same_request(request, again.value()), "parse-print-parse changed the request");
  const std::span<char> out2(state.reprinted.get(), core::kMaxDatagram);
  const auto reprinted =
      protocol::text::print_request(again.value().command, again.value().arguments, out2);
  check(reprinted.ok() && std::string_view(state.reprinted.get(), reprinted.value()) == text,
        "second print differs");
}

void run(std::string_view input) {
  static State& state = *new State;
  const auto parsed = protocol::text::parse_request(input, state.first);
  if (input.size() > core::kMaxDatagram) {
    const core::Error expected{core::Errc::request_too_large, core::kMaxDatagram};
    check(!parsed && parsed.error() == expected, "oversize input not rejected whole");
    const auto received =
        protocol::text::parse_request(input.substr(0, core::kReceiveBuffer), state.first);
    check(!received && received.error() == expected, "oversize datagram not rejected whole");
    return;
  }
  if (!parsed) {
    check(parsed.error().offset <= input.size(), "error offset past the input");
    check(parsed.error().code != core::Errc::request_too_large, "in-limit input called too large");
    return;
  }
  check_accepted(parsed.value());
  check_reprint(state, parsed.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

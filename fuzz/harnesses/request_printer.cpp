// Harness: the request printer round trip (the client's side).
// The input is split at 0xFF bytes into a command name, then name/value
// pairs (an empty name is a positional argument), so every byte but 0xFF
// can appear in a name or value. Invariants: the printer refuses exactly
// the documented unprintable requests; what it prints fits the limit and
// reads back as exactly the same request; it completes iff the span holds
// the whole request; and it is refused as too large only when it is.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

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

constexpr char kSeparator = '\xff';

struct Decoded {
  std::string_view command;
  std::vector<tree::Argument> arguments;
};

Decoded decode(std::string_view input) {
  std::vector<std::string_view> fields;
  for (std::size_t begin = 0;;) {
    const std::size_t end = input.find(kSeparator, begin);
    fields.push_back(input.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  Decoded out{fields[0], {}};
  for (std::size_t i = 1; i + 1 < fields.size() && out.arguments.size() < core::kMaxArguments;
       i += 2) {
    out.arguments.push_back(tree::Argument{fields[i], fields[i + 1]});
  }
  return out;
}

// The documented rules, restated independently of the printer.
bool printable_command(std::string_view command) {
  if (command.empty() || command.size() > core::kMaxCommandName) return false;
  for (const char c : command) {
    if (!protocol::text::is_command_char(c)) return false;
  }
  return true;
}

bool printable_name(std::string_view name) {
  return !name.empty() && protocol::text::trim_blanks(name) == name &&
         name.find("::") == std::string_view::npos &&
         name.find_first_of(std::string_view("\"\r\n\0", 4)) == std::string_view::npos;
}

// Index of the first argument the printer must refuse, 0 for the command,
// or -1 when the request is printable.
long first_unprintable(const Decoded& request) {
  if (!printable_command(request.command)) return 0;
  for (std::size_t i = 0; i < request.arguments.size(); ++i) {
    const tree::Argument& argument = request.arguments[i];
    if (!argument.name.empty() && !printable_name(argument.name)) return static_cast<long>(i);
    if (argument.value.find('\0') != std::string_view::npos) return static_cast<long>(i);
  }
  return -1;
}

// Bounds on the printed size: every value bare, or every value quoted
// with every byte escaped.
void size_bounds(const Decoded& request, std::size_t& low, std::size_t& high) {
  low = high = request.command.size() + 3;
  for (const tree::Argument& argument : request.arguments) {
    // "name::", or "name: ::" for a name ending in ':'.
    const std::size_t separator = !argument.name.empty() && argument.name.back() == ':' ? 3 : 2;
    const std::size_t name = argument.name.empty() ? 0 : argument.name.size() + separator;
    low += name + argument.value.size() + 1;
    high += name + 2 * argument.value.size() + 3;
  }
}

void check_read_back(const Decoded& request, std::string_view text) {
  static protocol::text::RequestScratch& scratch = *new protocol::text::RequestScratch;
  const auto parsed = protocol::text::parse_request(text, scratch);
  check(parsed.ok(), "printed request does not parse");
  check(parsed.value().command == request.command, "command changed");
  check(parsed.value().arguments.size() == request.arguments.size(), "argument count changed");
  for (std::size_t i = 0; i < request.arguments.size(); ++i) {
    check(parsed.value().arguments[i] == request.arguments[i], "argument changed");
  }
}

// Completes iff the span holds the whole request, and never writes past it.
void check_exact_spans(const Decoded& request, std::string_view text) {
  const std::unique_ptr<char[]> exact(new char[text.size()]);
  const auto fits = protocol::text::print_request(request.command, request.arguments,
                                                  std::span<char>(exact.get(), text.size()));
  check(fits.ok() && std::string_view(exact.get(), fits.value()) == text, "exact span");
  const auto short_by_one = protocol::text::print_request(
      request.command, request.arguments, std::span<char>(exact.get(), text.size() - 1));
  check(!short_by_one && short_by_one.error().code == core::Errc::request_too_large,
        "span one byte short accepted");
}

void run(std::string_view input) {
  const Decoded request = decode(input);
  static char* const buffer = new char[core::kMaxDatagram];
  const auto printed = protocol::text::print_request(request.command, request.arguments,
                                                     std::span<char>(buffer, core::kMaxDatagram));
  const long refused = first_unprintable(request);
  if (refused >= 0) {
    check(!printed && printed.error().code == core::Errc::request_unprintable &&
              printed.error().offset == static_cast<std::size_t>(refused),
          "unprintable request not refused at its first bad part");
    return;
  }
  std::size_t low = 0;
  std::size_t high = 0;
  size_bounds(request, low, high);
  if (!printed) {
    check(printed.error().code == core::Errc::request_too_large, "printable request refused");
    check(low > core::kMaxDatagram || high > core::kMaxDatagram, "refused a request that fits");
    check(printed.error().offset <= core::kMaxDatagram, "too-large offset");
    return;
  }
  check(printed.value() >= low && printed.value() <= high, "printed size out of bounds");
  check(printed.value() <= core::kMaxDatagram, "printed request over the limit");
  const std::string_view text(buffer, printed.value());
  check_read_back(request, text);
  check_exact_spans(request, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

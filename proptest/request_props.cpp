// Properties of the request parser and printer (docs/PROTOCOL.md,
// "Requests" and "Writing requests").
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/limits.hpp"
#include "generators.hpp"
#include "protocol/text/request_parser.hpp"
#include "protocol/text/request_printer.hpp"

namespace mid::proptest {
namespace {

using tree::Argument;

struct Buffers {
  std::unique_ptr<protocol::text::RequestScratch> scratch =
      std::make_unique<protocol::text::RequestScratch>();
  std::unique_ptr<protocol::text::RequestScratch> scratch2 =
      std::make_unique<protocol::text::RequestScratch>();
  std::vector<char> out = std::vector<char>(core::kMaxDatagram);
  std::vector<char> out2 = std::vector<char>(core::kMaxDatagram);
};

std::vector<Argument> views_of(const std::vector<ArgSpec>& specs) {
  std::vector<Argument> arguments;
  for (const ArgSpec& spec : specs) arguments.push_back(Argument{spec.name, spec.value});
  return arguments;
}

bool same_arguments(std::span<const Argument> a, std::span<const Argument> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

RC_GTEST_PROP(RequestProperties, PrintThenParseIsTheIdentity, ()) {
  const std::string command = *command_name();
  const auto specs = *rc::gen::container<std::vector<ArgSpec>>(argument());
  const std::vector<Argument> arguments = views_of(specs);
  Buffers buffers;
  const auto printed = protocol::text::print_request(command, arguments, buffers.out);
  RC_ASSERT(printed.ok());
  RC_ASSERT(printed.value() <= core::kMaxDatagram);
  const std::string_view text(buffers.out.data(), printed.value());
  const auto parsed = protocol::text::parse_request(text, *buffers.scratch);
  RC_ASSERT(parsed.ok());
  RC_ASSERT(parsed.value().command == command);
  RC_ASSERT(same_arguments(parsed.value().arguments, arguments));
}

RC_GTEST_PROP(RequestProperties, ArbitraryBytesGiveARequestOrAnErrorWithinTheInput, ()) {
  const std::string input = *request_like_bytes();
  Buffers buffers;
  const auto parsed = protocol::text::parse_request(input, *buffers.scratch);
  if (!parsed) {
    RC_ASSERT(parsed.error().offset <= input.size());
    RC_ASSERT(parsed.error().code != core::Errc::request_too_large);
    return;
  }
  RC_ASSERT(!parsed.value().command.empty());
  RC_ASSERT(parsed.value().arguments.size() <= core::kMaxArguments);
  for (const Argument& argument : parsed.value().arguments) {
    RC_ASSERT(argument.value.find('\0') == std::string_view::npos);
  }
}

RC_GTEST_PROP(RequestProperties, ParsePrintParseReachesAFixedPoint, ()) {
  const std::string input = *grammar_request();
  Buffers buffers;
  const auto parsed = protocol::text::parse_request(input, *buffers.scratch);
  RC_PRE(parsed.ok());
  const auto printed =
      protocol::text::print_request(parsed.value().command, parsed.value().arguments, buffers.out);
  RC_ASSERT(printed.ok());  // every parsed request prints (the generator stays small)
  const std::string_view text(buffers.out.data(), printed.value());
  const auto again = protocol::text::parse_request(text, *buffers.scratch2);
  RC_ASSERT(again.ok());
  RC_ASSERT(again.value().command == parsed.value().command);
  RC_ASSERT(same_arguments(again.value().arguments, parsed.value().arguments));
  const auto reprinted =
      protocol::text::print_request(again.value().command, again.value().arguments, buffers.out2);
  RC_ASSERT(reprinted.ok());
  RC_ASSERT(std::string_view(buffers.out2.data(), reprinted.value()) == text);
}

// Around the limit: a request of n bytes is parsed iff n <= kMaxDatagram,
// and otherwise rejected whole at offset kMaxDatagram.
RC_GTEST_PROP(RequestProperties, SizeLimitIsExact, ()) {
  const std::size_t size = *rc::gen::inRange(core::kMaxDatagram - 4, core::kMaxDatagram + 5);
  const std::string head = ":x:\nv::";
  const std::string input = head + std::string(size - head.size(), 'a');
  Buffers buffers;
  const auto parsed = protocol::text::parse_request(input, *buffers.scratch);
  if (size <= core::kMaxDatagram) {
    RC_ASSERT(parsed.ok());
    RC_ASSERT(parsed.value().arguments[0].value.size() == size - head.size());
  } else {
    RC_ASSERT(!parsed.ok());
    RC_ASSERT(parsed.error() == (core::Error{core::Errc::request_too_large, core::kMaxDatagram}));
  }
}

// The printer completes iff the span holds the whole request and never
// writes past the span (guard bytes after it stay untouched).
RC_GTEST_PROP(RequestProperties, PrinterRespectsEverySpanSize, ()) {
  const std::string command = *command_name();
  const auto specs = *rc::gen::resize(20, rc::gen::container<std::vector<ArgSpec>>(argument()));
  const std::vector<Argument> arguments = views_of(specs);
  Buffers buffers;
  const auto full = protocol::text::print_request(command, arguments, buffers.out);
  RC_ASSERT(full.ok());
  const std::string_view expected(buffers.out.data(), full.value());
  constexpr std::size_t kGuard = 16;
  for (std::size_t size = 0; size <= full.value(); ++size) {
    std::vector<char> span(size + kGuard, '\x5a');
    const auto printed =
        protocol::text::print_request(command, arguments, std::span<char>(span.data(), size));
    RC_ASSERT(std::all_of(span.begin() + static_cast<std::ptrdiff_t>(size), span.end(),
                          [](char c) { return c == '\x5a'; }));
    if (size < full.value()) {
      RC_ASSERT(!printed.ok());
      RC_ASSERT(printed.error().code == core::Errc::request_too_large);
      RC_ASSERT(printed.error().offset <= size);
    } else {
      RC_ASSERT(printed.ok());
      RC_ASSERT(std::string_view(span.data(), printed.value()) == expected);
    }
  }
}

}  // namespace
}  // namespace mid::proptest

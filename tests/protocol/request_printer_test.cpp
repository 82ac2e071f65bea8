#include "protocol/text/request_printer.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/limits.hpp"
#include "protocol/text/request_parser.hpp"
#include "test_support.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;
using namespace std::string_literals;

class RequestPrinter : public ::testing::Test {
 protected:
  // Prints into a kMaxDatagram buffer; "" with the error kept on failure.
  std::string print(std::string_view command, const std::vector<Argument>& args) {
    auto written = print_request(command, args, buffer_);
    if (!written) {
      last_error_ = written.error();
      return {};
    }
    return std::string(buffer_.data(), written.value());
  }
  Error error_of(std::string_view command, const std::vector<Argument>& args) {
    auto written = print_request(command, args, buffer_);
    EXPECT_FALSE(written.ok());
    return written.ok() ? Error{Errc::unknown_command, 0xdead} : written.error();
  }
  // Prints, parses back and expects the same command and arguments.
  void expect_round_trip(std::string_view command, const std::vector<Argument>& args) {
    const std::string wire = print(command, args);
    ASSERT_FALSE(wire.empty()) << testing::PrintToString(last_error_);
    const test::ExactCopy copy(wire);
    auto parsed = parse_request(copy.view(), *scratch_);
    ASSERT_TRUE(parsed.ok()) << testing::PrintToString(parsed.error()) << " in "
                             << testing::PrintToString(wire);
    EXPECT_EQ(parsed.value().command, command);
    const std::vector<Argument> back(parsed.value().arguments.begin(),
                                     parsed.value().arguments.end());
    EXPECT_EQ(back, args) << "wire: " << testing::PrintToString(wire);
  }

  std::vector<char> buffer_ = std::vector<char>(core::kMaxDatagram);
  std::unique_ptr<RequestScratch> scratch_ = std::make_unique<RequestScratch>();
  Error last_error_{Errc::empty_request, 0};
};

TEST_F(RequestPrinter, PrintsSeedExampleExactly) {
  EXPECT_EQ(print("get_statistics", {{"", "dialog:"}, {"", "tm:"}}),
            ":get_statistics:\ndialog:\ntm:\n");
  EXPECT_EQ(print("version", {}), ":version:\n");
}

TEST_F(RequestPrinter, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(print("c", {{"", "two words"}, {"n", "v::w"}, {"n", ""}, {"", "a\\b"}}),
            ":c:\ntwo words\nn::v::w\nn::\n\"a\\\\b\"\n");
  EXPECT_EQ(print("c", {{"", ""}, {"", " lead"}, {"", "a::b"}, {"", "say \"hi\""}}),
            ":c:\n\"\"\n\" lead\"\n\"a::b\"\n\"say \\\"hi\\\"\"\n");
}

TEST_F(RequestPrinter, RoundTripsAwkwardValues) {
  expect_round_trip("c", {
                             {"", ""},
                             {"", " \t "},
                             {"", "trailing\t"},
                             {"", "\"quoted\""},
                             {"", "back\\slash\\"},
                             {"", "line\nbreak\r\nand\rcr"},
                             {"", "::"},
                             {"", ":lead"},
                             {"", "trail:"},
                             {"", "x::y"},
                             {"", "\x01\x7f\xff bytes"},
                         });
}

TEST_F(RequestPrinter, RoundTripsNamedArguments) {
  expect_round_trip("c.x-y_Z9", {
                                    {"name", ""},
                                    {"inner space", "v"},
                                    {"a:b", "::c::"},
                                    {":a", ":"},
                                    {"n\\", "  padded  "},
                                    {"q", "\"\\\""},
                                    {"nl", "\n"},
                                });
}

TEST_F(RequestPrinter, RejectsCommandOutsideTheGrammar) {
  const Error expected{Errc::request_unprintable, 0};
  EXPECT_EQ(error_of("", {}), expected);
  EXPECT_EQ(error_of("two words", {}), expected);
  EXPECT_EQ(error_of("a:b", {}), expected);
  EXPECT_EQ(error_of(std::string(core::kMaxCommandName + 1, 'c'), {}), expected);
  EXPECT_EQ(print(std::string(core::kMaxCommandName, 'c'), {}).size(), core::kMaxCommandName + 3);
}

TEST_F(RequestPrinter, RejectsUnprintableArgumentNamesAtTheirIndex) {
  const std::string bad_names[] = {" lead", "trail\t", "a::b", "q\"", "c\r", "l\n", "n\0ul"s};
  for (const std::string& name : bad_names) {
    EXPECT_EQ(error_of("c", {{"", "ok"}, {name, "v"}}), (Error{Errc::request_unprintable, 1}))
        << testing::PrintToString(name);
  }
}

TEST_F(RequestPrinter, NameEndingInColonIsWrittenWithABlankBeforeTheSeparator) {
  EXPECT_EQ(print("c", {{"ends:", "v"}}), ":c:\nends: ::v\n");
  EXPECT_EQ(print("c", {{"a:", ""}}), ":c:\na: ::\n");
  expect_round_trip("c", {{"ends:", "v"}, {"b:", "::"}, {"c:", ""}});
}

TEST_F(RequestPrinter, RejectsNulInValue) {
  EXPECT_EQ(error_of("c", {{"", "a\0b"s}}), (Error{Errc::request_unprintable, 0}));
  EXPECT_EQ(error_of("c", {{"", "ok"}, {"", "ok"}, {"n", "\0"s}}),
            (Error{Errc::request_unprintable, 2}));
}

TEST_F(RequestPrinter, TooSmallSpanIsRequestTooLargeAndGuardBytesStay) {
  const std::vector<Argument> args{{"name", "value"}};
  const std::string full = print("cmd", args);
  ASSERT_EQ(full, ":cmd:\nname::value\n");
  for (std::size_t size = 0; size < full.size(); ++size) {
    std::vector<char> memory(size + 8, '#');
    auto written = print_request("cmd", args, std::span<char>(memory.data(), size));
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, Errc::request_too_large);
    EXPECT_LE(written.error().offset, size);
    EXPECT_TRUE(std::all_of(memory.begin() + static_cast<std::ptrdiff_t>(size), memory.end(),
                            [](char c) { return c == '#'; }))
        << "wrote past a span of " << size;
  }
  std::vector<char> exact(full.size());
  auto written = print_request("cmd", args, exact);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written.value(), full.size());
}

TEST_F(RequestPrinter, RequestOfExactlyMaxDatagramPrintsAndParses) {
  // ":c:\n" + value + "\n" is 5 bytes plus the value.
  const std::string value(core::kMaxDatagram - 5, 'v');
  const std::string wire = print("c", {{"", value}});
  EXPECT_EQ(wire.size(), core::kMaxDatagram);
  expect_round_trip("c", {{"", value}});
}

TEST_F(RequestPrinter, OneByteOverMaxDatagramIsRequestTooLargeEvenWithRoom) {
  const std::string value(core::kMaxDatagram - 4, 'v');
  std::vector<char> big(core::kMaxDatagram * 2);
  auto written = print_request("c", std::vector<Argument>{{"", value}}, big);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, Errc::request_too_large);
  EXPECT_LE(written.error().offset, core::kMaxDatagram);
}

}  // namespace
}  // namespace mid::protocol::text

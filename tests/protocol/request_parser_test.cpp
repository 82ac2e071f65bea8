#include "protocol/text/request_parser.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/limits.hpp"
#include "test_support.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;
using namespace std::string_literals;

// Parses from an exact-size heap copy, so a read past the datagram is an
// ASan error, and checks the offset contract on every error.
class RequestParser : public ::testing::Test {
 protected:
  core::Result<Request> parse(std::string_view text) {
    inputs_.push_back(std::make_unique<test::ExactCopy>(text));
    auto result = parse_request(inputs_.back()->view(), *scratch_);
    if (!result) {
      EXPECT_LE(result.error().offset, text.size()) << "offset past the input";
    }
    return result;
  }
  Error error_of(std::string_view text) {
    auto result = parse(text);
    EXPECT_FALSE(result.ok()) << "parsed but should not: " << testing::PrintToString(text);
    return result.ok() ? Error{Errc::unknown_command, 0xdead} : result.error();
  }
  std::vector<Argument> arguments_of(std::string_view text) {
    auto result = parse(text);
    EXPECT_TRUE(result.ok()) << testing::PrintToString(result.error());
    if (!result) return {};
    return {result.value().arguments.begin(), result.value().arguments.end()};
  }

  std::unique_ptr<RequestScratch> scratch_ = std::make_unique<RequestScratch>();
  std::vector<std::unique_ptr<test::ExactCopy>> inputs_;
};

std::vector<Argument> positional(std::initializer_list<std::string_view> values) {
  std::vector<Argument> out;
  for (const auto value : values) out.push_back(Argument{{}, value});
  return out;
}

TEST_F(RequestParser, SeedExampleGivesCommandAndTwoPositionalArguments) {
  auto result = parse(":get_statistics:\ndialog:\ntm:\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().command, "get_statistics");
  const std::vector<Argument> args(result.value().arguments.begin(),
                                   result.value().arguments.end());
  EXPECT_EQ(args, positional({"dialog:", "tm:"}));
}

TEST_F(RequestParser, CommandWithoutArgumentsAndWithoutFinalNewline) {
  auto result = parse(":version:");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().command, "version");
  EXPECT_TRUE(result.value().arguments.empty());
  EXPECT_EQ(arguments_of(":c:\nlast"), positional({"last"}));
}

TEST_F(RequestParser, CommandNameAcceptsLettersDigitsUnderscoreDotDash) {
  auto result = parse(":Az09_.-x:\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().command, "Az09_.-x");
}

TEST_F(RequestParser, CommandNameOf64BytesParsesAnd65IsTooLong) {
  const std::string name(core::kMaxCommandName, 'n');
  auto result = parse(":" + name + ":\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().command, name);
  EXPECT_EQ(error_of(":" + name + "n:\n"), (Error{Errc::command_too_long, 65}));
}

TEST_F(RequestParser, EmptyDatagramIsEmptyRequest) {
  EXPECT_EQ(error_of(""), (Error{Errc::empty_request, 0}));
}

TEST_F(RequestParser, FirstByteMustBeColon) {
  EXPECT_EQ(error_of("version:\n"), (Error{Errc::missing_leading_colon, 0}));
  EXPECT_EQ(error_of(" :version:\n"), (Error{Errc::missing_leading_colon, 0}));
}

TEST_F(RequestParser, EmptyCommandName) {
  EXPECT_EQ(error_of("::\n"), (Error{Errc::empty_command, 1}));
}

TEST_F(RequestParser, BadCommandCharReportedAtTheByte) {
  EXPECT_EQ(error_of(":get stats:\n"), (Error{Errc::bad_command_char, 4}));
  EXPECT_EQ(error_of(":a/b:\n"), (Error{Errc::bad_command_char, 2}));
  EXPECT_EQ(error_of(":\x80:\n"), (Error{Errc::bad_command_char, 1}));
  EXPECT_EQ(error_of(":a\"b:\n"), (Error{Errc::bad_command_char, 2}));
}

TEST_F(RequestParser, UnterminatedCommandLine) {
  EXPECT_EQ(error_of(":version"), (Error{Errc::unterminated_command, 8}));
  EXPECT_EQ(error_of(":version\n"), (Error{Errc::unterminated_command, 8}));
  EXPECT_EQ(error_of(":version\r\n"), (Error{Errc::unterminated_command, 8}));
  EXPECT_EQ(error_of(":version:x"), (Error{Errc::unterminated_command, 9}));
  EXPECT_EQ(error_of(":version::\n"), (Error{Errc::unterminated_command, 9}));
  EXPECT_EQ(error_of(":"), (Error{Errc::unterminated_command, 1}));
}

TEST_F(RequestParser, BareCrIsRejectedWherePlainTextIsAllowed) {
  EXPECT_EQ(error_of(":ver\rx:\n"), (Error{Errc::bare_cr, 4}));
  EXPECT_EQ(error_of(":version:\r"), (Error{Errc::bare_cr, 9}));
  EXPECT_EQ(error_of(":version:\rx"), (Error{Errc::bare_cr, 9}));
  EXPECT_EQ(error_of(":c:\nab\rc\n"), (Error{Errc::bare_cr, 6}));
  EXPECT_EQ(error_of(":c:\nn::v\r"), (Error{Errc::bare_cr, 8}));
  EXPECT_EQ(error_of(":c:\n\"v\"\rx\n"), (Error{Errc::bare_cr, 7}));
  EXPECT_EQ(error_of(":c:\na\n\n\r"), (Error{Errc::bare_cr, 7}));
}

TEST_F(RequestParser, NulByteIsRejectedAnywhere) {
  EXPECT_EQ(error_of(":ver\0sion:\n"s), (Error{Errc::nul_byte, 4}));
  EXPECT_EQ(error_of(":version:\0"s), (Error{Errc::nul_byte, 9}));
  EXPECT_EQ(error_of(":c:\nna\0me::v\n"s), (Error{Errc::nul_byte, 6}));
  EXPECT_EQ(error_of(":c:\nn::v\0\n"s), (Error{Errc::nul_byte, 8}));
  EXPECT_EQ(error_of(":c:\n\"a\0\"\n"s), (Error{Errc::nul_byte, 6}));
  EXPECT_EQ(error_of(":c:\n\"a\" \0\n"s), (Error{Errc::nul_byte, 8}));
  EXPECT_EQ(error_of(":c:\na\n\n\0"s), (Error{Errc::nul_byte, 7}));
}

TEST_F(RequestParser, NamedArgumentSplitsAtFirstDoubleColon) {
  EXPECT_EQ(arguments_of(":c:\na::b::c\n"), (std::vector<Argument>{{"a", "b::c"}}));
  EXPECT_EQ(arguments_of(":c:\na:b::c\n"), (std::vector<Argument>{{"a:b", "c"}}));
  EXPECT_EQ(arguments_of(":c:\na:::b\n"), (std::vector<Argument>{{"a", ":b"}}));
}

TEST_F(RequestParser, NameAndUnquotedValueAreTrimmedOfSpacesAndTabs) {
  EXPECT_EQ(arguments_of(":c:\n \tmy name \t:: \t my value \t\n"),
            (std::vector<Argument>{{"my name", "my value"}}));
  EXPECT_EQ(arguments_of(":c:\n \t some value \t\n"), positional({"some value"}));
}

TEST_F(RequestParser, NamedArgumentMayHaveEmptyValue) {
  const std::vector<Argument> expected{{"name", ""}};
  EXPECT_EQ(arguments_of(":c:\nname::\n"), expected);
  EXPECT_EQ(arguments_of(":c:\nname:: \t\n"), expected);
  // A datagram ending right after "name::" (once a negative length).
  EXPECT_EQ(arguments_of(":c:\nname::"), expected);
}

TEST_F(RequestParser, UnquotedValueKeepsSingleColonsAndBackslashes) {
  EXPECT_EQ(arguments_of(":c:\nk:v:\na\\nb\n"), positional({"k:v:", "a\\nb"}));
}

TEST_F(RequestParser, EmptyArgumentName) {
  EXPECT_EQ(error_of(":c:\n::v\n"), (Error{Errc::empty_arg_name, 4}));
  EXPECT_EQ(error_of(":c:\n  ::v\n"), (Error{Errc::empty_arg_name, 6}));
}

TEST_F(RequestParser, QuoteInsideUnquotedNameOrValue) {
  EXPECT_EQ(error_of(":c:\nna\"me::v\n"), (Error{Errc::quote_in_unquoted, 6}));
  EXPECT_EQ(error_of(":c:\nname::va\"l\n"), (Error{Errc::quote_in_unquoted, 12}));
  EXPECT_EQ(error_of(":c:\nab\"c\n"), (Error{Errc::quote_in_unquoted, 6}));
}

TEST_F(RequestParser, QuotedValueKeepsBlanksAndColonsVerbatim) {
  EXPECT_EQ(arguments_of(":c:\n\"  a::b \t\"\n"), positional({"  a::b \t"}));
  EXPECT_EQ(arguments_of(":c:\n \t\"x\"\n"), positional({"x"}));
  EXPECT_EQ(arguments_of(":c:\nn::  \" x \"\n"), (std::vector<Argument>{{"n", " x "}}));
  EXPECT_EQ(arguments_of(":c:\n\"\"\nn::\"\"\n"), (std::vector<Argument>{{"", ""}, {"n", ""}}));
}

TEST_F(RequestParser, QuotedValueUnescapesQuoteAndBackslashWithoutCorruptingLaterArguments) {
  const auto args = arguments_of(R"(:c:
"a\"b\\c"
n::"x\\"
"\"\""
tail
)");
  EXPECT_EQ(args,
            (std::vector<Argument>{{"", "a\"b\\c"}, {"n", "x\\"}, {"", "\"\""}, {"", "tail"}}));
}

TEST_F(RequestParser, QuotedValueKeepsRawCrAndLf) {
  EXPECT_EQ(arguments_of(":c:\n\"line1\r\nline2\rx\n\"\nnext\n"),
            positional({"line1\r\nline2\rx\n", "next"}));
}

TEST_F(RequestParser, BlanksAfterClosingQuoteAreAllowed) {
  EXPECT_EQ(arguments_of(":c:\n\"v\" \t\nn:: \"w\"  \r\n"),
            (std::vector<Argument>{{"", "v"}, {"n", "w"}}));
}

TEST_F(RequestParser, DataAfterClosingQuote) {
  EXPECT_EQ(error_of(":c:\n\"v\" x\n"), (Error{Errc::data_after_quote, 8}));
  EXPECT_EQ(error_of(":c:\n\"n\"::v\n"), (Error{Errc::data_after_quote, 7}));
}

TEST_F(RequestParser, OnlyBackslashQuoteAndBackslashBackslashAreEscapes) {
  EXPECT_EQ(error_of(":c:\n\"a\\nb\"\n"), (Error{Errc::bad_escape, 6}));
  EXPECT_EQ(error_of(":c:\nn::\"\\t\"\n"), (Error{Errc::bad_escape, 8}));
}

TEST_F(RequestParser, UnterminatedQuoteReportedAtOpeningQuote) {
  EXPECT_EQ(error_of(":c:\nn::  \"abc\n"), (Error{Errc::unterminated_quote, 9}));
  EXPECT_EQ(error_of(":c:\n\"ab\\"), (Error{Errc::unterminated_quote, 4}));
  EXPECT_EQ(error_of(":c:\n\"ab\\\""), (Error{Errc::unterminated_quote, 4}));
  EXPECT_EQ(error_of(":c:\nx\n\"\n"), (Error{Errc::unterminated_quote, 6}));
}

TEST_F(RequestParser, CrlfLineEndsAcceptedEverywhere) {
  auto result = parse(":c:\r\nname::v\r\n\"q\"\r\npos\r\n\r\n \r\n");
  ASSERT_TRUE(result.ok()) << testing::PrintToString(result.error());
  const std::vector<Argument> args(result.value().arguments.begin(),
                                   result.value().arguments.end());
  EXPECT_EQ(args, (std::vector<Argument>{{"name", "v"}, {"", "q"}, {"", "pos"}}));
}

TEST_F(RequestParser, BlankLineEndsRequestAndOnlyBlankLinesMayFollow) {
  EXPECT_EQ(arguments_of(":c:\na\n\n \t\n\r\n\n"), positional({"a"}));
  EXPECT_EQ(arguments_of(":c:\na\n \t\n"), positional({"a"}));
  EXPECT_EQ(arguments_of(":c:\n\n"), positional({}));
}

TEST_F(RequestParser, DataAfterBlankLine) {
  EXPECT_EQ(error_of(":c:\na\n\nb\n"), (Error{Errc::data_after_blank_line, 7}));
  EXPECT_EQ(error_of(":c:\na\n  \n  x"), (Error{Errc::data_after_blank_line, 11}));
}

TEST_F(RequestParser, RequestOfExactlyMaxDatagramParses) {
  const std::string head = ":c:\nv::";
  const std::string request = head + std::string(core::kMaxDatagram - head.size(), 'x');
  ASSERT_EQ(request.size(), core::kMaxDatagram);
  auto result = parse(request);
  ASSERT_TRUE(result.ok()) << testing::PrintToString(result.error());
  ASSERT_EQ(result.value().arguments.size(), 1U);
  EXPECT_EQ(result.value().arguments[0].value.size(), core::kMaxDatagram - head.size());
}

TEST_F(RequestParser, RequestOfMaxDatagramFullOfEscapesParses) {
  // 4 + 1 + 2n + 1 + 1 bytes: ":c:\n" '"' n times \" '"' '\n'.
  const std::size_t n = (core::kMaxDatagram - 7) / 2;
  const std::string request = ":c:\n\"" + test::repeat("\\\"", n) + "\"\n";
  ASSERT_EQ(request.size(), core::kMaxDatagram);
  EXPECT_EQ(arguments_of(request), positional({std::string(n, '"')}));
}

TEST_F(RequestParser, OneByteOverMaxDatagramIsRejectedWhole) {
  const std::string head = ":c:\nv::";
  const std::string request = head + std::string(core::kMaxDatagram + 1 - head.size(), 'x');
  EXPECT_EQ(error_of(request), (Error{Errc::request_too_large, core::kMaxDatagram}));
}

TEST_F(RequestParser, MaxArgumentsParseAndOneMoreIsRejectedAtItsLineStart) {
  const std::string full = ":c:\n" + test::repeat("a\n", core::kMaxArguments);
  auto result = parse(full);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().arguments.size(), core::kMaxArguments);
  EXPECT_EQ(error_of(full + "  b\n"), (Error{Errc::too_many_arguments, full.size()}));
}

TEST_F(RequestParser, ErrorOffsetsNeverPassTheInputForAnyPrefix) {
  const std::string samples[] = {
      ":get_statistics:\ndialog:\ntm:\n",
      ":c:\r\nn:: \"a\\\"b\\\\c\" \r\n \"x\ny\"\npos\n\n\n",
      ":c:\nname::va\"l\n",
      ":version:x\n",
  };
  for (const std::string& sample : samples) {
    for (std::size_t size = 0; size <= sample.size(); ++size) {
      const std::string prefix = sample.substr(0, size);
      auto result = parse(prefix);
      if (!result) {
        EXPECT_LE(result.error().offset, size) << testing::PrintToString(prefix);
      }
    }
  }
}

}  // namespace
}  // namespace mid::protocol::text

#include "protocol/text/error_reply.hpp"

#include <cstdint>
#include <limits>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "core/errc.hpp"
#include "test_support.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;

TEST(ErrorReply, UnterminatedQuoteIs400NamingAreaOffsetAndProblem) {
  const ErrorReply error(Error{Errc::unterminated_quote, 17});
  const Reply reply = error.reply();
  EXPECT_EQ(reply.code, 400U);
  EXPECT_EQ(reply.reason, "bad argument at byte 17: unterminated quote");
  EXPECT_EQ(reply.tree, nullptr);
}

TEST(ErrorReply, UnknownCommandIs404) {
  const ErrorReply error(Error{Errc::unknown_command, 1});
  EXPECT_EQ(error.reply().code, 404U);
  EXPECT_EQ(error.reason(), "bad command at byte 1: unknown command");
}

TEST(ErrorReply, RequestParserErrorsAre400) {
  const Errc codes[] = {
      Errc::request_too_large,    Errc::empty_request,     Errc::missing_leading_colon,
      Errc::empty_command,        Errc::command_too_long,  Errc::bad_command_char,
      Errc::unterminated_command, Errc::nul_byte,          Errc::bare_cr,
      Errc::empty_arg_name,       Errc::quote_in_unquoted, Errc::unterminated_quote,
      Errc::bad_escape,           Errc::data_after_quote,  Errc::data_after_blank_line,
      Errc::too_many_arguments};
  for (const Errc code : codes) {
    EXPECT_EQ(ErrorReply(Error{code, 0}).reply().code, 400U) << core::to_string(code);
  }
  EXPECT_EQ(ErrorReply(Error{Errc::request_too_large, 65457}).reason(),
            "bad request at byte 65457: request too large");
  EXPECT_EQ(ErrorReply(Error{Errc::empty_command, 1}).reason(),
            "bad command at byte 1: empty command name");
}

TEST(ErrorReply, ServerAreaErrorsAre500) {
  const Errc codes[] = {Errc::tree_too_deep, Errc::too_many_nodes, Errc::too_many_attributes,
                        Errc::bad_name, Errc::reply_too_large};
  for (const Errc code : codes) {
    const ErrorReply error(Error{code, 0});
    EXPECT_EQ(error.reply().code, 500U) << core::to_string(code);
    EXPECT_EQ(error.reason(), "server error at byte 0: " + std::string(core::to_string(code)));
  }
}

TEST(ErrorReply, EveryErrcHasItsOwnTextAndFitsWhole) {
  const auto codes = core::all_errc();
  ASSERT_GT(codes.size(), static_cast<std::size_t>(Errc::unknown_command));
  std::set<std::string_view> texts;
  const std::size_t huge = std::numeric_limits<std::size_t>::max();
  for (const Errc code : codes) {
    const std::string_view text = core::to_string(code);
    EXPECT_FALSE(text.empty());
    EXPECT_TRUE(texts.insert(text).second) << "duplicate text: " << text;
    const ErrorReply error(Error{code, huge});
    const std::string expected = std::string(core::to_string(core::area_of(code))) + " at byte " +
                                 std::to_string(huge) + ": " + std::string(text);
    EXPECT_EQ(error.reason(), expected) << "reason cut short";
    const unsigned wire = error.reply().code;
    EXPECT_TRUE(wire == 400 || wire == 404 || wire == 500) << wire;
  }
}

}  // namespace
}  // namespace mid::protocol::text

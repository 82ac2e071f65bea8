#include "protocol/text/reply_printer.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/limits.hpp"
#include "protocol/text/error_reply.hpp"
#include "test_support.hpp"
#include "tree_builder.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;
using test::add;
using test::add_attribute;
using tree::kRoot;
using namespace std::string_literals;

class ReplyPrinter : public ::testing::Test {
 protected:
  std::string print(const tree::Tree* tree, std::string_view indent = "\t") {
    auto written = print_reply(Reply{200, "OK", tree}, indent, buffer_);
    EXPECT_TRUE(written.ok()) << testing::PrintToString(written.error());
    return written.ok() ? std::string(buffer_.data(), written.value()) : std::string();
  }
  Error error_of(const Reply& reply, std::string_view indent = "\t") {
    auto written = print_reply(reply, indent, buffer_);
    EXPECT_FALSE(written.ok());
    return written.ok() ? Error{Errc::unknown_command, 0xdead} : written.error();
  }
  // a:: 1 / b:: 2 / c:: 3 nested, then d:: 4 at the top again.
  void build_nested() {
    const auto a = add(*tree_, kRoot, "a", "1");
    const auto b = add(*tree_, a, "b", "2");
    add(*tree_, b, "c", "3");
    add(*tree_, kRoot, "d", "4");
  }

  std::unique_ptr<tree::Tree> tree_ = test::make_tree();
  std::vector<char> buffer_ = std::vector<char>(core::kMaxDatagram);
};

TEST_F(ReplyPrinter, ReplyWithoutNodesIsExactlyStatusLine) {
  EXPECT_EQ(print(nullptr), "200 OK\n");
  EXPECT_EQ(print(tree_.get()), "200 OK\n");
}

TEST_F(ReplyPrinter, StatisticIsGroupColonNameWithNumberValue) {
  add(*tree_, kRoot, "dialog:active_dialogs", "0");
  add(*tree_, kRoot, "tm:UAS_transactions", "17");
  EXPECT_EQ(print(tree_.get()), "200 OK\ndialog:active_dialogs:: 0\ntm:UAS_transactions:: 17\n");
}

TEST_F(ReplyPrinter, DefaultTabIndentRepeatsOncePerDepthBelowTop) {
  build_nested();
  EXPECT_EQ(print(tree_.get()), "200 OK\na:: 1\n\tb:: 2\n\t\tc:: 3\nd:: 4\n");
}

TEST_F(ReplyPrinter, CustomFourSpaceIndent) {
  build_nested();
  EXPECT_EQ(print(tree_.get(), "    "), "200 OK\na:: 1\n    b:: 2\n        c:: 3\nd:: 4\n");
}

TEST_F(ReplyPrinter, IndentOf16BlanksAcceptedAnd17OrNonBlankRejected) {
  build_nested();
  const std::string sixteen(core::kMaxIndent, ' ');
  EXPECT_EQ(print(tree_.get(), sixteen),
            "200 OK\na:: 1\n" + sixteen + "b:: 2\n" + sixteen + sixteen + "c:: 3\nd:: 4\n");
  const Reply reply{200, "OK", tree_.get()};
  EXPECT_EQ(error_of(reply, sixteen + " "), (Error{Errc::bad_name, 0}));
  EXPECT_EQ(error_of(reply, "x"), (Error{Errc::bad_name, 0}));
  EXPECT_EQ(error_of(reply, "\t\n"), (Error{Errc::bad_name, 0}));
}

TEST_F(ReplyPrinter, SeparatorIsWrittenEvenForEmptyValue) {
  add(*tree_, kRoot, "name", "");
  EXPECT_EQ(print(tree_.get()), "200 OK\nname:: \n");
}

TEST_F(ReplyPrinter, NodeNamesMayHoldInnerSpaces) {
  add(*tree_, kRoot, "Up since", "Thu");
  EXPECT_EQ(print(tree_.get()), "200 OK\nUp since:: Thu\n");
}

TEST_F(ReplyPrinter, NamelessNodeIsJustItsValue) {
  const auto top = add(*tree_, kRoot, "", "just a value");
  add(*tree_, top, "", "kid");
  EXPECT_EQ(print(tree_.get()), "200 OK\njust a value\n\tkid\n");
}

TEST_F(ReplyPrinter, NamelessValuelessNodeIsAnEmptyIndentedLine) {
  const auto top = add(*tree_, kRoot, "", "");
  add(*tree_, top, "", "");
  EXPECT_EQ(print(tree_.get()), "200 OK\n\n\t\n");
}

TEST_F(ReplyPrinter, AttributesFollowTheValueInOrder) {
  const auto named = add(*tree_, kRoot, "n", "v");
  add_attribute(*tree_, named, "a", "1");
  add_attribute(*tree_, named, "b", "two");
  add_attribute(*tree_, add(*tree_, kRoot, "", "bare"), "k", "");
  add_attribute(*tree_, add(*tree_, kRoot, "empty", ""), "k", "v");
  EXPECT_EQ(print(tree_.get()), "200 OK\nn:: v a=1 b=two\nbare k=\nempty::  k=v\n");
}

TEST_F(ReplyPrinter, NamelessValuelessNodeWithAttributesIsBadName) {
  add_attribute(*tree_, add(*tree_, kRoot, "", ""), "k", "v");
  EXPECT_EQ(error_of(Reply{200, "OK", tree_.get()}), (Error{Errc::bad_name, 0}));
}

TEST_F(ReplyPrinter, BackslashLfCrAreAlwaysEscaped) {
  const auto node = add(*tree_, kRoot, "n", "a\\b\nc\rd");
  add_attribute(*tree_, node, "k", "\\\n\r");
  add(*tree_, kRoot, "", "x\\y\nz\r");
  EXPECT_EQ(print(tree_.get()), "200 OK\nn:: a\\\\b\\nc\\rd k=\\\\\\n\\r\nx\\\\y\\nz\\r\n");
}

TEST_F(ReplyPrinter, SpacesInValueStayRawWithoutEqualsOrAttributes) {
  add(*tree_, kRoot, "n", " two  words ");
  EXPECT_EQ(print(tree_.get()), "200 OK\nn::  two  words \n");
}

// A terminal acts on control bytes (ESC ] 0 ; ... BEL retitles the window):
// tab is \t, every other one but LF and CR \xHH, in every value.
TEST_F(ReplyPrinter, EveryControlByteIsEscapedInValuesAndAttributes) {
  const auto node = add(*tree_, kRoot, "t", "tab\there");
  add_attribute(*tree_, node, "k", "\x1b[2J\x7f");
  add(*tree_, kRoot, "", "\x1b]0;pwned\x07 X");
  add(*tree_, kRoot, "nul", "a\0b\x1f"s);
  EXPECT_EQ(print(tree_.get()),
            "200 OK\nt:: tab\\there k=\\x1b[2J\\x7f\n\\x1b]0;pwned\\x07 X\n"
            "nul:: a\\x00b\\x1f\n");
}

TEST_F(ReplyPrinter, ControlBytesInTheReasonAreEscapedNotRefused) {
  auto written = print_reply(Reply{404, "unknown command: \x1b]0;pwned\x07 X\r\n\t\0"s, nullptr},
                             "\t", buffer_);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(std::string_view(buffer_.data(), written.value()),
            "404 unknown command: \\x1b]0;pwned\\x07 X\\r\\n\\t\\x00\n");
}

TEST_F(ReplyPrinter, SpacesEscapedInValueHoldingEqualsOrFollowedByAttributes) {
  add(*tree_, kRoot, "eq", "a b=c");
  add_attribute(*tree_, add(*tree_, kRoot, "at", "x y"), "k", "v");
  EXPECT_EQ(print(tree_.get()), "200 OK\neq:: a\\sb=c\nat:: x\\sy k=v\n");
}

TEST_F(ReplyPrinter, EverySpaceOfAnAttributeValueIsEscaped) {
  const auto node = add(*tree_, kRoot, "n", "v");
  add_attribute(*tree_, node, "k", " a b ");
  add_attribute(*tree_, node, "eq", "x=y");
  EXPECT_EQ(print(tree_.get()), "200 OK\nn:: v k=\\sa\\sb\\s eq=x=y\n");
}

TEST_F(ReplyPrinter, NamelessValueEscapesEveryColonAndALeadingBlank) {
  add(*tree_, kRoot, "", "a:b:: c");
  add(*tree_, kRoot, "", " lead");
  add(*tree_, kRoot, "", "\tlead\tmid");
  add(*tree_, kRoot, "n", ": \tnamed keeps them");
  EXPECT_EQ(print(tree_.get()),
            "200 OK\na\\:b\\:\\: c\n\\slead\n\\tlead\\tmid\nn:: : \\tnamed keeps them\n");
}

TEST_F(ReplyPrinter, BadStatusCodeIsBadName) {
  const Error expected{Errc::bad_name, 0};
  EXPECT_EQ(error_of(Reply{99, "OK", nullptr}), expected);
  EXPECT_EQ(error_of(Reply{1000, "OK", nullptr}), expected);
  auto written = print_reply(Reply{999, "Odd but valid", nullptr}, "\t", buffer_);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(std::string_view(buffer_.data(), written.value()), "999 Odd but valid\n");
}

TEST_F(ReplyPrinter, ErrorReplyPrintsCodeAreaOffsetAndProblem) {
  const ErrorReply error(Error{Errc::unterminated_quote, 17});
  auto written = print_reply(error.reply(), "\t", buffer_);
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(std::string_view(buffer_.data(), written.value()),
            "400 bad argument at byte 17: unterminated quote\n");
}

// "200 OK\n" (7) + "x:: " (4) + value + "\n" (1): 12 bytes plus the value.
constexpr std::size_t kValueAtLimit = core::kMaxDatagram - 12;

TEST_F(ReplyPrinter, ReplyExactlyAtTheLimitPrints) {
  add(*tree_, kRoot, "x", std::string(kValueAtLimit, 'v'));
  auto written = print_reply(Reply{200, "OK", tree_.get()}, "\t", buffer_);
  ASSERT_TRUE(written.ok()) << testing::PrintToString(written.error());
  EXPECT_EQ(written.value(), core::kMaxDatagram);
  EXPECT_EQ(std::string_view(buffer_.data(), 11), "200 OK\nx:: ");
  EXPECT_EQ(buffer_[core::kMaxDatagram - 1], '\n');
}

TEST_F(ReplyPrinter, OneByteOverTheLimitIsReplyTooLargeEvenWithALargerSpan) {
  add(*tree_, kRoot, "x", std::string(kValueAtLimit + 1, 'v'));
  std::vector<char> big(core::kMaxDatagram * 2);
  auto written = print_reply(Reply{200, "OK", tree_.get()}, "\t", big);
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error(), (Error{Errc::reply_too_large, 0}));
}

TEST_F(ReplyPrinter, EscapesCountAgainstTheLimit) {
  // 40000 LFs fit the tree's text but print as 80000 bytes.
  add(*tree_, kRoot, "x", std::string(40000, '\n'));
  EXPECT_EQ(error_of(Reply{200, "OK", tree_.get()}), (Error{Errc::reply_too_large, 0}));
}

TEST_F(ReplyPrinter, NeverWritesPastTheSpan) {
  build_nested();
  add_attribute(*tree_, add(*tree_, kRoot, "", "n:v w"), "k", "a b");
  const std::string full = print(tree_.get());
  ASSERT_FALSE(full.empty());
  for (std::size_t size = 0; size <= full.size(); ++size) {
    std::vector<char> memory(size + 16, '#');
    auto written =
        print_reply(Reply{200, "OK", tree_.get()}, "\t", std::span<char>(memory.data(), size));
    if (size < full.size()) {
      EXPECT_EQ(written.ok() ? Errc::unknown_command : written.error().code, Errc::reply_too_large);
    } else {
      ASSERT_TRUE(written.ok());
      EXPECT_EQ(std::string_view(memory.data(), written.value()), full);
    }
    EXPECT_TRUE(std::all_of(memory.begin() + static_cast<std::ptrdiff_t>(size), memory.end(),
                            [](char c) { return c == '#'; }))
        << "wrote past a span of " << size;
  }
}

// The JSON marks leave the text as it was: numbers print as their digits,
// an array prints no line and its kids stand in its place (so `ps` keeps
// its 1.x lines while JSON gets {"Processes":[...]}).
TEST_F(ReplyPrinter, NumbersAndArraysPrintAsTheTextAlwaysDid) {
  const auto list = tree_->add_array(kRoot, tree::NodeName{"Processes"});
  ASSERT_TRUE(list);
  for (const std::int64_t pid : {17, -4}) {
    const auto process = add(*tree_, list.value(), "Process", "");
    ASSERT_TRUE(tree_->add_number_attribute(process, "PID", pid));
    const auto inner = tree_->add_array(process, tree::NodeName{"Kids"});
    ASSERT_TRUE(inner);
    ASSERT_TRUE(tree_->add_number(inner.value(), tree::NodeName::nameless(), pid * 2));
  }
  ASSERT_TRUE(tree_->add_number(kRoot, tree::NodeName{"Total"}, INT64_MIN));
  EXPECT_EQ(print(tree_.get()),
            "200 OK\nProcess::  PID=17\n\t34\nProcess::  PID=-4\n\t-8\n"
            "Total:: -9223372036854775808\n");
}

TEST_F(ReplyPrinter, AnArrayRootPrintsItsElementsAsTopLines) {
  ASSERT_TRUE(tree_->make_array(kRoot));
  add(*tree_, kRoot, "", "uptime");
  add(*tree_, kRoot, "", "which");
  EXPECT_EQ(print(tree_.get()), "200 OK\nuptime\nwhich\n");
}

}  // namespace
}  // namespace mid::protocol::text

#include "protocol/text/reply_parser.hpp"

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/limits.hpp"
#include "protocol/text/reply_printer.hpp"
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

// One line per node: depth, name, value and attributes, so two trees can
// be compared with a readable diff.
std::vector<std::string> describe(const tree::Tree& tree) {
  std::vector<std::string> lines;
  for (tree::NodeId n = tree.next_in_walk(kRoot); n != tree::kNoNode; n = tree.next_in_walk(n)) {
    std::string line = std::to_string(tree.depth(n)) + "|" + std::string(tree.name(n)) + "|" +
                       std::string(tree.value(n));
    tree.for_each_attribute(n, [&line](const tree::Attribute& a) {
      line += "|" + std::string(a.name) + "=" + std::string(a.value);
    });
    lines.push_back(line);
  }
  return lines;
}

class ReplyParser : public ::testing::Test {
 protected:
  core::Result<ReplyStatus> parse(std::string_view text, std::string_view indent = "\t") {
    inputs_.push_back(std::make_unique<test::ExactCopy>(text));
    auto result = parse_reply(inputs_.back()->view(), indent, *parsed_, *scratch_);
    if (!result) {
      EXPECT_LE(result.error().offset, text.size());
    }
    return result;
  }
  Error error_of(std::string_view text, std::string_view indent = "\t") {
    auto result = parse(text, indent);
    EXPECT_FALSE(result.ok()) << "parsed: " << testing::PrintToString(text);
    return result.ok() ? Error{Errc::unknown_command, 0xdead} : result.error();
  }
  void expect_round_trip(std::string_view indent) {
    std::vector<char> buffer(core::kMaxDatagram);
    auto written = print_reply(Reply{201, "Fine thanks", built_.get()}, indent, buffer);
    ASSERT_TRUE(written.ok()) << testing::PrintToString(written.error());
    const std::string wire(buffer.data(), written.value());
    auto status = parse(wire, indent);
    ASSERT_TRUE(status.ok()) << testing::PrintToString(status.error()) << " in "
                             << testing::PrintToString(wire);
    EXPECT_EQ(status.value().code, 201U);
    EXPECT_EQ(status.value().reason, "Fine thanks");
    EXPECT_EQ(describe(*parsed_), describe(*built_)) << testing::PrintToString(wire);
  }
  // Every kind of node and value the printer must escape, nested.
  void build_awkward() {
    tree::Tree& t = *built_;
    add(t, kRoot, "dialog:active_dialogs", "0");
    const auto top = add(t, kRoot, "Up since", "Thu Nov 26 12:00");
    const auto kid = add(t, top, "", " lead: a:: b \\ \n\r");
    add_attribute(t, kid, "k", " a=b c ");
    add_attribute(t, kid, "e", "");
    add(t, kid, "", "");
    add(t, kid, "eq", "x = y");
    add_attribute(t, add(t, kid, "a::", ""), "z", "1");
    add(t, top, "", "\ttab lead");
    add_attribute(t, add(t, top, "esc", "\x1b]0;x\x07\x7f\tin"), "c", "\x01\x1f");
    add(t, kRoot, "name:", ":: not a name");
  }

  std::unique_ptr<tree::Tree> built_ = test::make_tree();
  std::unique_ptr<tree::Tree> parsed_ = test::make_tree();
  std::unique_ptr<ReplyScratch> scratch_ = std::make_unique<ReplyScratch>();
  std::vector<std::unique_ptr<test::ExactCopy>> inputs_;
};

TEST_F(ReplyParser, StatusLineOnlyGivesEmptyTree) {
  add(*parsed_, kRoot, "stale", "cleared first");
  auto status = parse("200 OK\n");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status.value().code, 200U);
  EXPECT_EQ(status.value().reason, "OK");
  EXPECT_EQ(parsed_->node_count(), 0U);
}

TEST_F(ReplyParser, ReadsStatisticLines) {
  auto status = parse("200 OK\ndialog:active_dialogs:: 0\ntm:UAS_transactions:: 12\n");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(describe(*parsed_),
            (std::vector<std::string>{"1|dialog:active_dialogs|0", "1|tm:UAS_transactions|12"}));
}

TEST_F(ReplyParser, RoundTripsAwkwardTreeWithDefaultTab) {
  build_awkward();
  expect_round_trip("\t");
}

TEST_F(ReplyParser, RoundTripsAwkwardTreeWithCustomIndents) {
  build_awkward();
  expect_round_trip("    ");
  expect_round_trip(" \t");
  expect_round_trip(std::string(core::kMaxIndent, ' '));
}

TEST_F(ReplyParser, RoundTripsTreeOfMaximumDepth) {
  tree::NodeId node = kRoot;
  for (std::size_t depth = 1; depth <= core::kMaxTreeDepth; ++depth) {
    node = add(*built_, node, depth % 2 == 0 ? "" : "level", std::to_string(depth));
  }
  expect_round_trip("  ");
}

TEST_F(ReplyParser, RoundTripsReplyExactlyAtTheLimit) {
  // "201 Fine thanks\n" (16) + "x:: " (4) + value + "\n" (1).
  add(*built_, kRoot, "x", std::string(core::kMaxDatagram - 21, 'v'));
  expect_round_trip("\t");
  EXPECT_EQ(inputs_.back()->view().size(), core::kMaxDatagram);
}

TEST_F(ReplyParser, OverTheLimitIsReplyTooLarge) {
  const std::string reply = "200 OK\nx:: " + std::string(core::kMaxDatagram - 11, 'v') + "\n";
  ASSERT_EQ(reply.size(), core::kMaxDatagram + 1);
  EXPECT_EQ(error_of(reply), (Error{Errc::reply_too_large, core::kMaxDatagram}));
}

TEST_F(ReplyParser, MalformedStatusLines) {
  const Error at0{Errc::bad_status_line, 0};
  EXPECT_EQ(error_of(""), at0);
  EXPECT_EQ(error_of("200 OK"), at0);
  EXPECT_EQ(error_of("20 OK\n"), at0);
  EXPECT_EQ(error_of("200OK\n"), at0);
  EXPECT_EQ(error_of("099 Low\n"), at0);
  EXPECT_EQ(error_of("2x0 OK\n"), (Error{Errc::bad_status_line, 1}));
  EXPECT_EQ(error_of("200 O\rK\n"), (Error{Errc::bad_status_line, 5}));
  EXPECT_EQ(error_of("200 OK\0\n"s), (Error{Errc::bad_status_line, 6}));
}

TEST_F(ReplyParser, InvalidIndentIsBadStatusLine) {
  EXPECT_EQ(error_of("200 OK\n", "x"), (Error{Errc::bad_status_line, 0}));
  EXPECT_EQ(error_of("200 OK\n", std::string(core::kMaxIndent + 1, '\t')),
            (Error{Errc::bad_status_line, 0}));
}

TEST_F(ReplyParser, LineWithoutLineFeedIsBadReplyLine) {
  EXPECT_EQ(error_of("200 OK\nn:: v"), (Error{Errc::bad_reply_line, 12}));
}

TEST_F(ReplyParser, AttributeWithoutValidNameIsBadReplyLine) {
  // "200 OK\n" is 7 bytes; the value starts at 11, " bad" at 16.
  EXPECT_EQ(error_of("200 OK\nn:: v k=1 bad\n"), (Error{Errc::bad_reply_line, 17}));
  EXPECT_EQ(error_of("200 OK\nn:: v k=1 =2\n"), (Error{Errc::bad_reply_line, 17}));
}

TEST_F(ReplyParser, AttributesWithoutNameOrValueAreRefusedLikeThePrinterDoes) {
  // The printer cannot write such a node, so the reader does not accept one.
  EXPECT_EQ(error_of("200 OK\n k=v\n"), (Error{Errc::bad_reply_line, 7}));
}

TEST_F(ReplyParser, UnknownOrCutEscapeIsBadReplyEscapeAtTheBackslash) {
  EXPECT_EQ(error_of("200 OK\nn:: a\\qb\n"), (Error{Errc::bad_reply_escape, 12}));
  EXPECT_EQ(error_of("200 OK\nn:: a\\\n"), (Error{Errc::bad_reply_escape, 12}));
  EXPECT_EQ(error_of("200 OK\nn:: v k=\\x\n"), (Error{Errc::bad_reply_escape, 15}));
  EXPECT_EQ(error_of("200 OK\nn:: v k=\\x1\n"), (Error{Errc::bad_reply_escape, 15}));
  EXPECT_EQ(error_of("200 OK\nn:: a\\xg1\n"), (Error{Errc::bad_reply_escape, 12}));
}

TEST_F(ReplyParser, HexEscapeGivesBackTheControlByte) {
  ASSERT_TRUE(parse("200 OK\nn:: \\x1b[0m\\x7F k=\\x00\n").ok());
  EXPECT_EQ(describe(*parsed_), (std::vector<std::string>{"1|n|\x1b[0m\x7f|k=\0"s}));
}

// The reason is text for people: its escapes stay as they were printed.
TEST_F(ReplyParser, ReasonIsReturnedAsPrinted) {
  auto status = parse("404 unknown command: \\x1b]0;x\\x07\n");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status.value().reason, "unknown command: \\x1b]0;x\\x07");
}

TEST_F(ReplyParser, IndentDeeperThanParentPlusOneIsBadIndentation) {
  EXPECT_EQ(error_of("200 OK\n\ta:: 1\n"), (Error{Errc::bad_indentation, 7}));
  EXPECT_EQ(error_of("200 OK\na:: 1\n\t\tb:: 2\n"), (Error{Errc::bad_indentation, 13}));
  EXPECT_EQ(error_of("200 OK\na:: 1\n    c:: 3\n", "  "), (Error{Errc::bad_indentation, 13}));
}

TEST_F(ReplyParser, TreeLimitsApplyToParsedReplies) {
  std::string reply = "200 OK\n";
  std::size_t line_start = 0;
  for (std::size_t depth = 0; depth <= core::kMaxTreeDepth; ++depth) {
    line_start = reply.size();
    reply += std::string(depth, '\t') + "n:: v\n";
  }
  EXPECT_EQ(error_of(reply), (Error{Errc::tree_too_deep, line_start}));
}

TEST_F(ReplyParser, TooManyNodesReportedAtTheLineThatOverflows) {
  // A nameless, valueless top node prints as an empty line: one byte each.
  const std::string reply = "200 OK\n" + std::string(core::kMaxNodes + 1, '\n');
  EXPECT_EQ(error_of(reply), (Error{Errc::too_many_nodes, 7 + core::kMaxNodes}));
}

TEST_F(ReplyParser, TooManyAttributesReportedAtTheAttributeThatOverflows) {
  // "n:: " then the empty value, then " a=" per attribute from byte 11.
  const std::string reply = "200 OK\nn:: " + test::repeat(" a=", core::kMaxAttributes + 1) + "\n";
  EXPECT_EQ(error_of(reply), (Error{Errc::too_many_attributes, 11 + 3 * core::kMaxAttributes}));
}

// Small random trees over the bytes the printer treats specially, with a
// fixed seed so a failure is reproducible.
TEST_F(ReplyParser, RoundTripsGeneratedTrees) {
  std::mt19937 random(20261126);
  const std::string value_bytes = "ab :=\\\n\r\t\"";
  const std::string name_bytes = "ab :=\\";
  const auto text = [&random](const std::string& bytes, std::size_t max_length) {
    std::string out(random() % (max_length + 1), ' ');
    for (char& c : out) c = bytes[random() % bytes.size()];
    return out;
  };
  const std::string indents[] = {"\t", "  ", " \t"};
  for (int round = 0; round < 2000; ++round) {
    built_->clear();
    std::vector<tree::NodeId> nodes{kRoot};
    for (auto i = random() % 6; i > 0; --i) {
      const std::string name = random() % 3 == 0 ? "" : text(name_bytes, 4);
      auto node = built_->add_kid(nodes[random() % nodes.size()], name, text(value_bytes, 5));
      if (!node) continue;  // an invalid random name
      nodes.push_back(node.value());
      for (auto a = random() % 3; a > 0; --a) {
        (void)built_->add_attribute(node.value(), text(name_bytes, 3), text(value_bytes, 4));
      }
    }
    const std::string& indent = indents[random() % 3];
    std::vector<char> buffer(core::kMaxDatagram);
    if (!print_reply(Reply{200, "OK", built_.get()}, indent, buffer).ok()) continue;
    expect_round_trip(indent);
    if (HasFailure()) break;
  }
  EXPECT_GT(inputs_.size(), 1000U) << "most generated trees were not printable";
}

}  // namespace
}  // namespace mid::protocol::text

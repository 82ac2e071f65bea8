// Properties of the reply printer and parser (docs/PROTOCOL.md,
// "Replies"), over random trees.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/tree_compare.hpp"
#include "core/limits.hpp"
#include "generators.hpp"
#include "protocol/text/reply_parser.hpp"
#include "protocol/text/reply_printer.hpp"
#include "tree_model.hpp"

namespace mid::proptest {
namespace {

struct Fixture {
  std::unique_ptr<tree::Tree> tree = std::make_unique<tree::Tree>();
  std::unique_ptr<tree::Tree> parsed = std::make_unique<tree::Tree>();
  std::unique_ptr<protocol::text::ReplyScratch> scratch =
      std::make_unique<protocol::text::ReplyScratch>();
  std::vector<char> out = std::vector<char>(core::kMaxDatagram);

  std::string print(const std::vector<NodeSpec>& specs, const std::string& indent) {
    RC_ASSERT(build_tree(specs, *tree));
    const auto printed =
        protocol::text::print_reply(protocol::text::Reply{200, "OK", tree.get()}, indent, out);
    RC_ASSERT(printed.ok());
    return std::string(out.data(), printed.value());
  }
};

RC_GTEST_PROP(ReplyProperties, PrinterMatchesTheDocumentedFormat, ()) {
  const auto specs = *tree_spec();
  const std::string indent = *mid::proptest::indent();
  Fixture fixture;
  RC_ASSERT(fixture.print(specs, indent) == reference_reply(200, "OK", specs, indent));
}

// For a span of every size from 0 to the full reply: no write past the
// span (guard bytes), and the print completes iff the span holds it all.
RC_GTEST_PROP(ReplyProperties, PrinterRespectsEverySpanSize, ()) {
  const auto specs = *rc::gen::resize(30, tree_spec());
  const std::string indent = *mid::proptest::indent();
  Fixture fixture;
  const std::string full = fixture.print(specs, indent);
  constexpr std::size_t kGuard = 16;
  const protocol::text::Reply reply{200, "OK", fixture.tree.get()};
  for (std::size_t size = 0; size <= full.size(); ++size) {
    std::vector<char> span(size + kGuard, '\x5a');
    const auto printed =
        protocol::text::print_reply(reply, indent, std::span<char>(span.data(), size));
    RC_ASSERT(std::all_of(span.begin() + static_cast<std::ptrdiff_t>(size), span.end(),
                          [](char c) { return c == '\x5a'; }));
    if (size < full.size()) {
      RC_ASSERT(!printed.ok());
      RC_ASSERT(printed.error().code == core::Errc::reply_too_large);
    } else {
      RC_ASSERT(printed.ok());
      RC_ASSERT(std::string_view(span.data(), printed.value()) == full);
    }
  }
}

// Large values near and over the datagram limit: the printer completes
// iff the documented reply fits kMaxDatagram, whatever the span's size.
// A tree refuses text beyond its one-datagram arena (reply_too_large):
// such text could never be printed either.
RC_GTEST_PROP(ReplyProperties, CompletesIffTheReplyFitsTheLimit, ()) {
  const std::size_t count = *rc::gen::inRange<std::size_t>(1, 5);
  std::vector<NodeSpec> specs(count);
  for (NodeSpec& spec : specs) {
    spec.name = *rc::gen::resize(8, node_name());
    const std::string unit = *rc::gen::resize(8, rc::gen::nonEmpty(value()));
    const std::size_t repeat = *rc::gen::inRange<std::size_t>(0, 24000 / unit.size() + 1);
    for (std::size_t i = 0; i < repeat; ++i) spec.value += unit;
  }
  const std::string expected = reference_reply(200, "OK", specs, "\t");
  Fixture fixture;
  if (!build_tree(specs, *fixture.tree)) {
    RC_ASSERT(expected.size() > core::kMaxDatagram);
    return;
  }
  std::vector<char> big(core::kMaxDatagram + 100);
  const auto printed =
      protocol::text::print_reply(protocol::text::Reply{200, "OK", fixture.tree.get()}, "\t", big);
  if (expected.size() <= core::kMaxDatagram) {
    RC_ASSERT(printed.ok());
    RC_ASSERT(std::string_view(big.data(), printed.value()) == expected);
  } else {
    RC_ASSERT(!printed.ok());
    RC_ASSERT(printed.error().code == core::Errc::reply_too_large);
  }
}

RC_GTEST_PROP(ReplyProperties, IndentationFollowsDepth, ()) {
  const auto specs = *tree_spec();
  const std::string indent = *mid::proptest::indent();
  Fixture fixture;
  const std::string text = fixture.print(specs, indent);
  const std::vector<std::size_t> depths = depths_of(specs);
  std::size_t begin = text.find('\n') + 1;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::size_t end = text.find('\n', begin);
    RC_ASSERT(end != std::string::npos);
    std::string_view line(text.data() + begin, end - begin);
    for (std::size_t level = 1; level < depths[i]; ++level) {
      RC_ASSERT(line.starts_with(indent));
      line.remove_prefix(indent.size());
    }
    // What follows the indentation never starts with a blank, so a
    // reader counts exactly depth - 1 indents.
    // (RC_ASSERT does not short-circuit: compute the condition first.)
    const bool starts_with_blank = !line.empty() && (line.front() == ' ' || line.front() == '\t');
    RC_ASSERT(!starts_with_blank);
    begin = end + 1;
  }
  RC_ASSERT(begin == text.size());
}

RC_GTEST_PROP(ReplyProperties, ParserInvertsPrinter, ()) {
  const auto specs = *tree_spec();
  const std::string indent = *rc::gen::nonEmpty(mid::proptest::indent());
  const unsigned code = *rc::gen::inRange(100U, 1000U);
  const std::string reason = *rc::gen::container<std::string>(value_byte());
  Fixture fixture;
  RC_ASSERT(build_tree(specs, *fixture.tree));
  const auto printed = protocol::text::print_reply(
      protocol::text::Reply{code, reason, fixture.tree.get()}, indent, fixture.out);
  RC_ASSERT(printed.ok());
  const std::string_view text(fixture.out.data(), printed.value());
  const auto status = protocol::text::parse_reply(text, indent, *fixture.parsed, *fixture.scratch);
  RC_ASSERT(status.ok());
  RC_ASSERT(status.value().code == code);
  // The reason comes back as printed: its control bytes stay escaped.
  RC_ASSERT(status.value().reason == reference_reason(reason));
  RC_ASSERT(fuzz::same_tree(*fixture.tree, *fixture.parsed));
}

// With an empty indent the wire carries no depth: the parser gives back
// the same nodes in the same order, all at the top level.
RC_GTEST_PROP(ReplyProperties, ParserInvertsPrinterFlattenedForEmptyIndent, ()) {
  const auto specs = *tree_spec();
  Fixture fixture;
  const std::string text = fixture.print(specs, "");
  const auto status = protocol::text::parse_reply(text, "", *fixture.parsed, *fixture.scratch);
  RC_ASSERT(status.ok());
  RC_ASSERT(fuzz::same_tree(*fixture.tree, *fixture.parsed, false));
  for (tree::NodeId n = fixture.parsed->next_in_walk(tree::kRoot); n != tree::kNoNode;
       n = fixture.parsed->next_in_walk(n)) {
    RC_ASSERT(fixture.parsed->depth(n) == 1U);
  }
}

RC_GTEST_PROP(ReplyProperties, NodeWithOnlyAttributesIsRefused, ()) {
  auto specs = *tree_spec();
  const std::size_t at = *rc::gen::inRange<std::size_t>(0, specs.size() + 1);
  NodeSpec bare;
  bare.down = *rc::gen::arbitrary<bool>();
  bare.attributes.push_back(AttrSpec{*node_name(), *value()});
  specs.insert(specs.begin() + static_cast<std::ptrdiff_t>(at), bare);
  Fixture fixture;
  RC_ASSERT(build_tree(specs, *fixture.tree));
  const auto printed = protocol::text::print_reply(
      protocol::text::Reply{200, "OK", fixture.tree.get()}, "\t", fixture.out);
  RC_ASSERT(!printed.ok());
  RC_ASSERT(printed.error().code == core::Errc::bad_name);
}

}  // namespace
}  // namespace mid::proptest

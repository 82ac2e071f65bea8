// Harness: the client's reply parser, on any datagram a server (or a
// forger) could send. Byte 0 picks reply_indent (common/indent.hpp); the
// rest is the datagram. Invariants: an input over kMaxDatagram is
// rejected whole; an error's offset lies within the input; an accepted
// reply prints again (unless it holds a node the printer must refuse, or
// grows past the limit through escapes) and parse-print-parse is a fixed
// point: the same status, the same tree, the same bytes on a second print.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/harness.hpp"
#include "common/indent.hpp"
#include "common/tree_compare.hpp"
#include "core/control_bytes.hpp"
#include "core/limits.hpp"
#include "protocol/text/reply_parser.hpp"
#include "protocol/text/reply_printer.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace tree = mid::tree;
namespace protocol = mid::protocol;

struct State {
  tree::Tree first;
  tree::Tree second;
  protocol::text::ReplyScratch scratch;
  std::unique_ptr<char[]> printed{new char[core::kMaxDatagram]};
  std::unique_ptr<char[]> reprinted{new char[core::kMaxDatagram]};
};

void check_tree_limits(const tree::Tree& tree) {
  check(tree.node_count() <= core::kMaxNodes, "too many nodes accepted");
  for (tree::NodeId n = tree.next_in_walk(tree::kRoot); n != tree::kNoNode;
       n = tree.next_in_walk(n)) {
    check(tree.depth(n) >= 1 && tree.depth(n) <= core::kMaxTreeDepth, "depth out of range");
    check(tree.name(n).empty() || tree::Tree::is_valid_name(tree.name(n)), "invalid name accepted");
  }
}

// The status line's reason as the printer writes it: every control byte
// escaped (parse_reply returns the reason as it stands in the text, so a
// raw control byte in the input comes back escaped once printed).
std::string printed_reason(std::string_view reason) {
  std::string out;
  for (const char c : reason) {
    const std::string_view escape = core::control_escape(c);
    if (escape.empty()) {
      out += c;
    } else {
      out += escape;
    }
  }
  return out;
}

void check_fixed_point(State& state, const protocol::text::ReplyStatus& status,
                       const std::string& indent) {
  const protocol::text::Reply reply{status.code, status.reason, &state.first};
  const auto printed = protocol::text::print_reply(
      reply, indent, std::span<char>(state.printed.get(), core::kMaxDatagram));
  if (mid::fuzz::has_unprintable_node(state.first)) {
    // bad_name, or reply_too_large when the output overflowed first.
    check(!printed && (printed.error().code == core::Errc::bad_name ||
                       printed.error().code == core::Errc::reply_too_large),
          "unprintable node printed");
    return;
  }
  if (!printed) {
    check(printed.error().code == core::Errc::reply_too_large, "parsed reply refused");
    return;
  }
  const std::string_view text(state.printed.get(), printed.value());
  const auto again = protocol::text::parse_reply(text, indent, state.second, state.scratch);
  check(again.ok(), "reprinted reply does not parse");
  check(again.value().code == status.code && again.value().reason == printed_reason(status.reason),
        "status changed");
  check(mid::fuzz::same_tree(state.first, state.second), "parse-print-parse changed the tree");
  const protocol::text::Reply reply2{again.value().code, again.value().reason, &state.second};
  const auto reprinted = protocol::text::print_reply(
      reply2, indent, std::span<char>(state.reprinted.get(), core::kMaxDatagram));
  check(reprinted.ok() && std::string_view(state.reprinted.get(), reprinted.value()) == text,
        "second print differs");
}

void run(std::string_view input) {
  static State& state = *new State;
  if (input.empty()) return;
  const std::string indent = mid::fuzz::indent_from_byte(static_cast<unsigned char>(input[0]));
  const std::string_view datagram = input.substr(1);
  const auto status = protocol::text::parse_reply(datagram, indent, state.first, state.scratch);
  if (datagram.size() > core::kMaxDatagram) {
    check(!status && status.error().code == core::Errc::reply_too_large, "oversize reply accepted");
    return;
  }
  if (!status) {
    check(status.error().offset <= datagram.size(), "error offset past the input");
    return;
  }
  check(status.value().code >= 100 && status.value().code <= 999, "status code range");
  check_tree_limits(state.first);
  check_fixed_point(state, status.value(), indent);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

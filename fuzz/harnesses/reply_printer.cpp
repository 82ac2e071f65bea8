// Harness: the reply printer over a tree built from the fuzz bytes.
// Layout: byte 0 picks reply_indent (common/indent.hpp), bytes 1-2 the
// status code; the rest is split at 0xFF into records. A record's first
// byte is an operation (low two bits: 0 add a kid and descend, 1 add a
// sibling, 2 climb one level, 3 add an attribute); the remaining bytes
// are "name\0value" (no NUL: the bytes are the value of a nameless node).
// Invariants: the printer refuses exactly the unprintable trees; output
// never exceeds the limit nor the span (guard bytes after it); it
// completes iff the span holds the whole reply; and parse_reply gives back
// the same tree (flattened for an empty indent).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/harness.hpp"
#include "common/indent.hpp"
#include "common/tree_compare.hpp"
#include "core/limits.hpp"
#include "protocol/text/reply_parser.hpp"
#include "protocol/text/reply_printer.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace tree = mid::tree;
namespace protocol = mid::protocol;

constexpr std::size_t kGuard = 64;
constexpr char kGuardByte = '\xa5';

void apply(tree::Tree& tree, tree::NodeId& current, std::string_view record) {
  if (record.empty()) return;
  const unsigned op = static_cast<unsigned char>(record[0]) & 3U;
  record.remove_prefix(1);
  const std::size_t nul = record.find('\0');
  const std::string_view name = nul == std::string_view::npos ? "" : record.substr(0, nul);
  const std::string_view value = nul == std::string_view::npos ? record : record.substr(nul + 1);
  if (op == 2) {
    if (current != tree::kRoot) current = tree.parent(current);
    return;
  }
  if (op == 3) {
    if (current != tree::kRoot) (void)tree.add_attribute(current, name, value);
    return;
  }
  const tree::NodeId parent = op == 0 || current == tree::kRoot ? current : tree.parent(current);
  const auto added = tree.add_kid(parent, name, value);
  if (added) current = added.value();
}

void build(tree::Tree& tree, std::string_view records) {
  tree.clear();
  tree::NodeId current = tree::kRoot;
  for (std::size_t begin = 0; begin <= records.size();) {
    std::size_t end = records.find('\xff', begin);
    if (end == std::string_view::npos) end = records.size();
    apply(tree, current, records.substr(begin, end - begin));
    begin = end + 1;
  }
}

struct State {
  tree::Tree tree;
  tree::Tree parsed;
  protocol::text::ReplyScratch scratch;
  std::unique_ptr<char[]> out{new char[core::kMaxDatagram + kGuard]};
};

// Completes iff the span holds the whole reply; ASan sees any write past
// the exact-size blocks.
void check_spans(const protocol::text::Reply& reply, const std::string& indent,
                 std::string_view text) {
  const std::unique_ptr<char[]> exact(new char[text.size()]);
  const auto fits =
      protocol::text::print_reply(reply, indent, std::span<char>(exact.get(), text.size()));
  check(fits.ok() && std::string_view(exact.get(), fits.value()) == text, "exact span");
  const auto short_by_one =
      protocol::text::print_reply(reply, indent, std::span<char>(exact.get(), text.size() - 1));
  check(!short_by_one && short_by_one.error().code == core::Errc::reply_too_large,
        "span one byte short accepted");
}

void check_parse_back(State& state, const protocol::text::Reply& reply, const std::string& indent,
                      std::string_view text) {
  const auto status = protocol::text::parse_reply(text, indent, state.parsed, state.scratch);
  check(status.ok(), "printed reply does not parse");
  check(status.value().code == reply.code && status.value().reason == reply.reason,
        "status line changed");
  check(mid::fuzz::same_tree(state.tree, state.parsed, !indent.empty()), "tree changed");
}

void run(std::string_view input) {
  static State& state = *new State;
  if (input.size() < 3) return;
  const std::string indent = mid::fuzz::indent_from_byte(static_cast<unsigned char>(input[0]));
  const unsigned code =
      100 +
      (static_cast<unsigned char>(input[1]) * 256U + static_cast<unsigned char>(input[2])) % 900;
  build(state.tree, input.substr(3));
  const protocol::text::Reply reply{code, "OK", &state.tree};

  std::memset(state.out.get() + core::kMaxDatagram, kGuardByte, kGuard);
  const auto printed = protocol::text::print_reply(
      reply, indent, std::span<char>(state.out.get(), core::kMaxDatagram + kGuard));
  for (std::size_t i = 0; i < kGuard; ++i) {
    check(state.out[core::kMaxDatagram + i] == kGuardByte, "wrote past the limit");
  }
  if (mid::fuzz::has_unprintable_node(state.tree)) {
    // bad_name, or reply_too_large when the output overflowed before the
    // printer reached the node (it stops at the first overflow).
    check(!printed && (printed.error().code == core::Errc::bad_name ||
                       printed.error().code == core::Errc::reply_too_large),
          "unprintable node printed");
    return;
  }
  if (!printed) {
    check(printed.error().code == core::Errc::reply_too_large, "unexpected printer error");
    return;
  }
  check(printed.value() <= core::kMaxDatagram, "reply over the limit");
  const std::string_view text(state.out.get(), printed.value());
  check_spans(reply, indent, text);
  check_parse_back(state, reply, indent, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

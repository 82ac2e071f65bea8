// Harness: the JSON-RPC reply printer over a tree built from the fuzz
// bytes. Layout: byte 0 holds flags (bit 0: the root is an array; bits
// 1-3 pick the id); the rest is split at 0xFF into records. A record's
// first byte is an operation (low three bits: 0 add a kid and descend,
// 1 add a sibling, 2 climb one level, 3 add an attribute, 4 add a number
// kid, 5 add a number attribute, 6 add an array kid, 7 set the current
// node's value); the remaining bytes are "name\0value" (no NUL: the bytes
// are the value of a nameless node, or the name of an array). A number is
// the value's first eight bytes, little-endian.
// Invariants: compact and pretty output never pass the span (guard bytes
// after it); whatever completes is one valid JSON value in valid UTF-8
// (RapidJSON, kParseValidateEncodingFlag) with no duplicate key and no
// raw control byte (pretty: but its LF and TAB); compact and pretty hold
// the same tokens; the id is echoed as given; the compact reply completes
// in a span of exactly its size and fails one byte short; a batch of the
// reply and an error is valid JSON in both layouts.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "common/harness.hpp"
#include "common/json_tokens.hpp"
#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "protocol/jsonrpc/reply_printer.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace tree = mid::tree;
namespace jsonrpc = mid::protocol::jsonrpc;

constexpr std::size_t kGuard = 64;
constexpr char kGuardByte = '\xa5';
constexpr std::string_view kIds[] = {"",   "\"29963\"", "7",   "null", "\"a\\\"\\u00e9\"",
                                     "-1", "1.5e3",     "\"\""};

std::int64_t number_from(std::string_view bytes) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes.size() && i < 8; ++i) {
    value |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
  }
  return static_cast<std::int64_t>(value);
}

tree::NodeName name_of(std::string_view name) {
  const auto checked = tree::NodeName::make(name);
  return checked ? *checked : tree::NodeName::nameless();
}

void add_node(tree::Tree& tree, tree::NodeId& current, unsigned op, std::string_view name,
              std::string_view value) {
  const tree::NodeId parent = op == 1 && current != tree::kRoot ? tree.parent(current) : current;
  core::Result<tree::NodeId> added = core::Error{core::Errc::bad_name, 0};
  if (op == 4) {
    added = tree.add_number(parent, name_of(name), number_from(value));
  } else if (op == 6) {
    added = tree.add_array(parent, name_of(name.empty() ? value : name));
  } else {
    added = tree.add_kid(parent, name, value);
  }
  if (added) current = added.value();
}

void apply(tree::Tree& tree, tree::NodeId& current, std::string_view record) {
  if (record.empty()) return;
  const unsigned op = static_cast<unsigned char>(record[0]) & 7U;
  record.remove_prefix(1);
  const std::size_t nul = record.find('\0');
  const std::string_view name = nul == std::string_view::npos ? "" : record.substr(0, nul);
  const std::string_view value = nul == std::string_view::npos ? record : record.substr(nul + 1);
  if (op == 2) {
    if (current != tree::kRoot) current = tree.parent(current);
  } else if (op == 3) {
    (void)tree.add_attribute(current, name, value);
  } else if (op == 5) {
    (void)tree.add_number_attribute(current, name, number_from(value));
  } else if (op == 7) {
    (void)tree.set_value(current, value);
  } else {
    add_node(tree, current, op, name, value);
  }
}

void build(tree::Tree& tree, bool root_array, std::string_view records) {
  tree.clear();
  if (root_array) (void)tree.make_array(tree::kRoot);
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
  jsonrpc::ReplyPrinter printer;
  std::unique_ptr<char[]> out{new char[core::kMaxDatagram + kGuard]};
};

// Prints into one datagram with guard bytes after it; the text, or
// nullopt when it did not fit.
template <class Print>
std::optional<std::string> print_bounded(State& state, Print&& print) {
  std::memset(state.out.get() + core::kMaxDatagram, kGuardByte, kGuard);
  core::BoundedWriter out(std::span<char>(state.out.get(), core::kMaxDatagram));
  print(out);
  for (std::size_t i = 0; i < kGuard; ++i) {
    check(state.out[core::kMaxDatagram + i] == kGuardByte, "wrote past the span");
  }
  check(out.size() <= core::kMaxDatagram, "reply over the limit");
  if (out.failed()) return std::nullopt;
  return std::string(out.view());
}

// The checks every completed print passes; returns its tokens.
std::string check_json(const std::string& text, bool pretty) {
  const auto tokens = mid::fuzz::json_tokens(text);
  check(tokens.has_value(), "output is not valid JSON (or has a duplicate key)");
  check(mid::fuzz::has_no_raw_control(text, pretty ? "\n\t" : ""), "raw control byte");
  return *tokens;
}

void check_spans(State& state, std::string_view id, const std::string& text) {
  const std::unique_ptr<char[]> exact(new char[text.size()]);
  core::BoundedWriter fits(std::span<char>(exact.get(), text.size()));
  state.printer.put_result(fits, state.tree, "OK", id, jsonrpc::Style{});
  check(!fits.failed() && fits.view() == text, "exact span");
  core::BoundedWriter short_by_one(std::span<char>(exact.get(), text.size() - 1));
  state.printer.put_result(short_by_one, state.tree, "OK", id, jsonrpc::Style{});
  check(short_by_one.failed(), "span one byte short accepted");
}

void check_batch(State& state, std::string_view id, std::string_view message) {
  std::string tokens[2];
  for (const bool pretty : {false, true}) {
    const jsonrpc::Style style{.pretty = pretty};
    const auto text = print_bounded(state, [&](core::BoundedWriter& out) {
      jsonrpc::begin_batch(out, style);
      state.printer.put_result(out, state.tree, "OK", id, style, 1);
      jsonrpc::separate_responses(out, style);
      state.printer.put_error(out, -32602, message, message, id, style, 1);
      jsonrpc::end_batch(out, style);
    });
    if (!text) return;
    tokens[pretty ? 1 : 0] = check_json(*text, pretty);
  }
  check(tokens[0] == tokens[1], "batch: compact and pretty differ");
}

void run(std::string_view input) {
  static State& state = *new State;
  if (input.empty()) return;
  const auto flags = static_cast<unsigned char>(input[0]);
  const std::string_view id = kIds[(flags >> 1U) & 7U];
  build(state.tree, (flags & 1U) != 0, input.substr(1));

  std::optional<std::string> texts[2];
  for (const bool pretty : {false, true}) {
    texts[pretty ? 1 : 0] = print_bounded(state, [&](core::BoundedWriter& out) {
      state.printer.put_result(out, state.tree, "OK", id, jsonrpc::Style{.pretty = pretty});
    });
  }
  const std::string shown_id = id.empty() ? "null" : std::string(id);
  if (texts[0]) {
    const std::string compact_tokens = check_json(*texts[0], false);
    check(texts[0]->ends_with(",\"id\":" + shown_id + "}"), "compact: id not echoed");
    check_spans(state, id, *texts[0]);
    if (texts[1]) check(check_json(*texts[1], true) == compact_tokens, "compact != pretty");
  }
  if (texts[1]) check(texts[1]->ends_with("\"id\":\t" + shown_id + "\n}"), "pretty: id");
  check_batch(state, id, input.substr(1, 64));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

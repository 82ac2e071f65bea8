// Properties of the client's JSON-RPC codec (mi-datagram --json): the
// request printer (protocol/jsonrpc/request_printer.hpp) against the
// project's RequestParser, and the reply reader (reply_reader.hpp) on any
// bytes and on the server's own replies (ReplyPrinter).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "core/utf8.hpp"
#include "generators.hpp"
#include "protocol/jsonrpc/reply_printer.hpp"
#include "protocol/jsonrpc/reply_reader.hpp"
#include "protocol/jsonrpc/request_parser.hpp"
#include "protocol/jsonrpc/request_printer.hpp"
#include "tree_model.hpp"

namespace mid::proptest {
namespace {

namespace rpc = protocol::jsonrpc;

// UTF-8 of one code point (no surrogate: the generator never makes one).
void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Valid UTF-8: every control byte, '"', '\\', DEL, C1, and each length.
rc::Gen<std::string> utf8_text() {
  const auto code_point = rc::gen::weightedOneOf<std::uint32_t>({
      {4, rc::gen::inRange<std::uint32_t>(0x20, 0x7f)},
      {2, rc::gen::element<std::uint32_t>(0, 0x1b, '\n', '"', '\\', '/', 0x7f, 0x9b, 0xfffd)},
      {1, rc::gen::inRange<std::uint32_t>(0x80, 0x800)},
      {1, rc::gen::inRange<std::uint32_t>(0xe000, 0x10000)},
      {1, rc::gen::inRange<std::uint32_t>(0x10000, 0x110000)},
  });
  return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(code_point),
                      [](const std::vector<std::uint32_t>& cps) {
                        std::string out;
                        for (const std::uint32_t cp : cps) append_utf8(out, cp);
                        return out;
                      });
}

std::string print(std::string_view method, const std::vector<rpc::RequestParam>& params,
                  std::uint64_t id) {
  std::vector<char> out(core::kMaxDatagram);
  auto printed = rpc::print_request(method, params, id, out);
  RC_ASSERT(printed.ok());
  return std::string(out.data(), printed.value());
}

// What RequestParser must read back: each distinct name once (first use
// order) with its values in order.
std::vector<std::pair<std::string, std::vector<std::string>>> grouped(
    const std::vector<rpc::RequestParam>& params) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const rpc::RequestParam& p : params) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == p.name; });
    if (it == out.end()) it = out.insert(out.end(), {std::string(p.name), {}});
    it->second.emplace_back(p.value);
  }
  return out;
}

RC_GTEST_PROP(JsonClientProperties, PositionalRequestParsesBack, ()) {
  const std::string method = *rc::gen::nonEmpty(utf8_text());
  const auto values = *rc::gen::container<std::vector<std::string>>(utf8_text());
  const auto id = *rc::gen::arbitrary<std::uint64_t>();
  std::vector<rpc::RequestParam> params;
  for (const std::string& v : values) params.push_back({"", v});
  rpc::RequestParser parser;
  const std::string text = print(method, params, id);
  const rpc::ParseOutcome parsed = parser.parse(text);
  RC_ASSERT(parsed.error.code == rpc::RpcCode::none);
  RC_ASSERT(parsed.document.calls.size() == 1U);
  const rpc::Call& call = parsed.document.calls[0];
  RC_ASSERT(call.error.code == rpc::RpcCode::none);
  RC_ASSERT(call.method == method);
  RC_ASSERT(call.has_id && call.id == std::to_string(id));
  RC_ASSERT(call.shape ==
            (values.empty() ? rpc::ParamsShape::absent : rpc::ParamsShape::positional));
  RC_ASSERT(call.params.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    RC_ASSERT(call.params[i].value.kind == rpc::ValueKind::string);
    RC_ASSERT(call.params[i].value.text == values[i]);
  }
}

RC_GTEST_PROP(JsonClientProperties, NamedRequestParsesBackWithRepeatsAsArrays, ()) {
  const std::string method = *rc::gen::nonEmpty(utf8_text());
  // Few names, so that they repeat.
  const auto name = rc::gen::weightedOneOf<std::string>(
      {{3, rc::gen::element<std::string>("statistics", "a", "\xc3\xa9", "k\"")},
       {1, rc::gen::nonEmpty(utf8_text())}});
  const auto pairs =
      *rc::gen::nonEmpty(rc::gen::container<std::vector<std::pair<std::string, std::string>>>(
          rc::gen::pair(name, utf8_text())));
  std::vector<rpc::RequestParam> params;
  for (const auto& [n, v] : pairs) params.push_back({n, v});
  const auto expected = grouped(params);
  rpc::RequestParser parser;
  const rpc::ParseOutcome parsed = parser.parse(print(method, params, 1));
  RC_ASSERT(parsed.error.code == rpc::RpcCode::none);
  const rpc::Call& call = parsed.document.calls[0];
  RC_ASSERT(call.error.code == rpc::RpcCode::none);
  RC_ASSERT(call.shape == rpc::ParamsShape::named);
  RC_ASSERT(call.params.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const rpc::Param& param = call.params[i];
    RC_ASSERT(param.name == expected[i].first);
    const auto& values = expected[i].second;
    if (values.size() == 1) {
      RC_ASSERT(param.value.kind == rpc::ValueKind::string && param.value.text == values[0]);
      continue;
    }
    RC_ASSERT(param.value.kind == rpc::ValueKind::array && param.value.count == values.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
      RC_ASSERT(parsed.document.elements[param.value.first + k].text == values[k]);
    }
  }
}

RC_GTEST_PROP(JsonClientProperties, InvalidUtf8IsRefusedNeverReplaced, ()) {
  std::string value = *utf8_text();
  const auto bad = *rc::gen::element<std::string>("\xff", "\x80", "\xc0\x80", "\xed\xa0\x80",
                                                  "\xf4\x90\x80\x80", "\xe2\x82");
  value.insert(*rc::gen::inRange<std::size_t>(0, value.size() + 1), bad);
  RC_PRE(!core::is_utf8(value));
  const bool in_method = *rc::gen::arbitrary<bool>();
  std::vector<char> out(core::kMaxDatagram);
  // A named string, not `in_method ? "ok" : value`: that is a temporary the
  // parameter's view would outlive.
  const std::string param_value = in_method ? std::string("ok") : value;
  const std::vector<rpc::RequestParam> params{{"", param_value}};
  auto printed = rpc::print_request(in_method ? value : "m", params, 1, out);
  RC_ASSERT(!printed.ok());
  RC_ASSERT(printed.error().code == core::Errc::request_unprintable);
  RC_ASSERT(printed.error().offset == (in_method ? 0U : 1U));
}

// Any bytes, or a response with bytes spliced in.
rc::Gen<std::string> reply_bytes() {
  return rc::gen::weightedOneOf<std::string>({
      {1, rc::gen::container<std::string>(rc::gen::arbitrary<char>())},
      {2, rc::gen::map(rc::gen::pair(rc::gen::inRange<std::size_t>(0, 60),
                                     rc::gen::container<std::string>(rc::gen::element<char>(
                                         '{', '}', '[', ']', '"', ',', ':', '1', '\\', 'u', '\0',
                                         '\x7f', '\xc2', '\x9b', ' '))),
                       [](const std::pair<std::size_t, std::string>& splice) {
                         std::string reply =
                             R"({"jsonrpc":"2.0","result":{"a":[1,"b",{"c":null}]},"id":1})";
                         reply.insert(std::min(splice.first, reply.size()), splice.second);
                         return reply;
                       })},
  });
}

RC_GTEST_PROP(JsonClientProperties, ReaderStaysWithinItsBoundsOnAnyBytes, ()) {
  const std::string reply = *reply_bytes();
  static rpc::ReplyReader reader;
  // A short writer (never past its span) or the documented capacity (always enough).
  const bool full = *rc::gen::arbitrary<bool>();
  const std::size_t capacity =
      full ? rpc::kReadableCapacity : *rc::gen::inRange<std::size_t>(0, 300);
  constexpr std::size_t kGuard = 32;
  static std::vector<char> storage(rpc::kReadableCapacity + kGuard);
  std::fill(storage.begin() + static_cast<std::ptrdiff_t>(capacity), storage.end(), '\x5a');
  core::BoundedWriter out(std::span<char>(storage.data(), capacity));
  const std::vector<char> exact(reply.begin(), reply.end());
  const rpc::ReplyOutcome outcome = reader.read({exact.data(), exact.size()}, "", out);
  RC_ASSERT(std::all_of(storage.begin() + static_cast<std::ptrdiff_t>(capacity),
                        storage.begin() + static_cast<std::ptrdiff_t>(capacity + kGuard),
                        [](char c) { return c == '\x5a'; }));
  RC_ASSERT(outcome.offset <= reply.size());
  RC_ASSERT(outcome.fault != rpc::ReplyFault::id_mismatch);
  if (full) RC_ASSERT(outcome.fault != rpc::ReplyFault::output_too_large);
  RC_ASSERT(outcome.fault == rpc::ReplyFault::none || !outcome.problem.empty());
}

bool build_reply_tree(tree::Tree& tree) {
  if (!build_tree(*tree_spec(), tree)) return false;
  for (tree::NodeId node = tree::kRoot; node != tree::kNoNode; node = tree.next_in_walk(node)) {
    if (tree.depth(node) >= core::kMaxTreeDepth) continue;
    const std::size_t pick = *rc::gen::inRange<std::size_t>(0, 6);
    if (pick == 0)
      (void)tree.add_number(node, tree::NodeName{"n"}, *rc::gen::arbitrary<std::int64_t>());
    if (pick == 1) (void)tree.add_array(node, tree::NodeName::nameless());
  }
  return true;
}

RC_GTEST_PROP(JsonClientProperties, ReaderAcceptsTheServersReplies, ()) {
  auto tree = std::make_unique<tree::Tree>();
  RC_PRE(build_reply_tree(*tree));
  static rpc::ReplyPrinter printer;
  static rpc::ReplyReader reader;
  static std::vector<char> reply(core::kMaxDatagram);
  static std::vector<char> text(rpc::kReadableCapacity);
  const std::string id = std::to_string(*rc::gen::arbitrary<std::uint32_t>());
  const rpc::Style style{.pretty = *rc::gen::arbitrary<bool>()};
  const bool error = *rc::gen::arbitrary<bool>();
  const long code = *rc::gen::arbitrary<long>();
  core::BoundedWriter printed(reply);
  if (error) {
    printer.put_error(printed, code, *rc::gen::arbitrary<std::string>(),
                      *rc::gen::arbitrary<std::string>(), id, style);
  } else {
    printer.put_result(printed, *tree, "OK", id, style);
  }
  RC_PRE(!printed.failed());
  core::BoundedWriter out(text);
  const rpc::ReplyOutcome outcome = reader.read(printed.view(), id, out);
  RC_ASSERT(outcome.fault == rpc::ReplyFault::none);
  RC_ASSERT(outcome.is_error == error);
  RC_ASSERT(outcome.id == id);
  if (error) {
    RC_ASSERT(outcome.code == code);
    RC_ASSERT(out.view().starts_with(std::to_string(code) + " "));
  }
  core::BoundedWriter other(text);
  RC_ASSERT(reader.read(printed.view(), id + "0", other).fault == rpc::ReplyFault::id_mismatch);
}

}  // namespace
}  // namespace mid::proptest

// Properties of the JSON-RPC reply printer (protocol/jsonrpc/
// reply_printer.hpp) over random trees, with nlohmann-json as the oracle
// (test-only): always valid JSON without duplicate keys; compact and
// pretty are the same value; the mapping's inverse gives the tree back
// where the mapping is invertible; never a write past the span; the id
// comes back byte for byte.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "generators.hpp"
#include "json_model.hpp"
#include "protocol/jsonrpc/reply_printer.hpp"
#include "tree_model.hpp"

namespace mid::proptest {
namespace {

using Json = nlohmann::ordered_json;
using protocol::jsonrpc::Style;

struct Fixture {
  std::unique_ptr<tree::Tree> tree = std::make_unique<tree::Tree>();
  protocol::jsonrpc::ReplyPrinter printer;
  std::vector<char> out = std::vector<char>(core::kMaxDatagram);

  std::string result(std::string_view id, Style style) {
    core::BoundedWriter writer(out);
    printer.put_result(writer, *tree, "OK", id, style);
    RC_ASSERT(!writer.failed());
    return std::string(writer.view());
  }
};

// Parses `text` as one JSON value, refusing a duplicate key in any object
// (nlohmann would keep one of them silently).
std::optional<Json> parse_strict(const std::string& text) {
  std::vector<std::set<std::string>> keys;
  bool duplicate = false;
  const Json::parser_callback_t check_keys = [&](int /*depth*/, Json::parse_event_t event,
                                                 Json& parsed) {
    if (event == Json::parse_event_t::object_start) keys.emplace_back();
    if (event == Json::parse_event_t::object_end) keys.pop_back();
    if (event == Json::parse_event_t::key &&
        !keys.back().insert(parsed.get<std::string>()).second) {
      duplicate = true;
    }
    return true;
  };
  Json json = Json::parse(text, check_keys, /*allow_exceptions=*/false);
  if (json.is_discarded() || duplicate) return std::nullopt;
  return json;
}

// Any byte, NUL and 0xFF included; mostly the ones JSON escapes.
rc::Gen<std::string> any_bytes() {
  return rc::gen::container<std::string>(rc::gen::weightedOneOf<char>({
      {3, rc::gen::arbitrary<char>()},
      {1, rc::gen::element('"', '\\', '\x7f', '\xc2', '\x80', '\x9f', '\xed', '\xf4')},
  }));
}

// Trees of the text protocol's generator (any bytes in values) with some
// nodes made numbers or arrays, and the root sometimes an array.
bool build_any_tree(tree::Tree& tree) {
  const auto specs = *tree_spec();
  const bool root_array = *rc::gen::arbitrary<bool>();
  if (!build_tree(specs, tree)) return false;
  if (root_array && tree.first_kid(tree::kRoot) == tree::kNoNode) {
    (void)tree.make_array(tree::kRoot);
  }
  const auto extra = *rc::gen::container<std::vector<std::string>>(any_bytes());
  for (tree::NodeId node = tree::kRoot; node != tree::kNoNode; node = tree.next_in_walk(node)) {
    if (tree.depth(node) >= core::kMaxTreeDepth) continue;
    const std::size_t pick = *rc::gen::inRange<std::size_t>(0, 8);
    if (pick == 0)
      (void)tree.add_number(node, tree::NodeName{"n"}, *rc::gen::arbitrary<std::int64_t>());
    if (pick == 1) (void)tree.add_array(node, tree::NodeName::nameless());
    if (pick == 2 && !extra.empty()) (void)tree.add_kid(node, "x", extra.front());
    if (pick == 3) (void)tree.add_number_attribute(node, "n", *rc::gen::arbitrary<std::int64_t>());
  }
  return true;
}

RC_GTEST_PROP(JsonReplyProperties, AlwaysValidJsonWithoutDuplicateKeys, ()) {
  Fixture fixture;
  RC_PRE(build_any_tree(*fixture.tree));
  for (const bool pretty : {false, true}) {
    const std::string text = fixture.result("\"1\"", Style{.pretty = pretty});
    RC_ASSERT(parse_strict(text).has_value());
  }
}

RC_GTEST_PROP(JsonReplyProperties, ErrorsAreValidJsonForAnyBytes, ()) {
  Fixture fixture;
  const std::string message = *any_bytes();
  const std::string data = *any_bytes();
  const long code = *rc::gen::arbitrary<long>();
  core::BoundedWriter writer(fixture.out);
  fixture.printer.put_error(writer, code, message, data, "null", Style{});
  RC_ASSERT(!writer.failed());
  const auto json = parse_strict(std::string(writer.view()));
  RC_ASSERT(json.has_value());
  RC_ASSERT((*json)["error"]["code"].get<long>() == code);
  RC_ASSERT((*json)["error"].contains("data") == !data.empty());
}

RC_GTEST_PROP(JsonReplyProperties, CompactAndPrettyAreTheSameValue, ()) {
  Fixture fixture;
  RC_PRE(build_any_tree(*fixture.tree));
  const auto compact = parse_strict(fixture.result("7", Style{}));
  const auto pretty = parse_strict(fixture.result("7", Style{.pretty = true}));
  RC_ASSERT(compact.has_value() && pretty.has_value());
  RC_ASSERT(*compact == *pretty);
}

RC_GTEST_PROP(JsonReplyProperties, InverseMappingGivesTheTreeBack, (const JsonModel& result)) {
  Fixture fixture;
  RC_PRE(build_result(*fixture.tree, result));
  for (const bool pretty : {false, true}) {
    const auto json = parse_strict(fixture.result("1", Style{.pretty = pretty}));
    RC_ASSERT(json.has_value());
    RC_ASSERT((*json)["jsonrpc"] == "2.0");
    const auto back = model_of((*json)["result"], std::string());
    RC_ASSERT(back.has_value());
    RC_ASSERT(*back == result);
  }
}

// For spans shorter than the reply and the exact size: nothing written
// past the span (guard bytes), and the writer fails iff the span is short.
RC_GTEST_PROP(JsonReplyProperties, NeverWritesPastTheSpan, ()) {
  Fixture fixture;
  RC_PRE(build_any_tree(*fixture.tree));
  const Style style{.pretty = *rc::gen::arbitrary<bool>()};
  const std::string full = fixture.result("1", style);
  const std::size_t size = *rc::gen::inRange<std::size_t>(0, full.size() + 1);
  constexpr std::size_t kGuard = 16;
  std::vector<char> span(size + kGuard, '\x5a');
  core::BoundedWriter writer(std::span<char>(span.data(), size));
  fixture.printer.put_result(writer, *fixture.tree, "OK", "1", style);
  RC_ASSERT(std::all_of(span.begin() + static_cast<std::ptrdiff_t>(size), span.end(),
                        [](char c) { return c == '\x5a'; }));
  RC_ASSERT(writer.failed() == (size < full.size()));
  if (!writer.failed()) RC_ASSERT(std::string(writer.view()) == full);
}

// Ids as clients send them: strings (any text, as a JSON encoder writes
// it), integers, decimals and null. The reply carries the same bytes.
RC_GTEST_PROP(JsonReplyProperties, IdIsEchoedByteForByte, ()) {
  const std::string id = *rc::gen::oneOf(
      rc::gen::map(clean_utf8(), [](const std::string& s) { return Json(s).dump(); }),
      rc::gen::map(clean_utf8(), [](const std::string& s) { return Json(s).dump(-1, ' ', true); }),
      rc::gen::map(rc::gen::arbitrary<std::int64_t>(),
                   [](std::int64_t n) { return std::to_string(n); }),
      rc::gen::element<std::string>("null", "1.5", "-0", "1e10", "\"\\ud83d\\ude00\""));
  Fixture fixture;
  RC_PRE(build_any_tree(*fixture.tree));
  const std::string compact = fixture.result(id, Style{});
  RC_ASSERT(compact.ends_with(",\"id\":" + id + "}"));
  const std::string pretty = fixture.result(id, Style{.pretty = true});
  RC_ASSERT(pretty.ends_with("\"id\":\t" + id + "\n}"));
  RC_ASSERT(parse_strict(compact).value()["id"] == Json::parse(id));
}

}  // namespace
}  // namespace mid::proptest

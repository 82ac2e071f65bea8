// Properties of the JSON-RPC 2.0 request parser: print-then-parse gives
// back the request; any bytes give a document or an error within the
// input; the depth and batch bounds; and agreement with a second JSON
// implementation (nlohmann-json, used only here) on which inputs are JSON.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.hpp"
#include "jsonrpc_request_model.hpp"
#include "protocol/jsonrpc/request_parser.hpp"

namespace mid::proptest {
namespace {

namespace rpc = protocol::jsonrpc;

rpc::RequestParser& parser() {
  static rpc::RequestParser instance;
  return instance;
}

void check_value(const ScalarModel& model, const rpc::Value& value) {
  RC_ASSERT(value.kind == model.kind);
  RC_ASSERT(value.text == model.text);
}

void check_call(const CallModel& model, const PrintedCall& printed, const rpc::Call& call,
                const rpc::Document& document) {
  RC_ASSERT(call.error.code == rpc::RpcCode::none);
  RC_ASSERT(call.method == model.method);
  RC_ASSERT(call.has_id == (model.id_kind != IdKind::none));
  RC_ASSERT(call.id == printed.id);
  RC_ASSERT(call.shape == model.shape);
  RC_ASSERT(call.params.size() == model.params.size());
  for (std::size_t i = 0; i < model.params.size(); ++i) {
    const ParamModel& param = model.params[i];
    RC_ASSERT(call.params[i].name == param.name);
    if (!param.is_array) {
      check_value(param.scalar, call.params[i].value);
      continue;
    }
    const rpc::Value& array = call.params[i].value;
    RC_ASSERT(array.kind == rpc::ValueKind::array);
    RC_ASSERT(array.count == param.items.size());
    const auto items = document.elements.subspan(array.first, array.count);
    for (std::size_t k = 0; k < items.size(); ++k) check_value(param.items[k], items[k]);
  }
}

RC_GTEST_PROP(JsonRpcRequestProperties, PrintThenParseGivesBackTheRequest, ()) {
  const DocumentModel model = *document_model();
  const PrintedDocument printed = print_document(model);
  RC_ASSERT(printed.text.size() <= core::kMaxDatagram);
  const rpc::ParseOutcome outcome = parser().parse(printed.text);
  RC_ASSERT(outcome.error.code == rpc::RpcCode::none);
  RC_ASSERT(outcome.document.batch == model.batch);
  RC_ASSERT(outcome.document.calls.size() == model.calls.size());
  for (std::size_t i = 0; i < model.calls.size(); ++i) {
    check_call(model.calls[i], printed.calls[i], outcome.document.calls[i], outcome.document);
  }
}

void check_within(const rpc::ParseOutcome& outcome, std::string_view input) {
  RC_ASSERT(outcome.error.offset <= input.size());
  for (const rpc::Call& call : outcome.document.calls) RC_ASSERT(call.error.offset <= input.size());
  if (outcome.error.code != rpc::RpcCode::none) RC_ASSERT(outcome.document.calls.empty());
}

RC_GTEST_PROP(JsonRpcRequestProperties, ArbitraryBytesGiveADocumentOrAnErrorWithin, ()) {
  const std::string input = *rc::gen::arbitrary<std::string>();
  check_within(parser().parse(input), input);
}

RC_GTEST_PROP(JsonRpcRequestProperties, NearJsonGivesADocumentOrAnErrorWithin, ()) {
  const std::string input = *near_json();
  check_within(parser().parse(input), input);
}

// Openers of every kind (array, object member, array in params) past 16
// levels: refused at the 17th opener, whatever follows it.
RC_GTEST_PROP(JsonRpcRequestProperties, NestingPastSixteenIsRefusedAtTheSeventeenth, ()) {
  const auto openers = *rc::gen::container<std::vector<std::string>>(
      *rc::gen::inRange<std::size_t>(17, 3000),
      rc::gen::element<std::string>("[", "{\"a\":", " [ "));
  std::string text;
  std::size_t seventeenth = 0;
  for (std::size_t i = 0; i < openers.size(); ++i) {
    if (i == 16) seventeenth = text.size() + openers[i].find_first_of("[{");
    text += openers[i];
  }
  text += *rc::gen::element<std::string>("", "1", "]]]", "\"x\"}", "!");
  RC_PRE(text.size() <= core::kMaxDatagram);
  const rpc::ParseOutcome outcome = parser().parse(text);
  RC_ASSERT(outcome.error.code == rpc::RpcCode::invalid_request);
  RC_ASSERT(outcome.error.data == "nesting deeper than 16 levels");
  RC_ASSERT(outcome.error.offset == seventeenth);
}

RC_GTEST_PROP(JsonRpcRequestProperties, BatchesOfMoreThanSixtyFourAreRefused, ()) {
  const std::size_t count = *rc::gen::inRange<std::size_t>(65, 400);
  const std::string call = R"({"jsonrpc":"2.0","method":"m","id":1})";
  std::string text = "[";
  for (std::size_t i = 0; i < count; ++i) text += (i == 0 ? "" : ",") + call;
  text += "]";
  const rpc::ParseOutcome outcome = parser().parse(text);
  RC_ASSERT(outcome.error.code == rpc::RpcCode::invalid_request);
  RC_ASSERT(outcome.error.data == "batch of more than 64 calls");
  RC_ASSERT(outcome.error.offset == 1 + 64 * (call.size() + 1));
}

// Numbers, where the reader sees stand-ins (DatagramStream): an array of
// number-like bytes is JSON exactly when RFC 8259's grammar says so,
// checked against a regular expression of that grammar; big exponents and
// long digit runs included, where nlohmann cannot be the oracle.
RC_GTEST_PROP(JsonRpcRequestProperties, NumberArraysAreJsonExactlyPerTheGrammar, ()) {
  static const std::regex kNumbers(
      R"(\[ *(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)"
      R"(( *, *-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)*)? *\])");
  const auto parts = *rc::gen::container<std::vector<std::string>>(rc::gen::element<std::string>(
      "0", "1", "9", "12", "-", ".", "e", "E", "+", ",", " ", "400", "1e400", "00", "5e-999"));
  std::string text = "[";
  for (const std::string& part : parts) text += part;
  text += "]";
  const bool ours = parser().parse(text).error.code != rpc::RpcCode::parse_error;
  const bool grammar = std::regex_match(text, kNumbers);
  RC_TAG(grammar ? "JSON" : "not JSON");
  RC_ASSERT(ours == grammar);
}

// nlohmann's verdict, and whether it refused only a number beyond a
// double's range (its error 406), which RFC 8259's grammar allows.
struct OracleVerdict {
  bool accepted = false;
  bool number_overflow = false;
};

class OracleSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool /*unused*/) override { return true; }
  bool number_integer(number_integer_t /*unused*/) override { return true; }
  bool number_unsigned(number_unsigned_t /*unused*/) override { return true; }
  bool number_float(number_float_t /*unused*/, const string_t& /*unused*/) override { return true; }
  bool string(string_t& /*unused*/) override { return true; }
  bool binary(binary_t& /*unused*/) override { return true; }
  bool start_object(std::size_t /*unused*/) override { return true; }
  bool key(string_t& /*unused*/) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t /*unused*/) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t /*unused*/, const std::string& /*unused*/,
                   const nlohmann::detail::exception& error) override {
    error_id = error.id;
    return false;
  }
  int error_id = 0;
};

OracleVerdict oracle(std::string_view input) {
  OracleSax sax;
  const bool accepted = nlohmann::json::sax_parse(
      input.begin(), input.end(), &sax, nlohmann::json::input_format_t::json, true, false);
  return {accepted, !accepted && sax.error_id == 406};
}

// Our verdict "not JSON" (-32700) equals nlohmann's strict verdict, but
// for three deliberate differences, each tagged and checked on its own:
// - a UTF-8 byte order mark: nlohmann skips it; RFC 8259 section 8.1 lets
//   a parser refuse it, and we do (no client sends one);
// - a number beyond a double's range (1e400): nlohmann refuses it (406,
//   "number overflow"); RFC 8259 section 6's grammar allows it and we keep
//   its text, since we never compute the value;
// - nesting deeper than 16 levels: we stop there (invalid_request) without
//   reading the rest, which may or may not be JSON;
// - a NUL byte after the document: nlohmann's lexer takes NUL for the end
//   of its input and accepts; RFC 8259's whitespace is space, tab, LF and
//   CR only, so we refuse it ("bytes after the JSON document" at the NUL).
void check_against_oracle(const std::string& input) {
  const rpc::ParseOutcome outcome = parser().parse(input);
  const bool ours = outcome.error.code != rpc::RpcCode::parse_error;
  if (outcome.error.data == "nesting deeper than 16 levels") {
    RC_TAG("deeper than 16");
    return;
  }
  if (input.starts_with("\xEF\xBB\xBF")) {
    RC_TAG("byte order mark");
    RC_ASSERT(!ours);
    return;
  }
  const OracleVerdict theirs = oracle(input);
  if (theirs.number_overflow && ours) {
    RC_TAG("number beyond a double");
    return;
  }
  // nlohmann accepted what precedes a NUL (we may have refused a later
  // byte first, e.g. invalid UTF-8 after it): that prefix we accept too.
  const std::size_t nul = input.find('\0');
  if (!ours && theirs.accepted && nul != std::string::npos) {
    RC_TAG("NUL after the document");
    RC_ASSERT(parser().parse(std::string_view(input).substr(0, nul)).error.code !=
              rpc::RpcCode::parse_error);
    return;
  }
  RC_TAG(ours ? "JSON" : "not JSON");
  RC_ASSERT(ours == theirs.accepted);
}

RC_GTEST_PROP(JsonRpcRequestProperties, ParseErrorVerdictAgreesWithNlohmannOnMutations, ()) {
  check_against_oracle(*mutated_request());
}

RC_GTEST_PROP(JsonRpcRequestProperties, ParseErrorVerdictAgreesWithNlohmannOnNearJson, ()) {
  check_against_oracle(*near_json());
}

}  // namespace
}  // namespace mid::proptest

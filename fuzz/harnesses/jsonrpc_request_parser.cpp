// Harness: the JSON-RPC 2.0 request parser, on the bytes a datagram can
// carry. Invariants: an input over kMaxDatagram is rejected whole (also
// through the server's kReceiveBuffer); every error's offset lies within
// the input and its code is one the parser documents; an accepted document
// keeps its bounds (calls, params, elements); every view points into the
// datagram or the parser's arena; decoded strings are valid UTF-8; a
// number's text is one JSON number; and an id is bytes of the datagram
// that parse again, as an id, to themselves.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/harness.hpp"
#include "core/limits.hpp"
#include "protocol/jsonrpc/datagram_stream.hpp"
#include "protocol/jsonrpc/request_parser.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace rpc = mid::protocol::jsonrpc;

struct State {
  rpc::RequestParser parser;
  rpc::RequestParser id_parser;  // re-parses ids without touching the first outcome
  std::string id_request;
};

bool inside(std::string_view view, std::string_view whole) {
  const auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
  const auto at = reinterpret_cast<std::uintptr_t>(view.data());
  return view.empty() ||
         (at >= begin && at - begin <= whole.size() && view.size() <= whole.size() - (at - begin));
}

// Strict UTF-8 (RFC 3629: no overlongs, surrogates or values past U+10FFFF).
bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned b = byte(0);
    std::size_t n = b < 0x80                 ? 1
                    : b >= 0xC2 && b <= 0xDF ? 2
                    : b >= 0xE0 && b <= 0xEF ? 3
                    : b >= 0xF0 && b <= 0xF4 ? 4
                                             : 0;
    if (n == 0 || text.size() - i < n) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((byte(k) & 0xC0U) != 0x80) return false;
    }
    if (n >= 3) {
      const unsigned second = byte(1);
      if ((b == 0xE0 && second < 0xA0) || (b == 0xED && second >= 0xA0) ||
          (b == 0xF0 && second < 0x90) || (b == 0xF4 && second >= 0x90)) {
        return false;
      }
    }
    i += n;
  }
  return true;
}

void check_value(const rpc::Value& value, std::string_view input, std::span<const char> arena) {
  const std::string_view arena_view(arena.data(), arena.size());
  check(inside(value.text, input) || inside(value.text, arena_view), "value outside its storage");
  switch (value.kind) {
    case rpc::ValueKind::string:
      check(valid_utf8(value.text), "decoded string not UTF-8");
      break;
    case rpc::ValueKind::number: {
      const rpc::NumberToken token = rpc::scan_number(value.text, 0);
      check(inside(value.text, input), "number not taken from the datagram");
      check(token.valid && token.end == value.text.size(), "number text not one JSON number");
      break;
    }
    case rpc::ValueKind::boolean:
      check(value.text == "true" || value.text == "false", "boolean text");
      break;
    case rpc::ValueKind::null:
      check(value.text == "null", "null text");
      break;
    case rpc::ValueKind::array:
      break;
  }
}

void check_id(State& state, std::string_view id, std::string_view input) {
  check(!id.empty() && inside(id, input), "id not bytes of the datagram");
  if (id.front() != '"') {  // a number or null, checked without the parser
    const rpc::NumberToken token = rpc::scan_number(id, 0);
    check(id == "null" || (token.valid && token.end == id.size()), "id not a number or null");
  }
  state.id_request.assign(R"({"jsonrpc":"2.0","method":"m","id":)").append(id).append("}");
  const rpc::ParseOutcome again = state.id_parser.parse(state.id_request);
  check(again.error.code == rpc::RpcCode::none && again.document.calls.size() == 1,
        "id does not parse again");
  const rpc::Call& call = again.document.calls[0];
  check(call.error.code == rpc::RpcCode::none && call.has_id && call.id == id,
        "id does not parse again to itself");
}

void check_call(State& state, const rpc::Call& call, const rpc::Document& document,
                std::string_view input) {
  const std::span<const char> arena = state.parser.arena();
  check(call.error.offset <= input.size(), "call error offset past the input");
  const auto code = call.error.code;
  check(code == rpc::RpcCode::none || code == rpc::RpcCode::invalid_request ||
            code == rpc::RpcCode::invalid_params,
        "call error code");
  check(code == rpc::RpcCode::none || !call.error.data.empty(), "call error without a text");
  check(call.shape != rpc::ParamsShape::absent || call.params.empty(), "params without a shape");
  check(inside(call.method, std::string_view(arena.data(), arena.size())), "method outside arena");
  check(valid_utf8(call.method), "method not UTF-8");
  if (call.has_id) check_id(state, call.id, input);
  for (const rpc::Param& param : call.params) {
    check(call.shape == rpc::ParamsShape::named || param.name.empty(), "positional with a name");
    check(valid_utf8(param.name), "parameter name not UTF-8");
    check_value(param.value, input, arena);
    if (param.value.kind != rpc::ValueKind::array) continue;
    check(param.value.first <= document.elements.size() &&
              param.value.count <= document.elements.size() - param.value.first,
          "array parameter outside the element table");
    for (const rpc::Value& element :
         document.elements.subspan(param.value.first, param.value.count)) {
      check(element.kind != rpc::ValueKind::array, "array element not a scalar");
      check_value(element, input, arena);
    }
  }
}

void check_document(State& state, const rpc::Document& document, std::string_view input) {
  check(!document.calls.empty() && document.calls.size() <= rpc::kMaxBatch, "call count");
  check(document.batch || document.calls.size() == 1, "one call unless a batch");
  check(document.elements.size() <= rpc::kMaxJsonElements, "element count");
  std::size_t params = 0;
  for (const rpc::Call& call : document.calls) {
    params += call.params.size();
    check_call(state, call, document, input);
  }
  check(params <= rpc::kMaxJsonParams, "parameter count");
}

void run(std::string_view input) {
  static State& state = *new State;
  const rpc::ParseOutcome outcome = state.parser.parse(input);
  const rpc::RpcError& error = outcome.error;
  check(error.offset <= input.size(), "error offset past the input");
  if (input.size() > core::kMaxDatagram) {
    check(error.code == rpc::RpcCode::invalid_request && error.offset == core::kMaxDatagram,
          "oversize input not rejected whole");
    const auto received = state.parser.parse(input.substr(0, core::kReceiveBuffer));
    check(received.error.code == error.code && received.error.offset == error.offset,
          "oversize datagram not rejected whole");
    return;
  }
  if (error.code != rpc::RpcCode::none) {
    check(error.code == rpc::RpcCode::parse_error || error.code == rpc::RpcCode::invalid_request,
          "document error code");
    check(!error.data.empty() && outcome.document.calls.empty(),
          "error without text or with calls");
    return;
  }
  check_document(state, outcome.document, input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

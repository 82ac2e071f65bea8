#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/limits.hpp"

// A parsed JSON-RPC 2.0 datagram: one call or a batch of calls. All views
// point into the datagram or into the parser's own storage
// (request_parser.hpp), so a Document lives no longer than both and is
// gone at the parser's next parse().
namespace mid::protocol::jsonrpc {

// The error codes of JSON-RPC 2.0 this protocol sends.
enum class RpcCode : std::int16_t {
  none = 0,
  parse_error = -32700,      // not JSON, trailing bytes, bad escape, invalid UTF-8
  invalid_request = -32600,  // JSON, but not a request (or over a bound)
  method_not_found = -32601,
  invalid_params = -32602,
};

// Why a document or a call was refused. `data` is a static text (a string
// literal) naming the problem; `offset` is the byte of the datagram where
// the problem was seen (<= the datagram's size).
struct RpcError {
  RpcCode code = RpcCode::none;
  std::string_view data;
  std::size_t offset = 0;
};

enum class ValueKind : std::uint8_t { string, number, boolean, null, array };

// A parameter's value. `text` is the decoded string (string), the number
// exactly as written (number), or the literal ("true", "false", "null").
// An array's elements are scalars: elements[first .. first + count) of the
// Document's element table.
struct Value {
  ValueKind kind = ValueKind::null;
  std::string_view text;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

enum class ParamsShape : std::uint8_t { absent, positional, named };

struct Param {
  std::string_view name;  // empty for a positional parameter
  Value value;
};

// One request object. When `error.code` is not none the call is invalid
// (method and params may be empty) and is answered with that error, with
// `id` when `has_id` (a call whose id member itself is invalid has no id).
struct Call {
  std::string_view method;  // decoded
  bool has_id = false;      // false: a notification (no reply unless invalid)
  // The id member's value exactly as it appears in the datagram: a string
  // with its quotes and escapes as sent, a number as written, or null.
  std::string_view id;
  ParamsShape shape = ParamsShape::absent;
  std::span<const Param> params;
  RpcError error;
};

struct Document {
  bool batch = false;  // the datagram was an array of calls
  std::span<const Call> calls;
  std::span<const Value> elements;  // the element table Value::first indexes
};

// The JSON bounds live with every other bound, in core/limits.hpp.
using core::kMaxBatch;
using core::kMaxJsonDepth;
using core::kMaxJsonElements;
using core::kMaxJsonParams;

}  // namespace mid::protocol::jsonrpc

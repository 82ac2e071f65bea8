#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"

// The client's JSON-RPC 2.0 request (mi-datagram --json). Pure, noexcept,
// no allocation; output only through a BoundedWriter over `out`.
namespace mid::protocol::jsonrpc {

// One command-line parameter: `name` empty for a positional one.
struct RequestParam {
  std::string_view name;
  std::string_view value;
};

// Writes, compact and without a trailing newline,
//   {"jsonrpc":"2.0","method":M,"params":P,"id":ID}
// where ID is `id` in decimal and P is
//   - left out (with its member) when `params` is empty;
//   - ["v1","v2",...] when every parameter is positional;
//   - {"n1":"v1","n2":["v2","v3"],...} when every parameter is named: one
//     member per distinct name, in the order of its first use; a name used
//     once has its value, a name used more than once the array of its
//     values in order.
// Every value is a JSON string, escaped by put_string (json_text.hpp), so
// RequestParser reads back exactly `method`, the names and the values.
//
// Errors (offset: 0 for the method, i + 1 for params[i]):
//   request_unprintable  the method empty; the method, a name or a value
//                        not well-formed UTF-8 (refused, never replaced);
//                        named and positional parameters mixed (at the
//                        first parameter of the other kind); more than
//                        core::kMaxArguments parameters (at the first one
//                        over).
//   request_too_large    the request does not fit `out` or kMaxDatagram
//                        bytes (offset: the bytes that did fit).
// Cost: linear in the output plus O(n^2) name comparisons for n named
// parameters (n <= kMaxArguments = 4096; a command line holds a few).
[[nodiscard]] core::Result<std::size_t> print_request(std::string_view method,
                                                      std::span<const RequestParam> params,
                                                      std::uint64_t id,
                                                      std::span<char> out) noexcept;

}  // namespace mid::protocol::jsonrpc

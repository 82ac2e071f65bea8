#pragma once

#include <string_view>

#include "core/result.hpp"
#include "protocol/text/request.hpp"

namespace mid::protocol::text {

// Parses one request datagram (grammar: docs/PROTOCOL.md).
//
// Input: the datagram's bytes, any length (an over-limit datagram is an
// error, never cut). No NUL terminator is needed or read.
// Output: the request, whose views point into `datagram` and `scratch`;
// or an Error whose code names the problem and whose offset (always
// <= datagram.size()) is the byte where parsing stopped.
// Cost: linear in the input, no allocation, no recursion.
[[nodiscard]] core::Result<Request> parse_request(std::string_view datagram,
                                                  RequestScratch& scratch) noexcept;

}  // namespace mid::protocol::text

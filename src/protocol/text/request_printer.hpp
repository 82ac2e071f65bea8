#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "protocol/text/request.hpp"

namespace mid::protocol::text {

// Writes a request that parse_request() reads back as exactly `command`
// and `arguments` (docs/PROTOCOL.md, "Writing requests").
//
// Values are quoted when they must be (empty positional values, leading or
// trailing blanks, quotes, backslashes, CR, LF, "::" in a positional
// value). Returns the number of bytes written into `out`; never writes past
// it. Errors: request_unprintable (offset = index of the argument, or 0 for
// the command) for a command name outside the grammar, an argument name
// that is empty-with-a-name, has blanks at its ends or holds '"', CR, LF,
// NUL or "::", or a value holding NUL; request_too_large when the request
// does not fit `out` or kMaxDatagram (offset = bytes that did fit).
[[nodiscard]] core::Result<std::size_t> print_request(std::string_view command,
                                                      std::span<const Argument> arguments,
                                                      std::span<char> out) noexcept;

}  // namespace mid::protocol::text

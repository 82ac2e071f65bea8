#pragma once

#include <string_view>

#include "core/bounded_writer.hpp"

// JSON scalars as the JSON-RPC replies write them. Pure, no allocation;
// every byte goes through the BoundedWriter, so nothing is written past
// its span and a failure sticks in it.
namespace mid::protocol::jsonrpc {

// Writes `text` as a JSON string, quotes included, so that the output is
// valid JSON in valid UTF-8 and never carries a raw control byte:
//   - `"` and `\` are escaped; BS, FF, LF, CR and TAB as \b \f \n \r \t;
//   - every other byte below 0x20, DEL (0x7f) and the C1 controls
//     U+0080..U+009F as \u00xx (lowercase hex, as OpenSIPS writes them);
//   - each byte that does not belong to a well-formed UTF-8 sequence
//     (Unicode Table 3-7: no overlong forms, no surrogates, nothing over
//     U+10FFFF, no truncated sequence) is replaced by \ufffd, one per byte;
//   - everything else, '/' and well-formed non-ASCII included, as it is.
// Linear in text.size().
void put_string(core::BoundedWriter& out, std::string_view text) noexcept;

// Writes a request's id (its JSON text as sent: a string, a number or
// null) as it is, byte for byte, except the two control characters JSON
// lets a string carry raw, DEL and the C1 controls U+0080..U+009F, which
// are written \u007f and \u0080..\u009f: the same JSON value, and no
// reply carries a raw control byte. `id` must be valid JSON in valid
// UTF-8 (as the request parser leaves it). Linear in id.size().
void put_id(core::BoundedWriter& out, std::string_view id) noexcept;

// True when `text` is a JSON integer: -?(0|[1-9][0-9]*). (A number-kind
// value that is not one is written as a string.)
[[nodiscard]] bool is_json_integer(std::string_view text) noexcept;

// Writes `value` in decimal, with '-' when negative (LONG_MIN included).
void put_integer(core::BoundedWriter& out, long value) noexcept;

}  // namespace mid::protocol::jsonrpc

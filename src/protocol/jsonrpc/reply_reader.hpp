#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "protocol/jsonrpc/json_layout.hpp"

// The client's reader of JSON-RPC 2.0 replies (mi-datagram --json): checks
// that a datagram is one response to our request and writes it readably.
// Pure and noexcept.
namespace mid::protocol::jsonrpc {

// What went wrong with a reply (none: it was read).
enum class ReplyFault : std::uint8_t {
  none,
  too_large,         // over core::kMaxDatagram bytes
  not_json,          // not one JSON document in UTF-8 (or bytes after it)
  too_deep,          // nested deeper than kMaxReplyDepth
  not_response,      // JSON, but not a JSON-RPC 2.0 response object
  id_mismatch,       // a valid response whose id is not the one expected
  output_too_large,  // the readable text does not fit the caller's writer
};

[[nodiscard]] std::string_view to_string(ReplyFault fault) noexcept;

struct ReplyOutcome {
  ReplyFault fault = ReplyFault::none;
  std::string_view problem;  // a static text naming what is wrong ("" when none)
  std::size_t offset = 0;    // where the reader stopped (<= the reply's size)
  bool is_error = false;     // an error object (else a result)
  long code = 0;             // the error's code, when is_error
  std::string_view id;       // the reply's id as received: a view of the reply
};

// Bytes the readable text of any reply within kMaxDatagram needs at most:
// a value costs at least two bytes of input and at most a line of 2 *
// kMaxReplyDepth spaces of indentation plus itself escaped (a raw DEL is
// six bytes "\u007f"); twice that margin again for the error line.
inline constexpr std::size_t kReadableCapacity = core::kMaxDatagram * (2 * kMaxReplyDepth + 8);

// A response is an object with exactly the members "jsonrpc" (the string
// "2.0"), "id" (a string, number or null) and one of "result" (any value)
// or "error" (an object with "code", an integer that fits a long,
// "message", a string, and optionally "data", any value), in any order,
// each once; names compared byte for byte. The document must be the whole
// datagram (a NUL or any byte after it is refused), valid UTF-8 whose
// decoded strings are valid UTF-8 too (no lone surrogate escape), at most
// kMaxReplyDepth deep. A batch (an array of responses) is refused.
//
// The readable text, written to `out` only when the reply is accepted
// (after a refusal `out` holds a partial text to be ignored):
//   result  the result value in JsonLayout's indented layout (two spaces
//           per level, one member or element per line) and "\n";
//   error   "CODE MESSAGE\n", or "CODE MESSAGE: DATA\n" with "data": a
//           string is shown as its text, any other value as compact JSON.
//           In MESSAGE and a DATA string each control byte (LF and tab
//           included), DEL and C1 control is shown as its escape (\n, \t,
//           \x1b, \x7f, \xc2\x9b), as the text mode shows a reply on a
//           terminal, so the line is one line and moves no cursor.
// Neither ever holds a raw control byte other than its LF line ends, nor
// C1 control, nor invalid UTF-8. A writer of kReadableCapacity bytes
// always holds it.
//
// `expected_id` is the id's JSON text as our request sent it (e.g. "17");
// a response whose id differs, byte for byte, is refused as id_mismatch
// (only when it is otherwise valid). Empty: any id is accepted.
//
// One reader per client. The constructor allocates what a read needs (the
// JSON reader's stack for one datagram-sized string, the error's message
// and data buffers: about 1 MiB); read() never allocates, never recurses,
// is linear in the reply and reads no byte past it.
class ReplyReader {
 public:
  ReplyReader();
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;
  ReplyReader(ReplyReader&&) = delete;
  ReplyReader& operator=(ReplyReader&&) = delete;

  [[nodiscard]] ReplyOutcome read(std::string_view reply, std::string_view expected_id,
                                  core::BoundedWriter& out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mid::protocol::jsonrpc

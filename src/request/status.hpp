#pragma once

#include <string_view>

// Every status the server itself sends, in both protocols, in one table:
// the code and the reason (a reason ending in ": " is followed by the name
// it is about). A command's own statuses are its handler's; errors of the
// 1.x grammar are worded by protocol/text/error_reply.cpp from core::Errc.
namespace mid::request {

struct StatusText {
  int code;
  std::string_view reason;
};

namespace status {

// Text (1.x) and JSON alike; JSON carries the code and the reason as the
// error's code and message.
inline constexpr StatusText kPeerForbidden{403, "Forbidden"};  // the peer may not ask at all
inline constexpr StatusText kCommandForbidden{403, "forbidden by the access rules: "};
inline constexpr StatusText kUnknownCommand{404, "unknown command: "};
inline constexpr StatusText kBadArguments{400, "bad arguments: "};
inline constexpr StatusText kCommandFailed{500, "command failed"};
inline constexpr StatusText kReplyTooLarge{500, "reply too large"};
inline constexpr StatusText kBatchTooLarge{
    500, "reply too large: the batch's replies do not fit one datagram"};
inline constexpr StatusText kInvalidStatus{500, "server error: invalid reply status"};

// JSON-RPC 2.0's own errors (the messages its specification gives).
inline constexpr StatusText kParseError{-32700, "Parse error"};
inline constexpr StatusText kInvalidRequest{-32600, "Invalid Request"};
inline constexpr StatusText kMethodNotFound{-32601, "Method not found"};
inline constexpr StatusText kInvalidParams{-32602, "Invalid params"};

}  // namespace status
}  // namespace mid::request

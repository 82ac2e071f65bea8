#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/client_options.hpp"

// mi-datagram --json (mi-datagram(1)): the request from the command line
// or standard input, and what to expect back.
namespace mid::app {

struct JsonRequest {
  std::size_t size = 0;       // the request's bytes at the start of the buffer
  std::string expected_id;    // the reply's id text; empty: any id
  bool notification = false;  // a call without id read from '-': no reply comes
};

// Writes {"jsonrpc":"2.0","method":COMMAND,"params":...,"id":ID} into `out`
// from options.command and options.arguments: an argument NAME=VALUE (NAME
// not empty) is a named parameter, any other a positional one; mixing the
// two, a command or argument that is not valid UTF-8 and a request over
// 65457 bytes are refused with `error` set.
[[nodiscard]] bool build_json_request(const ClientOptions& options, std::uint64_t id,
                                      std::span<char> out, JsonRequest& request,
                                      std::string& error);

// For a document read from standard input: the id its reply carries (the
// call's id as written; "null" when the server cannot read the call's id),
// or a notification, or any id for a batch.
void expect_reply_to(std::string_view document, JsonRequest& request);

// Splits "NAME=VALUE" (NAME not empty) into its name and value; any other
// argument is positional (empty name).
struct SplitArgument {
  std::string_view name;
  std::string_view value;
};
[[nodiscard]] SplitArgument split_json_argument(std::string_view argument) noexcept;

}  // namespace mid::app

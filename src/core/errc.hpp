#pragma once

#include <cstdint>
#include <string_view>

// Every error the pure layer can return. Wire codes and reasons are mapped
// from these in exactly one place (to_reply_code / to_string below).
namespace mid::core {

enum class Errc : std::uint8_t {
  // Request framing and first line.
  request_too_large,
  empty_request,
  missing_leading_colon,
  empty_command,
  command_too_long,
  bad_command_char,
  unterminated_command,
  // Characters anywhere.
  nul_byte,
  bare_cr,
  // Argument lines.
  empty_arg_name,
  quote_in_unquoted,
  unterminated_quote,
  bad_escape,
  data_after_quote,
  data_after_blank_line,
  too_many_arguments,
  // Building and printing trees and requests.
  tree_too_deep,
  too_many_nodes,
  too_many_attributes,
  bad_name,
  reply_too_large,
  request_unprintable,
  // Reading replies (the client side).
  bad_status_line,
  bad_reply_line,
  bad_reply_escape,
  bad_indentation,
  // Dispatch and registries.
  unknown_command,
  duplicate_name,
  // Configuration (never on the wire: parse_socket_address and friends).
  bad_socket_name,
  socket_path_too_long,
  bad_socket_host,
  bad_socket_port,
};

// What part of a request the error is about, for the reply text
// "400 bad argument at byte 17: unterminated quote".
enum class ErrorArea : std::uint8_t { request, command, argument, reply, server };

[[nodiscard]] std::string_view to_string(Errc code) noexcept;
[[nodiscard]] ErrorArea area_of(Errc code) noexcept;
[[nodiscard]] std::string_view to_string(ErrorArea area) noexcept;
// The 3-digit status code a reply carries for this error.
[[nodiscard]] unsigned reply_code_of(Errc code) noexcept;

}  // namespace mid::core

#include "core/errc.hpp"

namespace mid::core {

// One case per Errc: long, but flat (the switch is checked for exhaustiveness).
// NOLINTNEXTLINE(readability-function-size)
std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::request_too_large:
      return "request too large";
    case Errc::empty_request:
      return "empty request";
    case Errc::missing_leading_colon:
      return "request must start with ':'";
    case Errc::empty_command:
      return "empty command name";
    case Errc::command_too_long:
      return "command name too long";
    case Errc::bad_command_char:
      return "invalid character in command name";
    case Errc::unterminated_command:
      return "first line must be ':' command ':' newline";
    case Errc::nul_byte:
      return "NUL byte";
    case Errc::bare_cr:
      return "CR not followed by LF";
    case Errc::empty_arg_name:
      return "empty argument name";
    case Errc::quote_in_unquoted:
      return "quote inside an unquoted name or value";
    case Errc::unterminated_quote:
      return "unterminated quote";
    case Errc::bad_escape:
      return "invalid escape in quoted value";
    case Errc::data_after_quote:
      return "data after closing quote";
    case Errc::data_after_blank_line:
      return "data after the blank line that ends the request";
    case Errc::too_many_arguments:
      return "too many arguments";
    case Errc::tree_too_deep:
      return "reply tree too deep";
    case Errc::too_many_nodes:
      return "too many reply nodes";
    case Errc::too_many_attributes:
      return "too many reply attributes";
    case Errc::bad_name:
      return "invalid node or attribute name";
    case Errc::reply_too_large:
      return "reply too large";
    case Errc::request_unprintable:
      return "argument cannot be written as a request line";
    case Errc::bad_status_line:
      return "malformed status line";
    case Errc::bad_reply_line:
      return "malformed reply line";
    case Errc::bad_reply_escape:
      return "invalid escape in reply";
    case Errc::bad_indentation:
      return "indentation deeper than parent plus one";
    case Errc::unknown_command:
      return "unknown command";
    case Errc::duplicate_name:
      return "name already registered";
    case Errc::bad_socket_name:
      return "must be a UNIX socket path or udp:HOST:PORT";
    case Errc::socket_path_too_long:
      return "UNIX socket path longer than 107 bytes";
    case Errc::bad_socket_host:
      return "UDP host must be an IPv4 address, an IPv6 address in brackets or a host name";
    case Errc::bad_socket_port:
      return "UDP port must be a decimal number from 1 to 65535";
  }
  return "unknown error";
}

// Flat like to_string, and for the same reason: one switch the compiler
// checks for exhaustiveness puts every Errc in exactly one area.
// NOLINTNEXTLINE(readability-function-size)
ErrorArea area_of(Errc code) noexcept {
  switch (code) {
    case Errc::request_too_large:
    case Errc::empty_request:
    case Errc::nul_byte:
    case Errc::bare_cr:
    case Errc::data_after_blank_line:
    case Errc::too_many_arguments:
      return ErrorArea::request;
    case Errc::missing_leading_colon:
    case Errc::empty_command:
    case Errc::command_too_long:
    case Errc::bad_command_char:
    case Errc::unterminated_command:
    case Errc::unknown_command:
      return ErrorArea::command;
    case Errc::empty_arg_name:
    case Errc::quote_in_unquoted:
    case Errc::unterminated_quote:
    case Errc::bad_escape:
    case Errc::data_after_quote:
    case Errc::request_unprintable:
      return ErrorArea::argument;
    case Errc::bad_status_line:
    case Errc::bad_reply_line:
    case Errc::bad_reply_escape:
    case Errc::bad_indentation:
      return ErrorArea::reply;
    case Errc::tree_too_deep:
    case Errc::too_many_nodes:
    case Errc::too_many_attributes:
    case Errc::bad_name:
    case Errc::duplicate_name:
    case Errc::reply_too_large:
    case Errc::bad_socket_name:
    case Errc::socket_path_too_long:
    case Errc::bad_socket_host:
    case Errc::bad_socket_port:
      return ErrorArea::server;
  }
  return ErrorArea::server;
}

std::string_view to_string(ErrorArea area) noexcept {
  switch (area) {
    case ErrorArea::request:
      return "bad request";
    case ErrorArea::command:
      return "bad command";
    case ErrorArea::argument:
      return "bad argument";
    case ErrorArea::reply:
      return "bad reply";
    case ErrorArea::server:
      return "server error";
  }
  return "server error";
}

unsigned reply_code_of(Errc code) noexcept {
  if (code == Errc::unknown_command) return 404;
  switch (area_of(code)) {
    case ErrorArea::request:
    case ErrorArea::command:
    case ErrorArea::argument:
      return 400;
    case ErrorArea::reply:
    case ErrorArea::server:
      return 500;
  }
  return 500;
}

}  // namespace mid::core

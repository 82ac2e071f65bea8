#include "protocol/text/request_printer.hpp"

#include <algorithm>

#include "core/bounded_writer.hpp"
#include "protocol/text/grammar.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;

bool is_printable_command(std::string_view command) noexcept {
  return !command.empty() && command.size() <= core::kMaxCommandName &&
         std::all_of(command.begin(), command.end(), is_command_char);
}

bool is_printable_name(std::string_view name) noexcept {
  if (name.empty() || trim_blanks(name).size() != name.size()) return false;
  // "::" inside would move the name/value separator.
  if (name.find("::") != std::string_view::npos) return false;
  return name.find_first_of(std::string_view("\"\r\n\0", 4)) == std::string_view::npos;
}

bool needs_quotes(std::string_view value, bool positional) noexcept {
  if (value.empty()) return positional;  // an empty line would end the request
  if (trim_blanks(value).size() != value.size()) return true;
  if (value.find_first_of("\"\\\r\n") != std::string_view::npos) return true;
  // A positional value starting with "::" or holding it would read as a name.
  return positional && value.find("::") != std::string_view::npos;
}

void put_quoted(core::BoundedWriter& out, std::string_view value) noexcept {
  out.put('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '"' || value[i] == '\\') {
      out.put(value.substr(run, i - run));
      out.put('\\');
      run = i;
    }
  }
  out.put(value.substr(run));
  out.put('"');
}

}  // namespace

core::Result<std::size_t> print_request(std::string_view command,
                                        std::span<const Argument> arguments,
                                        std::span<char> out) noexcept {
  if (!is_printable_command(command)) return Error{Errc::request_unprintable, 0};
  core::BoundedWriter writer(out.first(std::min(out.size(), core::kMaxDatagram)));
  writer.put(':');
  writer.put(command);
  writer.put(":\n");
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const Argument& argument = arguments[i];
    const bool positional = argument.name.empty();
    if (!positional && !is_printable_name(argument.name)) {
      return Error{Errc::request_unprintable, i};
    }
    if (argument.value.find('\0') != std::string_view::npos) {
      return Error{Errc::request_unprintable, i};
    }
    if (!positional) {
      writer.put(argument.name);
      // A name ending in ':' is followed by a blank, which the parser trims,
      // so that its last ':' is not read as the start of the separator.
      writer.put(argument.name.back() == ':' ? " ::" : "::");
    }
    if (needs_quotes(argument.value, positional)) {
      put_quoted(writer, argument.value);
    } else {
      writer.put(argument.value);
    }
    writer.put('\n');
  }
  if (writer.failed()) return Error{Errc::request_too_large, writer.size()};
  return writer.size();
}

}  // namespace mid::protocol::text

#pragma once

#include <cstddef>
#include <cstdint>

// What a command does to the server, for the `access` rules
// (docs/CONFIGURATION.md): `read` only reports, `write` changes state.
// Apart from the rest of mi/ so the access rules can name it without
// the command table.
namespace mid::mi {

enum class CommandClass : std::uint8_t { read, write };

// How a command declares its class when it is registered. A command that
// declares nothing is `write`: an embedder's command that changes state
// is never opened to read-only peers by omission.
enum class DeclaredClass : std::uint8_t {
  write,
  read,
  // read when called without arguments, write with any (`log_level`
  // shows the level alone and sets it with one).
  read_without_arguments,
};

// The class of one call of a command that declared `declared`, called
// with `argument_count` arguments.
[[nodiscard]] constexpr CommandClass class_of_call(DeclaredClass declared,
                                                   std::size_t argument_count) noexcept {
  switch (declared) {
    case DeclaredClass::read:
      return CommandClass::read;
    case DeclaredClass::read_without_arguments:
      return argument_count == 0 ? CommandClass::read : CommandClass::write;
    case DeclaredClass::write:
      break;
  }
  return CommandClass::write;
}

[[nodiscard]] constexpr const char* to_string(CommandClass command_class) noexcept {
  return command_class == CommandClass::read ? "read" : "write";
}

}  // namespace mid::mi

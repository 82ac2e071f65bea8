#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bounded_writer.hpp"
#include "mi/command_class.hpp"
#include "mi/params.hpp"
#include "tree/argument.hpp"
#include "tree/tree.hpp"

// A management command: a name, a one-line help text, flags and a handler.
namespace mid::mi {

// A handler builds its reply in the MI tree and reads its arguments; both
// live in the tree layer, named here for command authors.
using tree::Argument;
using tree::kRoot;
using tree::NodeId;
using tree::NodeName;
using tree::Tree;

// The status line of a command's reply. `reason` must stay valid until the
// reply is printed: a string literal, or text written into Call::reason.
struct CommandReply {
  unsigned code = 200;
  std::string_view reason = "OK";
};

// Room for a reason built at run time ("expected 1 argument, got 3").
class ReasonText {
 public:
  // Starts a new reason; returns a writer bounded by the buffer.
  core::BoundedWriter start() noexcept { return core::BoundedWriter(text_); }
  static std::string_view view(const core::BoundedWriter& writer) noexcept { return writer.view(); }

 private:
  std::array<char, 256> text_{};
};

class AsyncReply;  // mi/async.hpp

// What a handler sees. The handler fills `tree` (empty on entry) and
// returns the status; on a non-2xx status the tree is not printed.
struct Call {
  std::span<const Argument> arguments;
  Tree& tree;
  ReasonText& reason;
  // Set only for commands flagged kAsync, and null even then when the call
  // cannot be answered later (inside a JSON-RPC batch, a notification, a
  // JSON id over 128 bytes, a request path run without a server): the
  // handler must then answer at once.
  AsyncReply* async = nullptr;
};

using Handler = std::function<CommandReply(Call&)>;

enum CommandFlags : std::uint32_t {
  kNoFlags = 0,
  kNoArguments = 1U << 0,  // the dispatcher answers 400 when arguments are given
  kAsync = 1U << 1,        // the handler may complete later through Call::async
};

struct Command {
  std::string name;  // the command-name grammar of docs/PROTOCOL.md
  std::string help;  // one line
  std::uint32_t flags = kNoFlags;
  Handler handler;
  // For the `access` rules: declare `read` for a command that only
  // reports. Left out, the command is `write` (mi/command_class.hpp).
  DeclaredClass declared_class = DeclaredClass::write;
  // The forms of call the command accepts (mi/params.hpp). Both protocols
  // check a call against them before the handler runs and hand it the
  // arguments in the form's order, named by their parameters. Left empty,
  // the handler gets the arguments as sent and checks them itself.
  std::vector<ParamForm> forms = {};
};

// The class of a call of `command` with `argument_count` arguments.
[[nodiscard]] inline CommandClass class_of_call(const Command& command,
                                                std::size_t argument_count) noexcept {
  return class_of_call(command.declared_class, argument_count);
}

// Helpers for handlers: a 400 reply whose reason says what was expected.
CommandReply bad_arguments(Call& call, std::string_view expected) noexcept;

}  // namespace mid::mi

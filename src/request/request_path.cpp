#include "request/request_path.hpp"

#include "protocol/text/error_reply.hpp"
#include "protocol/text/reply_printer.hpp"
#include "protocol/text/request_parser.hpp"

namespace mid::request {

using mi::AsyncReply;
using mi::Call;
using mi::Command;
using mi::CommandClass;
using mi::CommandReply;
using mi::Registry;

namespace {

std::string_view print_status_only(Workspace& workspace, unsigned code,
                                   std::string_view reason) noexcept {
  auto printed = protocol::text::print_reply(protocol::text::Reply{code, reason, nullptr}, "",
                                             workspace.reply);
  if (printed) return {workspace.reply.data(), printed.value()};
  // Only an invalid code or reason gets here; the handler broke its contract.
  static constexpr std::string_view kFallback = "500 server error: invalid reply status\n";
  kFallback.copy(workspace.reply.data(), kFallback.size());
  return {workspace.reply.data(), kFallback.size()};
}

std::string_view print_error(Workspace& workspace, core::Error error) noexcept {
  const protocol::text::ErrorReply text(error);
  return print_status_only(workspace, text.reply().code, text.reason());
}

std::string_view print_forbidden(Workspace& workspace, std::string_view command) noexcept {
  auto reason = workspace.reason.start();
  reason.put("forbidden by the access rules: ");
  reason.put(command);
  return print_status_only(workspace, 403, reason.view());
}

CommandReply run_handler(const Command& command, Call& call) noexcept {
  try {
    return command.handler(call);
  } catch (...) {
    return CommandReply{500, "command failed"};
  }
}

Outcome outcome_of(core::Errc code) noexcept {
  return code == core::Errc::request_too_large ? Outcome::request_too_large : Outcome::bad_request;
}

}  // namespace

Handled handle_datagram(std::string_view datagram, const Registry& registry, Workspace& workspace,
                        std::string_view indent, AsyncReply* async,
                        const AccessGate* gate) noexcept {
  auto request = protocol::text::parse_request(datagram, workspace.request);
  if (!request) {
    return Handled{print_error(workspace, request.error()), outcome_of(request.error().code)};
  }
  const Command* command = registry.find(request.value().command);
  if (command == nullptr) {
    auto reason = workspace.reason.start();
    reason.put("unknown command: ");
    reason.put(request.value().command);
    return Handled{print_status_only(workspace, 404, reason.view()), Outcome::unknown_command};
  }
  const CommandClass command_class = mi::class_of_call(*command, request.value().arguments.size());
  if (gate != nullptr && !gate->allows(command->name, command_class)) {
    return Handled{print_forbidden(workspace, command->name), Outcome::command_failed, command,
                   command_class, true};
  }
  if ((command->flags & mi::kNoArguments) != 0 && !request.value().arguments.empty()) {
    return Handled{print_status_only(workspace, 400, "bad arguments: expected none"),
                   Outcome::command_failed, command, command_class};
  }
  workspace.tree.clear();
  AsyncReply* const async_for_command = (command->flags & mi::kAsync) != 0 ? async : nullptr;
  Call call{request.value().arguments, workspace.tree, workspace.reason, async_for_command};
  const CommandReply status = run_handler(*command, call);
  if (status.code == mi::kDeferred && async_for_command != nullptr) {
    return Handled{{}, Outcome::deferred, command, command_class};
  }
  Handled handled = print_completion(status, workspace, indent);
  handled.command = command;
  handled.command_class = command_class;
  return handled;
}

Handled print_completion(CommandReply status, Workspace& workspace,
                         std::string_view indent) noexcept {
  if (status.code < 200 || status.code > 299) {
    if (status.code == mi::kDeferred) status = CommandReply{500, "command failed"};
    return Handled{print_status_only(workspace, status.code, status.reason),
                   Outcome::command_failed};
  }
  auto printed = protocol::text::print_reply(
      protocol::text::Reply{status.code, status.reason, &workspace.tree}, indent, workspace.reply);
  if (printed) return Handled{{workspace.reply.data(), printed.value()}, Outcome::ok};
  const bool too_large = printed.error().code == core::Errc::reply_too_large;
  return Handled{print_error(workspace, printed.error()),
                 too_large ? Outcome::reply_too_large : Outcome::reply_invalid};
}

}  // namespace mid::request

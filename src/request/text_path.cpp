#include "protocol/text/error_reply.hpp"
#include "protocol/text/reply_printer.hpp"
#include "protocol/text/request_parser.hpp"
#include "request/protocol_paths.hpp"
#include "request/status.hpp"

namespace mid::request {
namespace {

std::string_view print_status_only(WorkspaceParts& parts, unsigned code,
                                   std::string_view reason) noexcept {
  auto printed =
      protocol::text::print_reply(protocol::text::Reply{code, reason, nullptr}, "", parts.reply);
  if (printed) return {parts.reply.data(), printed.value()};
  // Only an invalid code or reason gets here; the handler broke its contract.
  auto writer = core::BoundedWriter(parts.reply);
  writer.put_unsigned(static_cast<unsigned>(status::kInvalidStatus.code));
  writer.put(' ');
  writer.put(status::kInvalidStatus.reason);
  writer.put('\n');
  return writer.view();
}

Outcome outcome_of(core::Errc code) noexcept {
  return code == core::Errc::request_too_large ? Outcome::request_too_large : Outcome::bad_request;
}

Handled parse_failure(WorkspaceParts& parts, core::Error error) noexcept {
  const protocol::text::ErrorReply text(error);
  const unsigned code = text.reply().code;
  return Handled{.reply = print_status_only(parts, code, text.reason()),
                 .outcome = outcome_of(error.code),
                 .status = code};
}

Outcome outcome_of(CallKind kind) noexcept {
  return kind == CallKind::unknown ? Outcome::unknown_command : Outcome::command_failed;
}

}  // namespace

Handled handle_text(std::string_view datagram, const mi::Registry& registry, WorkspaceParts& parts,
                    std::string_view indent, mi::AsyncReply* async,
                    const AccessGate* gate) noexcept {
  auto request = protocol::text::parse_request(datagram, parts.text_request);
  if (!request) return parse_failure(parts, request.error());
  const auto arguments = request.value().arguments;
  bool named = false;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    parts.given[i] = mi::GivenParam{arguments[i].name, arguments.subspan(i, 1), false};
    parts.unnamed[i] = mi::GivenParam{{}, arguments.subspan(i, 1), false};
    named = named || !arguments[i].name.empty();
  }
  const CallInput input{
      request.value().command,
      std::span<const mi::GivenParam>(parts.given.data(), arguments.size()), arguments,
      std::span<const mi::GivenParam>(parts.unnamed.data(), named ? arguments.size() : 0)};
  const CallResult call = run_call(input, registry, parts, async, gate);
  Handled handled;
  if (call.kind == CallKind::deferred) {
    handled.outcome = Outcome::deferred;
  } else if (call.kind == CallKind::ran) {
    handled = print_text_reply(call.status, parts, indent);
  } else {
    handled = Handled{.reply = print_status_only(parts, call.status.code, call.status.reason),
                      .outcome = outcome_of(call.kind),
                      .status = call.status.code};
  }
  handled.command = call.command;
  handled.command_class = call.command_class;
  handled.forbidden = call.kind == CallKind::forbidden;
  return handled;
}

Handled print_text_reply(mi::CommandReply status, WorkspaceParts& parts,
                         std::string_view indent) noexcept {
  if (status.code < 200 || status.code > 299) {
    return Handled{.reply = print_status_only(parts, status.code, status.reason),
                   .outcome = Outcome::command_failed,
                   .status = status.code};
  }
  auto printed = protocol::text::print_reply(
      protocol::text::Reply{status.code, status.reason, &parts.tree}, indent, parts.reply);
  if (printed) {
    return Handled{.reply = {parts.reply.data(), printed.value()},
                   .outcome = Outcome::ok,
                   .status = status.code};
  }
  Handled failed = parse_failure(parts, printed.error());
  failed.outcome = printed.error().code == core::Errc::reply_too_large ? Outcome::reply_too_large
                                                                       : Outcome::reply_invalid;
  return failed;
}

}  // namespace mid::request

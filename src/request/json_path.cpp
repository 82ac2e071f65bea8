#include "request/protocol_paths.hpp"
#include "request/status.hpp"

namespace mid::request {
namespace {

namespace json = protocol::jsonrpc;

// The status an error answers in the audit and the statistics: a
// JSON-RPC protocol error is a bad request (400).
constexpr unsigned kBadRequestStatus = 400;

std::string_view message_of(json::RpcCode code) noexcept {
  switch (code) {
    case json::RpcCode::parse_error:
      return status::kParseError.reason;
    case json::RpcCode::invalid_request:
      return status::kInvalidRequest.reason;
    case json::RpcCode::method_not_found:
      return status::kMethodNotFound.reason;
    case json::RpcCode::invalid_params:
    case json::RpcCode::none:
      break;
  }
  return status::kInvalidParams.reason;
}

void put_rpc_error(WorkspaceParts& parts, core::BoundedWriter& out, const json::RpcError& error,
                   std::string_view id, std::size_t depth) noexcept {
  parts.json_printer.put_error(out, static_cast<long>(error.code), message_of(error.code),
                               error.data, id, parts.json_style, depth);
}

// A call's own status as a JSON-RPC response: a 2xx is the result; a 400
// (parameters the command refused) is -32602 with the reason as data; any
// other keeps its code and reason, as OpenSIPS answers a command's failure.
void put_status(WorkspaceParts& parts, core::BoundedWriter& out, mi::CommandReply status,
                std::string_view id, std::size_t depth) noexcept {
  if (status.code >= 200 && status.code <= 299) {
    parts.json_printer.put_result(out, parts.tree, status.reason, id, parts.json_style, depth);
  } else if (status.code == static_cast<unsigned>(status::kBadArguments.code)) {
    std::string_view data = status.reason;
    if (data.starts_with(status::kBadArguments.reason)) {
      data.remove_prefix(status::kBadArguments.reason.size());
    }
    parts.json_printer.put_error(out, status::kInvalidParams.code, status::kInvalidParams.reason,
                                 data, id, parts.json_style, depth);
  } else {
    parts.json_printer.put_error(out, static_cast<long>(status.code), status.reason, {}, id,
                                 parts.json_style, depth);
  }
}

// The call's parameters as GivenParams over values in the workspace: one
// value per scalar, one per element of an array.
CallInput input_of(const json::Call& call, const json::Document& document,
                   WorkspaceParts& parts) noexcept {
  std::size_t values = 0;
  std::size_t given = 0;
  for (const json::Param& param : call.params) {
    const std::size_t first = values;
    if (param.value.kind == json::ValueKind::array) {
      for (const json::Value& element :
           document.elements.subspan(param.value.first, param.value.count)) {
        parts.values[values++] = tree::Argument{param.name, element.text};
      }
    } else {
      parts.values[values++] = tree::Argument{param.name, param.value.text};
    }
    parts.given[given++] = mi::GivenParam{
        param.name, std::span<const tree::Argument>(&parts.values[first], values - first),
        param.value.kind == json::ValueKind::array};
  }
  return CallInput{call.method,
                   std::span<const mi::GivenParam>(parts.given.data(), given),
                   std::span<const tree::Argument>(parts.values.data(), values),
                   {}};
}

// Whether a call gets a response: an invalid call always (its id may be
// unknown), a valid one unless it is a notification.
bool gets_response(const json::Call& call) noexcept {
  if (call.error.code == json::RpcCode::none) return call.has_id;
  return call.has_id || call.error.code == json::RpcCode::invalid_request;
}

struct Answered {
  bool wrote = false;  // a response was written (not a notification)
  CallResult call;
};

void put_call_result(WorkspaceParts& parts, core::BoundedWriter& out, const CallResult& result,
                     std::string_view id, std::size_t depth) noexcept {
  switch (result.kind) {
    case CallKind::unknown:
      parts.json_printer.put_error(out, status::kMethodNotFound.code,
                                   status::kMethodNotFound.reason, result.status.reason, id,
                                   parts.json_style, depth);
      return;
    case CallKind::ran:
    case CallKind::bad_params:
    case CallKind::forbidden:
    case CallKind::deferred:
      put_status(parts, out, result.status, id, depth);
      return;
  }
}

// Answers one call into `out`: an invalid call always (id null when its id
// is unknown, as JSON-RPC 2.0 says), a valid one unless a notification.
Answered answer_call(const json::Call& call, const json::Document& document,
                     const mi::Registry& registry, WorkspaceParts& parts, mi::AsyncReply* async,
                     const AccessGate* gate, core::BoundedWriter& out, std::size_t depth) noexcept {
  Answered answered;
  if (call.error.code != json::RpcCode::none) {
    answered.call.kind = CallKind::bad_params;
    answered.call.status.code = kBadRequestStatus;
    if (gets_response(call)) {
      put_rpc_error(parts, out, call.error, call.has_id ? call.id : std::string_view{}, depth);
      answered.wrote = true;
    }
    return answered;
  }
  answered.call = run_call(input_of(call, document, parts), registry, parts,
                           call.has_id ? async : nullptr, gate);
  if (call.has_id && answered.call.kind != CallKind::deferred) {
    put_call_result(parts, out, answered.call, call.id, depth);
    answered.wrote = true;
  }
  return answered;
}

Outcome outcome_of(const CallResult& result) noexcept {
  switch (result.kind) {
    case CallKind::ran:
      return result.status.code >= 200 && result.status.code <= 299 ? Outcome::ok
                                                                    : Outcome::command_failed;
    case CallKind::deferred:
      return Outcome::deferred;
    case CallKind::unknown:
      return Outcome::unknown_command;
    case CallKind::bad_params:
      return result.command == nullptr ? Outcome::bad_request : Outcome::command_failed;
    case CallKind::forbidden:
      return Outcome::command_failed;
  }
  return Outcome::command_failed;
}

Handled reply_too_large(WorkspaceParts& parts, StatusText too_large, std::string_view id) {
  core::BoundedWriter out(parts.reply);
  parts.json_printer.put_error(out, too_large.code, too_large.reason, {}, id, parts.json_style);
  return Handled{.reply = out.view(),
                 .outcome = Outcome::reply_too_large,
                 .status = static_cast<unsigned>(too_large.code)};
}

Handled single_call(const json::Call& call, const json::Document& document,
                    const mi::Registry& registry, WorkspaceParts& parts, mi::AsyncReply* async,
                    const AccessGate* gate) noexcept {
  // A deferred reply keeps a copy of the id; a longer one runs at once.
  mi::AsyncReply* const async_here = call.id.size() <= Deferred::kMaxId ? async : nullptr;
  core::BoundedWriter out(parts.reply);
  const Answered answered = answer_call(call, document, registry, parts, async_here, gate, out, 0);
  Handled handled{.outcome = outcome_of(answered.call),
                  .command = answered.call.command,
                  .command_class = answered.call.command_class,
                  .forbidden = answered.call.kind == CallKind::forbidden,
                  .status = answered.call.status.code};
  if (handled.outcome == Outcome::deferred) {
    handled.json = true;
    handled.id = call.id;
    return handled;
  }
  if (out.failed()) {
    Handled failed = reply_too_large(parts, status::kReplyTooLarge, call.id);
    failed.command = handled.command;
    failed.command_class = handled.command_class;
    return failed;
  }
  if (!answered.wrote) handled.outcome = Outcome::no_reply;
  handled.reply = out.view();
  return handled;
}

// Every call of the batch, answered in one array; a batch of notifications
// sends nothing. Commands in a batch answer at once (no async).
Handled batch(const json::Document& document, const mi::Registry& registry, WorkspaceParts& parts,
              const AccessGate* gate) noexcept {
  core::BoundedWriter out(parts.reply);
  json::begin_batch(out, parts.json_style);
  bool any = false;
  for (const json::Call& call : document.calls) {
    if (any && gets_response(call)) json::separate_responses(out, parts.json_style);
    any = answer_call(call, document, registry, parts, nullptr, gate, out, 1).wrote || any;
  }
  json::end_batch(out, parts.json_style);
  if (out.failed()) return reply_too_large(parts, status::kBatchTooLarge, {});
  if (!any) return Handled{.outcome = Outcome::no_reply};
  return Handled{.reply = out.view(), .outcome = Outcome::ok};
}

}  // namespace

Handled handle_json(std::string_view datagram, const mi::Registry& registry, WorkspaceParts& parts,
                    mi::AsyncReply* async, const AccessGate* gate) noexcept {
  const json::ParseOutcome parsed = parts.json_parser.parse(datagram);
  if (parsed.error.code != json::RpcCode::none) {
    core::BoundedWriter out(parts.reply);
    put_rpc_error(parts, out, parsed.error, {}, 0);
    const bool too_large = datagram.size() > core::kMaxDatagram;
    return Handled{.reply = out.view(),
                   .outcome = too_large ? Outcome::request_too_large : Outcome::bad_request,
                   .status = kBadRequestStatus};
  }
  if (parsed.document.batch) return batch(parsed.document, registry, parts, gate);
  return single_call(parsed.document.calls.front(), parsed.document, registry, parts, async, gate);
}

Handled print_json_reply(mi::CommandReply status, std::string_view id,
                         WorkspaceParts& parts) noexcept {
  core::BoundedWriter out(parts.reply);
  put_status(parts, out, status, id, 0);
  if (out.failed()) return reply_too_large(parts, status::kReplyTooLarge, id);
  const bool ok = status.code >= 200 && status.code <= 299;
  return Handled{.reply = out.view(),
                 .outcome = ok ? Outcome::ok : Outcome::command_failed,
                 .status = status.code};
}

}  // namespace mid::request

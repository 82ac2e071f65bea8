#include "request/call_runner.hpp"

#include "request/status.hpp"

namespace mid::request {
namespace {

mi::CommandReply with_name(WorkspaceParts& parts, StatusText status,
                           std::string_view name) noexcept {
  auto reason = parts.reason.start();
  reason.put(status.reason);
  reason.put(name);
  return mi::CommandReply{static_cast<unsigned>(status.code), reason.view()};
}

mi::CommandReply run_handler(const mi::Command& command, mi::Call& call) noexcept {
  try {
    return command.handler(call);
  } catch (...) {
    return mi::CommandReply{static_cast<unsigned>(status::kCommandFailed.code),
                            status::kCommandFailed.reason};
  }
}

// The handler's arguments: as sent, or matched to a declared form (a
// mismatch leaves its description in the workspace's reason).
bool arguments_for(const mi::Command& command, const CallInput& input, WorkspaceParts& parts,
                   std::span<const tree::Argument>& arguments,
                   mi::CommandReply& mismatch) noexcept {
  if (command.forms.empty()) {
    arguments = input.as_sent;
    return true;
  }
  mi::ParamsMatch match = mi::match_params(command.forms, input.given, parts.arguments);
  if (match.mismatch != mi::ParamsMismatch::none && !input.unnamed.empty()) {
    const mi::ParamsMatch by_position =
        mi::match_params(command.forms, input.unnamed, parts.arguments);
    if (by_position.mismatch == mi::ParamsMismatch::none) match = by_position;
  }
  if (match.mismatch != mi::ParamsMismatch::none) {
    auto reason = parts.reason.start();
    reason.put(status::kBadArguments.reason);
    mi::describe_mismatch(reason, command.forms, match);
    mismatch = mi::CommandReply{static_cast<unsigned>(status::kBadArguments.code), reason.view()};
    return false;
  }
  arguments = std::span<const tree::Argument>(parts.arguments.data(), match.count);
  return true;
}

CallResult run_found(const mi::Command& command, const CallInput& input, WorkspaceParts& parts,
                     mi::AsyncReply* async, const AccessGate* gate) noexcept {
  CallResult result{CallKind::ran, &command, mi::class_of_call(command, input.as_sent.size()), {}};
  if (gate != nullptr && !gate->allows(command.name, result.command_class)) {
    result.kind = CallKind::forbidden;
    result.status = with_name(parts, status::kCommandForbidden, command.name);
    return result;
  }
  std::span<const tree::Argument> arguments;
  if (!arguments_for(command, input, parts, arguments, result.status)) {
    result.kind = CallKind::bad_params;
    return result;
  }
  parts.tree.clear();
  mi::AsyncReply* const async_for_command = (command.flags & mi::kAsync) != 0 ? async : nullptr;
  mi::Call call{arguments, parts.tree, parts.reason, async_for_command};
  result.status = run_handler(command, call);
  if (result.status.code == mi::kDeferred) {
    if (async_for_command != nullptr) {
      result.kind = CallKind::deferred;
    } else {
      result.status = mi::CommandReply{static_cast<unsigned>(status::kCommandFailed.code),
                                       status::kCommandFailed.reason};
    }
  }
  return result;
}

}  // namespace

CallResult run_call(const CallInput& input, const mi::Registry& registry, WorkspaceParts& parts,
                    mi::AsyncReply* async, const AccessGate* gate) noexcept {
  const mi::Command* command = registry.find(input.method);
  if (command == nullptr) {
    return CallResult{CallKind::unknown, nullptr, mi::CommandClass::write,
                      with_name(parts, status::kUnknownCommand, input.method)};
  }
  CallResult result = run_found(*command, input, parts, async, gate);
  if (gate != nullptr && result.kind != CallKind::deferred) {
    gate->record(CallRecord{command, result.command_class, result.status.code,
                            result.kind == CallKind::forbidden});
  }
  return result;
}

mi::CommandReply run_completion(mi::AsyncReply::Completion& completion,
                                WorkspaceParts& parts) noexcept {
  parts.tree.clear();
  try {
    return completion(parts.tree, parts.reason);
  } catch (...) {
    parts.tree.clear();
    return mi::CommandReply{static_cast<unsigned>(status::kCommandFailed.code),
                            status::kCommandFailed.reason};
  }
}

}  // namespace mid::request

#pragma once

#include <span>
#include <string_view>

#include "request/request_path.hpp"
#include "request/workspace_parts.hpp"

// One call, whichever protocol asked: find the command, ask the gate,
// match the parameters to the command's forms, run the handler. The
// protocols print what it returns.
namespace mid::request {

struct CallInput {
  std::string_view method;
  std::span<const mi::GivenParam> given;    // matched against the command's forms
  std::span<const tree::Argument> as_sent;  // for a command that declares none
  // 1.x commands ignored argument names: when the names match no form, a
  // text call is matched again by position (`unnamed`: `given` without
  // names). Empty for JSON, whose names always count.
  std::span<const mi::GivenParam> unnamed;
};

enum class CallKind : std::uint8_t { ran, deferred, unknown, bad_params, forbidden };

struct CallResult {
  CallKind kind = CallKind::ran;
  const mi::Command* command = nullptr;
  mi::CommandClass command_class = mi::CommandClass::write;
  // The status (reason in the workspace's ReasonText or static); for
  // bad_params a 400 "bad arguments: " and what the parameters lack.
  mi::CommandReply status;
};

// `async` reaches only commands flagged kAsync. The gate, when given, is
// asked before the parameters are checked and hears of the call once its
// status is known (not when deferred).
[[nodiscard]] CallResult run_call(const CallInput& input, const mi::Registry& registry,
                                  WorkspaceParts& parts, mi::AsyncReply* async,
                                  const AccessGate* gate) noexcept;

// Runs a deferred completion into the (cleared) tree; a 500 if it throws.
[[nodiscard]] mi::CommandReply run_completion(mi::AsyncReply::Completion& completion,
                                              WorkspaceParts& parts) noexcept;

}  // namespace mid::request

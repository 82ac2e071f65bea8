#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "sandbox/syscall_rule.hpp"

// The text form of a seccomp policy (policy/*.policy), parsed one line at
// a time. Pure: used by the build-time generator (mid_policy_gen) and by
// the unit tests, never at run time (the daemon carries the compiled
// table, not the text).
//
// Grammar, one rule per line (blank lines and `#` comment lines allowed):
//
//   line       = NAME [ "errno" ERRNO ] { condition } "#" REASON
//   condition  = "argN" "==" VALUE | "argN" "!=" VALUE
//              | "argN" "&" VALUE "==" VALUE                (N in 0..5)
//   VALUE      = ATOM { "|" ATOM }      (no blanks inside a value)
//   ATOM       = decimal | 0xHEX | C macro name [A-Z][A-Z0-9_]*
//   NAME       = [a-z0-9_]+             (a system call name)
//   ERRNO      = [A-Z][A-Z0-9]*         (an errno macro, e.g. EACCES)
//
// Tokens are separated by blanks. The reason is required and non-empty:
// every allowed call must say why. Conditions on one line are ANDed;
// several lines for one NAME are alternatives. Macro names are emitted as
// C++ expressions, so the compiler rejects one that does not exist.
namespace mid::sandbox {

struct TextCondition {
  unsigned arg = 0;
  ArgOp op = ArgOp::equal;
  std::string_view mask;   // masked_equal only
  std::string_view value;  // an ATOM {"|" ATOM} expression
};

struct TextRule {
  std::string_view name;
  std::string_view errno_name;  // empty: allow
  std::array<TextCondition, kMaxConditions> conditions{};
  std::size_t condition_count = 0;
  std::string_view reason;
};

enum class LineKind { blank, rule, error };

struct ParsedLine {
  LineKind kind = LineKind::blank;
  TextRule rule;           // kind == rule
  std::string_view error;  // kind == error: a static message
  std::size_t offset = 0;  // kind == error: byte offset in the line
};

// Parses one line (without its '\n'). Views in the result point into `line`.
[[nodiscard]] ParsedLine parse_policy_line(std::string_view line) noexcept;

// A VALUE as defined above.
[[nodiscard]] bool is_valid_value(std::string_view value) noexcept;

struct RuleSetError {
  std::size_t index = 0;   // the rule that conflicts with an earlier one
  std::string_view error;  // empty: no error
};

// Checks a whole policy: a NAME must not appear with two different actions
// (allow vs errno, or two errno values), and an unconditional rule must be
// the only rule for its NAME (libseccomp refuses such overlaps at load).
[[nodiscard]] RuleSetError check_rule_set(std::span<const TextRule> rules) noexcept;

}  // namespace mid::sandbox

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

// One line of a seccomp policy as compiled into the binary. The tables are
// generated at build time from policy/master.policy and policy/worker.policy
// by mid_policy_gen (see policy_parser.hpp for the text format).
namespace mid::sandbox {

enum class ArgOp : std::uint8_t {
  equal,         // arg == value
  not_equal,     // arg != value
  masked_equal,  // (arg & mask) == value
};

struct ArgCondition {
  unsigned arg = 0;  // 0..5
  ArgOp op = ArgOp::equal;
  std::uint64_t mask = 0;  // masked_equal only
  std::uint64_t value = 0;
};

// At most this many conditions on one rule (all must hold).
inline constexpr std::size_t kMaxConditions = 3;

struct SyscallRule {
  std::string_view name;  // as libseccomp names it (seccomp_syscall_resolve_name)
  int error = 0;          // 0: allow; otherwise fail the call with this errno
  std::size_t condition_count = 0;
  std::array<ArgCondition, kMaxConditions> conditions{};
  std::string_view reason;  // from the policy file: why the call is needed
  unsigned line = 0;        // line in the policy file, for error messages
};

// The compiled policies (generated sources). Each rule's name resolves on
// the build architecture; the unit tests check that again at run time.
[[nodiscard]] std::span<const SyscallRule> master_policy() noexcept;
[[nodiscard]] std::span<const SyscallRule> worker_policy() noexcept;

}  // namespace mid::sandbox

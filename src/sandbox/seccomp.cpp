#include "sandbox/seccomp.hpp"

#include <seccomp.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <memory>
#include <string_view>

#include "sandbox/die.hpp"

namespace mid::sandbox {
namespace {

// Appends text and numbers to a fixed buffer; async-signal-safe.
class LineBuilder {
 public:
  explicit LineBuilder(std::span<char> out) noexcept : out_(out) {}
  void put(std::string_view text) noexcept {
    for (const char c : text) {
      if (used_ < out_.size()) out_[used_++] = c;
    }
  }
  void put_number(std::uint64_t value, unsigned base) noexcept {
    std::array<char, 24> digits{};
    std::size_t n = 0;
    do {
      digits[n++] = "0123456789abcdef"[value % base];
      value /= base;
    } while (value != 0 && n < digits.size());
    while (n > 0) put(std::string_view(&digits[--n], 1));
  }
  std::size_t finish() noexcept {
    if (out_.empty()) return 0;
    if (used_ == out_.size()) --used_;
    out_[used_++] = '\n';
    return used_;
  }

 private:
  std::span<char> out_;
  std::size_t used_ = 0;
};

void on_sigsys(int, siginfo_t* info, void*) {
  std::array<char, 256> line{};
  const std::size_t n = format_trap_message(line, getpid(), info->si_syscall, info->si_arch);
  [[maybe_unused]] const auto written = write(STDERR_FILENO, line.data(), n);
  // SA_RESETHAND made SIGSYS's action the default again, and SA_NODEFER
  // leaves it unblocked: raising it ends the process with SIGSYS like kill
  // mode does. Where kill() is not allowed (a worker), the call traps again
  // and the default action ends the process just the same.
  kill(getpid(), SIGSYS);
  _exit(128 + SIGSYS);
}

void install_trap_handler_or_die() noexcept {
  struct sigaction action {};
  action.sa_sigaction = on_sigsys;
  action.sa_flags = static_cast<int>(SA_SIGINFO | SA_RESETHAND | SA_NODEFER);
  sigemptyset(&action.sa_mask);
  if (sigaction(SIGSYS, &action, nullptr) != 0) die_errno("sigaction(SIGSYS)");
}

scmp_compare to_scmp(ArgOp op) noexcept {
  switch (op) {
    case ArgOp::equal:
      return SCMP_CMP_EQ;
    case ArgOp::not_equal:
      return SCMP_CMP_NE;
    case ArgOp::masked_equal:
      return SCMP_CMP_MASKED_EQ;
  }
  return SCMP_CMP_EQ;
}

scmp_arg_cmp to_scmp(const ArgCondition& c) noexcept {
  if (c.op == ArgOp::masked_equal) return {c.arg, SCMP_CMP_MASKED_EQ, c.mask, c.value};
  return {c.arg, to_scmp(c.op), c.value, 0};
}

void add_rule_or_die(scmp_filter_ctx ctx, const SyscallRule& rule) noexcept {
  std::array<char, 64> name{};
  if (rule.name.size() >= name.size()) die("policy line %u: name too long", rule.line);
  std::memcpy(name.data(), rule.name.data(), rule.name.size());
  const int nr = seccomp_syscall_resolve_name(name.data());
  if (nr == __NR_SCMP_ERROR) die("policy line %u: unknown system call %s", rule.line, name.data());
  std::array<scmp_arg_cmp, kMaxConditions> args{};
  for (std::size_t i = 0; i < rule.condition_count && i < args.size(); ++i) {
    args[i] = to_scmp(rule.conditions[i]);
  }
  const std::uint32_t action =
      rule.error != 0 ? SCMP_ACT_ERRNO(static_cast<std::uint32_t>(rule.error)) : SCMP_ACT_ALLOW;
  const int rc = seccomp_rule_add_array(ctx, action, nr,
                                        static_cast<unsigned>(rule.condition_count), args.data());
  if (rc != 0) {
    die("seccomp_rule_add(%s), policy line %u: %s", name.data(), rule.line, std::strerror(-rc));
  }
}

struct ContextDeleter {
  void operator()(void* ctx) const noexcept { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextDeleter>;

Context new_context_or_die(Mode mode) noexcept {
  Context ctx(seccomp_init(mode == Mode::trap ? SCMP_ACT_TRAP : SCMP_ACT_KILL_PROCESS));
  if (!ctx) die("seccomp_init failed");
  int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 1);
  if (rc != 0) die("seccomp_attr_set(SCMP_FLTATR_CTL_NNP): %s", std::strerror(-rc));
  // seccomp_init lists only the native ABI; a call through another one
  // (int 0x80, x32) is refused wholesale.
  rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
  if (rc != 0) die("seccomp_attr_set(SCMP_FLTATR_ACT_BADARCH): %s", std::strerror(-rc));
  return ctx;
}

}  // namespace

std::span<const SyscallRule> policy_of(Role role) noexcept {
  return role == Role::master ? master_policy() : worker_policy();
}

std::size_t format_trap_message(std::span<char> out, long pid, int syscall_number,
                                unsigned arch) noexcept {
  LineBuilder line(out);
  line.put("mi-datagram sandbox[");
  line.put_number(static_cast<std::uint64_t>(pid), 10);
  line.put("]: seccomp trap: system call ");
  if (syscall_number < 0) line.put("-");
  const auto magnitude = static_cast<std::uint64_t>(
      syscall_number < 0 ? -static_cast<std::int64_t>(syscall_number) : syscall_number);
  line.put_number(magnitude, 10);
  line.put(" (arch 0x");
  line.put_number(arch, 16);
  line.put(") is not allowed by the policy (name it: scmp_sys_resolver ");
  if (syscall_number < 0) line.put("-");
  line.put_number(magnitude, 10);
  line.put(")");
  return line.finish();
}

void apply_seccomp_or_die(Role role, Mode mode) noexcept {
  if (mode == Mode::off) return;
  // localtime() (log time stamps, syslog) reads /etc/localtime on first
  // use; do it now, while opening files is still allowed.
  tzset();
  if (mode == Mode::trap) install_trap_handler_or_die();
  const Context ctx = new_context_or_die(mode);
  for (const SyscallRule& rule : policy_of(role)) add_rule_or_die(ctx.get(), rule);
  const int rc = seccomp_load(ctx.get());
  if (rc != 0) {
    die("seccomp_load(%s filter): %s", role == Role::master ? "master" : "worker",
        std::strerror(-rc));
  }
}

}  // namespace mid::sandbox

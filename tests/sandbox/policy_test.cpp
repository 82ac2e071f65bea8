// The policy as data: the text format, and the compiled tables.
#include <linux/sockios.h>
#include <seccomp.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sandbox/policy_parser.hpp"
#include "sandbox/seccomp.hpp"
#include "sandbox/syscall_rule.hpp"

namespace mid::sandbox {
namespace {

bool has_name(std::span<const SyscallRule> rules, std::string_view name) {
  return std::any_of(rules.begin(), rules.end(), [&](const auto& r) { return r.name == name; });
}

bool allows(std::span<const SyscallRule> rules, std::string_view name) {
  return std::any_of(rules.begin(), rules.end(),
                     [&](const auto& r) { return r.name == name && r.error == 0; });
}

TEST(PolicyTables, EveryNameResolvesWithLibseccompOnThisArchitecture) {
  for (const Role role : {Role::master, Role::worker}) {
    for (const SyscallRule& rule : policy_of(role)) {
      const std::string name(rule.name);
      EXPECT_NE(seccomp_syscall_resolve_name(name.c_str()), __NR_SCMP_ERROR)
          << name << " (line " << rule.line << ")";
    }
  }
}

TEST(PolicyTables, EveryRuleSaysWhy) {
  for (const Role role : {Role::master, Role::worker}) {
    EXPECT_FALSE(policy_of(role).empty());
    for (const SyscallRule& rule : policy_of(role)) {
      EXPECT_GE(rule.reason.size(), 10u) << rule.name << " (line " << rule.line << ")";
    }
  }
}

// The worker filter is stacked on the master's: a name missing from the
// master would be killed by the master's filter whatever the worker says.
TEST(PolicyTables, WorkerOnlyNarrowsTheMaster) {
  for (const SyscallRule& rule : worker_policy()) {
    EXPECT_TRUE(has_name(master_policy(), rule.name)) << rule.name;
  }
}

TEST(PolicyTables, WorkerCannotCreateProcessesOpenFilesOrMakeSockets) {
  for (const char* name : {"fork",          "vfork",
                           "clone",         "clone3",
                           "execve",        "execveat",
                           "open",          "openat",
                           "openat2",       "creat",
                           "socket",        "socketpair",
                           "bind",          "listen",
                           "accept",        "accept4",
                           "kill",          "tgkill",
                           "ptrace",        "prctl",
                           "seccomp",       "unshare",
                           "setns",         "mount",
                           "chmod",         "chown",
                           "unlink",        "unlinkat",
                           "setuid",        "setgid",
                           "epoll_create1", "timerfd_create",
                           "setsockopt",    "process_vm_writev",
                           "memfd_create",  "dup2",
                           "dup3",          "sendmsg",
                           "sendmmsg"}) {
    EXPECT_FALSE(allows(worker_policy(), name)) << name;
  }
#ifndef MID_SANITIZER_POLICY  // UBSan's vptr check needs pipe2 (policy/sanitizers.policy)
  EXPECT_FALSE(allows(worker_policy(), "pipe2"));
#endif
}

TEST(PolicyTables, MasterCannotExecOpenTraceOrBind) {
  for (const char* name : {"execve",      "execveat",
                           "open",        "openat",
                           "openat2",     "creat",
                           "ptrace",      "bind",
                           "listen",      "accept",
                           "accept4",     "unshare",
                           "setns",       "mount",
                           "setuid",      "setgid",
                           "setresuid",   "capset",
                           "chmod",       "chown",
                           "fchown",      "process_vm_writev",
                           "memfd_create"}) {
    EXPECT_FALSE(allows(master_policy(), name)) << name;
  }
}

// ioctl only to read how much of the send buffer unread replies hold: no
// terminal, no device, no other socket request.
TEST(PolicyTables, IoctlIsOnlySiocoutq) {
  for (const Role role : {Role::master, Role::worker}) {
    for (const SyscallRule& rule : policy_of(role)) {
      if (rule.name != "ioctl") continue;
      ASSERT_EQ(rule.condition_count, 1U) << "line " << rule.line;
      EXPECT_EQ(rule.conditions[0].arg, 1U);
      EXPECT_EQ(rule.conditions[0].op, ArgOp::equal);
      EXPECT_EQ(rule.conditions[0].value, static_cast<std::uint64_t>(SIOCOUTQ));
    }
  }
}

// The names of the rules of a policy file, in order.
std::vector<std::string> rule_names(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    const ParsedLine parsed = parse_policy_line(line);
    EXPECT_NE(parsed.kind, LineKind::error) << path << ": " << line;
    if (parsed.kind == LineKind::rule) names.emplace_back(parsed.rule.name);
  }
  return names;
}

// The compiled tables are the text files, rule for rule (sanitizer builds
// append policy/sanitizers.policy to every role).
TEST(PolicyTables, MatchThePolicyFiles) {
  const std::string dir = MID_POLICY_DIR;
  for (const Role role : {Role::master, Role::worker}) {
    std::vector<std::string> names =
        rule_names(dir + (role == Role::master ? "/master.policy" : "/worker.policy"));
#ifdef MID_SANITIZER_POLICY
    for (std::string& name : rule_names(dir + "/sanitizers.policy")) names.push_back(name);
#endif
    const auto table = policy_of(role);
    ASSERT_EQ(names.size(), table.size());
    for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], table[i].name);
  }
}

TEST(PolicyParser, ReadsPlainErrnoAndConditionalRules) {
  ParsedLine p = parse_policy_line("read   # timer expirations");
  ASSERT_EQ(p.kind, LineKind::rule);
  EXPECT_EQ(p.rule.name, "read");
  EXPECT_EQ(p.rule.reason, "timer expirations");
  EXPECT_EQ(p.rule.condition_count, 0u);

  p = parse_policy_line("clone3 errno ENOSYS # fall back to clone");
  ASSERT_EQ(p.kind, LineKind::rule);
  EXPECT_EQ(p.rule.errno_name, "ENOSYS");

  p = parse_policy_line("socket arg0 == AF_UNIX arg1 == SOCK_DGRAM|0x80000 arg2 != 3 # why");
  ASSERT_EQ(p.kind, LineKind::rule) << p.error;
  ASSERT_EQ(p.rule.condition_count, 3u);
  EXPECT_EQ(p.rule.conditions[1].value, "SOCK_DGRAM|0x80000");
  EXPECT_EQ(p.rule.conditions[2].op, ArgOp::not_equal);

  p = parse_policy_line("\tmmap arg2 & PROT_EXEC == 0\t# no exec");
  ASSERT_EQ(p.kind, LineKind::rule) << p.error;
  EXPECT_EQ(p.rule.conditions[0].arg, 2u);
  EXPECT_EQ(p.rule.conditions[0].op, ArgOp::masked_equal);
  EXPECT_EQ(p.rule.conditions[0].mask, "PROT_EXEC");
  EXPECT_EQ(p.rule.conditions[0].value, "0");
}

TEST(PolicyParser, SkipsBlankAndCommentLines) {
  for (const char* line : {"", "   ", "# comment", "  \t# indented comment", "\r"}) {
    EXPECT_EQ(parse_policy_line(line).kind, LineKind::blank) << line;
  }
}

TEST(PolicyParser, RejectsMalformedLines) {
  for (const char* line : {
           "read",                          // no reason
           "read #",                        // empty reason
           "read #   ",                     // blank reason
           "Read # upper case name",        // bad name
           "re-ad # bad name",              // bad name
           "read write # two names",        // second token is no condition
           "clone3 errno # missing errno",  // errno without a name
           "clone3 errno enosys # lower",   // errno must be a macro name
           "mmap arg6 == 0 # arg out of range",
           "mmap arg2 = 0 # bad operator",
           "mmap arg2 == # missing value",
           "mmap arg2 & == 0 # missing mask",
           "mmap arg2 & PROT_EXEC 0 # missing ==",
           "mmap arg2 == prot_exec # lower-case macro",
           "mmap arg2 == PROT_EXEC| # dangling bar",
           "mmap arg2 == 12ab # bad number",
           "mmap arg2 == 0xZZ # bad hex",
           "mmap arg0 == 0 arg1 == 0 arg2 == 0 arg3 == 0 # too many",
       }) {
    const ParsedLine parsed = parse_policy_line(line);
    EXPECT_EQ(parsed.kind, LineKind::error) << line;
    EXPECT_FALSE(parsed.error.empty()) << line;
  }
}

TEST(PolicyParser, RejectsConflictingRuleSets) {
  const auto rule = [](const char* line) { return parse_policy_line(line).rule; };
  const std::vector<TextRule> two_actions = {rule("socket # a"), rule("socket errno EACCES # b")};
  EXPECT_EQ(check_rule_set(two_actions).index, 1u);
  EXPECT_FALSE(check_rule_set(two_actions).error.empty());
  const std::vector<TextRule> overlap = {rule("prctl arg0 == 1 # a"), rule("prctl # b")};
  EXPECT_FALSE(check_rule_set(overlap).error.empty());
  const std::vector<TextRule> alternatives = {rule("prctl arg0 == 1 # a"),
                                              rule("prctl arg0 == 15 # b"), rule("read # c")};
  EXPECT_TRUE(check_rule_set(alternatives).error.empty());
}

}  // namespace
}  // namespace mid::sandbox

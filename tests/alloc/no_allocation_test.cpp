// The request path never allocates after start: every kind of request
// (each built-in command, every error, a 64 KiB request, a reply too
// large to send) runs through request::handle_datagram 1000 times after one
// warm-up call, and the global allocator's counters must not move. The
// same for JSON-RPC 2.0 (json_kinds.hpp): each built-in, batches,
// notifications, every error, a 64 KiB request, compact and pretty. The
// counters include malloc/calloc/realloc (counting_allocator.cpp replaces
// them for the whole program), which is what RapidJSON's allocator calls.

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "common/builtin_requests.hpp"
#include "common/inputs.hpp"
#include "core/limits.hpp"
#include "counting_allocator.hpp"
#include "json_kinds.hpp"

namespace mid::alloc_test {
namespace {

using request::Outcome;

struct Kind {
  const char* name;
  std::string request;
  Outcome outcome;
};

// Test-only commands for the two outcomes no built-in reaches: a tree
// that prints over the datagram limit, and a tree the printer refuses.
void register_test_commands(mi::Registry& registry) {
  ASSERT_TRUE(registry.add(
      mi::Command{"too_large", "prints about 88 KB", mi::kNoArguments, [](mi::Call& call) {
                    for (int i = 0; i < 8000; ++i) {
                      if (!call.tree.add_kid(tree::kRoot, "n", "123456"))
                        return mi::CommandReply{500, "full"};
                    }
                    return mi::CommandReply{};
                  }}));
  ASSERT_TRUE(
      registry.add(mi::Command{"invalid_tree", "a nameless, valueless node with an attribute",
                               mi::kNoArguments, [](mi::Call& call) {
                                 auto node = call.tree.add_kid(tree::kRoot, "", "");
                                 if (!node || !call.tree.add_attribute(node.value(), "a", "b")) {
                                   return mi::CommandReply{500, "cannot build"};
                                 }
                                 return mi::CommandReply{};
                               }}));
}

std::string too_many_arguments() {
  std::string request = ":get_statistics:\n";
  for (std::size_t i = 0; i <= core::kMaxArguments; ++i) request += "a\n";
  return request;
}

std::vector<Kind> kinds() {
  return {
      {"version", ":version:\n", Outcome::ok},
      {"uptime", ":uptime:\n", Outcome::ok},
      {"which", ":which:\n", Outcome::ok},
      {"help", ":help:\nget_statistics\n", Outcome::ok},
      {"pwd", ":pwd:\n", Outcome::ok},
      {"arg", ":arg:\n", Outcome::ok},
      {"ps", ":ps:\n", Outcome::ok},
      {"log_level_show", ":log_level:\n", Outcome::ok},
      {"log_level_set", ":log_level:\ninfo\n", Outcome::ok},
      {"debug_alias", ":debug:\n2\n", Outcome::ok},
      {"get_statistics_all", ":get_statistics:\nall\n", Outcome::ok},
      {"get_statistics_group", ":get_statistics:\ncore:\n", Outcome::ok},
      {"get_statistics_one", ":get_statistics:\ndatagram:requests\nprocesses\n", Outcome::ok},
      {"reset_statistics", ":reset_statistics:\ndatagram:\n", Outcome::ok},
      {"list_statistics", ":list_statistics:\n", Outcome::ok},
      {"named_and_quoted_args", ":get_statistics:\nx::\"a \\\"b\\\" \\\\\"\nall\r\n\n",
       Outcome::ok},
      {"kill_disabled", ":kill:\n", Outcome::command_failed},
      {"help_unknown", ":help:\nnope\n", Outcome::command_failed},
      {"help_no_argument", ":help:\n", Outcome::ok},
      {"statistics_not_found", ":get_statistics:\nnope:\n", Outcome::command_failed},
      {"log_level_bad", ":log_level:\nloud\n", Outcome::command_failed},
      {"arguments_to_no_argument_command", ":version:\nx\n", Outcome::command_failed},
      {"unknown_command", ":no_such_command:\n", Outcome::unknown_command},
      {"empty_request", "", Outcome::bad_request},
      {"missing_leading_colon", "version:\n", Outcome::bad_request},
      {"empty_command", "::\n", Outcome::bad_request},
      {"command_too_long", ":" + std::string(65, 'a') + ":\n", Outcome::bad_request},
      {"bad_command_char", ":ver sion:\n", Outcome::bad_request},
      {"unterminated_command", ":version\n", Outcome::bad_request},
      {"nul_byte", std::string(":version:\nx\0y\n", 14), Outcome::bad_request},
      {"bare_cr", ":version:\nx\ry\n", Outcome::bad_request},
      {"empty_arg_name", ":version:\n::x\n", Outcome::bad_request},
      {"quote_in_unquoted", ":version:\nx\"y\n", Outcome::bad_request},
      {"unterminated_quote", ":version:\n\"xy\n", Outcome::bad_request},
      {"bad_escape", ":version:\n\"x\\ny\"\n", Outcome::bad_request},
      {"data_after_quote", ":version:\n\"x\"y\n", Outcome::bad_request},
      {"data_after_blank_line", ":version:\n\nx\n", Outcome::bad_request},
      {"too_many_arguments", too_many_arguments(), Outcome::bad_request},
      {"request_too_large", std::string(core::kMaxDatagram + 1, 'x'), Outcome::request_too_large},
      {"request_64k", bench::large_request(), Outcome::command_failed},
      {"reply_too_large", ":too_large:\n", Outcome::reply_too_large},
      {"reply_invalid", ":invalid_tree:\n", Outcome::reply_invalid},
  };
}

class NoAllocation : public testing::TestWithParam<Kind> {
 protected:
  void SetUp() override {
    fixture_ = std::make_unique<support::BuiltinWorld>();
    ASSERT_TRUE(bench::start_as_daemon(*fixture_));
    register_test_commands(fixture_->registry);
  }
  std::unique_ptr<support::BuiltinWorld> fixture_;
};

class JsonNoAllocation : public testing::TestWithParam<JsonKind> {
 protected:
  void SetUp() override {
    fixture_ = std::make_unique<support::BuiltinWorld>();
    ASSERT_TRUE(bench::start_as_daemon(*fixture_));
    register_test_commands(fixture_->registry);
    if (GetParam().pretty) fixture_->workspace = std::make_unique<request::Workspace>(true);
  }
  std::unique_ptr<support::BuiltinWorld> fixture_;
};

TEST(CountingAllocator, CountsWhatItShould) {
  const AllocationCount before = allocation_count();
  auto made = std::make_unique<std::array<char, 100>>();
  const AllocationCount after = allocation_count();
  EXPECT_EQ(after.news, before.news + 1);
  if (counts_malloc()) {
    EXPECT_GE(after.mallocs, before.mallocs + 1);
  }
  EXPECT_NE(made, nullptr);
}

TEST_P(NoAllocation, AfterWarmUp) {
  const Kind& kind = GetParam();
  const request::Handled first = fixture_->handle(kind.request);
  ASSERT_EQ(first.outcome, kind.outcome) << first.reply;
  ASSERT_FALSE(first.reply.empty());

  const AllocationCount before = allocation_count();
  std::size_t wrong_outcomes = 0;
  for (int i = 0; i < 1000; ++i) {
    const request::Handled handled = fixture_->handle(kind.request);
    wrong_outcomes += handled.outcome == kind.outcome ? 0 : 1;
  }
  const AllocationCount after = allocation_count();
  EXPECT_EQ(wrong_outcomes, 0U);
  EXPECT_EQ(after.news - before.news, 0U) << "operator new calls in 1000 requests";
  EXPECT_EQ(after.mallocs - before.mallocs, 0U) << "malloc calls in 1000 requests";
}

// Notifications send nothing (no_reply); everything else has a reply.
TEST_P(JsonNoAllocation, AfterWarmUp) {
  const JsonKind& kind = GetParam();
  const request::Handled first = fixture_->handle(kind.request);
  ASSERT_EQ(first.outcome, kind.outcome) << first.reply;
  ASSERT_EQ(first.reply.empty(), kind.outcome == Outcome::no_reply) << first.reply;
  ASSERT_TRUE(first.reply.empty() || first.reply.front() == '{' || first.reply.front() == '[')
      << first.reply;

  const AllocationCount before = allocation_count();
  std::size_t wrong_outcomes = 0;
  for (int i = 0; i < 1000; ++i) {
    const request::Handled handled = fixture_->handle(kind.request);
    wrong_outcomes += handled.outcome == kind.outcome ? 0 : 1;
  }
  const AllocationCount after = allocation_count();
  EXPECT_EQ(wrong_outcomes, 0U);
  EXPECT_EQ(after.news - before.news, 0U) << "operator new calls in 1000 requests";
  EXPECT_EQ(after.mallocs - before.mallocs, 0U) << "malloc calls in 1000 requests";
}

INSTANTIATE_TEST_SUITE_P(EveryJsonKind, JsonNoAllocation, testing::ValuesIn(json_kinds()),
                         [](const testing::TestParamInfo<JsonKind>& param) {
                           return param.param.name;
                         });

INSTANTIATE_TEST_SUITE_P(EveryKind, NoAllocation, testing::ValuesIn(kinds()),
                         [](const testing::TestParamInfo<Kind>& param) {
                           return param.param.name;
                         });

}  // namespace
}  // namespace mid::alloc_test

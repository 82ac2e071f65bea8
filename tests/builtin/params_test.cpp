// Declared parameter forms: one matcher for both protocols, and the
// registry's OpenSIPS 4.x module:command names.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "ask.hpp"
#include "mi/params.hpp"

namespace mid::mi::test {
namespace {

using Arguments = std::vector<tree::Argument>;

class ParamsTest : public ::testing::Test {
 protected:
  // One GivenParam per value, as the text protocol gives them.
  ParamsMatch match_text(const std::vector<ParamForm>& forms, const Arguments& sent) {
    given_.clear();
    for (const tree::Argument& argument : sent) {
      given_.push_back(GivenParam{argument.name, std::span(&argument, 1), false});
    }
    return match_params(forms, given_, out_);
  }
  std::string describe(const std::vector<ParamForm>& forms, const ParamsMatch& match) {
    std::array<char, 256> text{};
    core::BoundedWriter writer(text);
    describe_mismatch(writer, forms, match);
    return std::string(writer.view());
  }
  Arguments matched(const ParamsMatch& match) {
    return Arguments(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(match.count));
  }

  const std::vector<ParamForm> log_level_ = {{}, {{"level"}}, {{"level"}, {"pid"}}};
  const std::vector<ParamForm> statistics_ = {{{"statistics", true}}};
  std::vector<GivenParam> given_;
  std::array<tree::Argument, 16> out_{};
};

TEST_F(ParamsTest, PositionalAndNamedCallsGetTheFormsNamesInItsOrder) {
  const ParamsMatch none = match_text(log_level_, {});
  EXPECT_EQ(none.mismatch, ParamsMismatch::none);
  EXPECT_EQ(none.count, 0U);

  const ParamsMatch by_position = match_text(log_level_, {{"", "4"}, {"", "17"}});
  ASSERT_EQ(by_position.mismatch, ParamsMismatch::none);
  EXPECT_EQ(matched(by_position), (Arguments{{"level", "4"}, {"pid", "17"}}));

  const ParamsMatch by_name = match_text(log_level_, {{"pid", "17"}, {"level", "4"}});
  ASSERT_EQ(by_name.mismatch, ParamsMismatch::none);
  EXPECT_EQ(matched(by_name), (Arguments{{"level", "4"}, {"pid", "17"}}));
}

TEST_F(ParamsTest, ATrailingArrayTakesTheRestAndARepeatedName) {
  const ParamsMatch rest = match_text(statistics_, {{"", "all"}, {"", "tm:"}, {"", "x"}});
  ASSERT_EQ(rest.mismatch, ParamsMismatch::none);
  EXPECT_EQ(matched(rest),
            (Arguments{{"statistics", "all"}, {"statistics", "tm:"}, {"statistics", "x"}}));
  const ParamsMatch repeated = match_text(statistics_, {{"statistics", "a"}, {"statistics", "b"}});
  ASSERT_EQ(repeated.mismatch, ParamsMismatch::none);
  EXPECT_EQ(repeated.count, 2U);
}

TEST_F(ParamsTest, MismatchesAreNamedAndDescribed) {
  const ParamsMatch three = match_text(log_level_, {{"", "1"}, {"", "2"}, {"", "3"}});
  EXPECT_EQ(three.mismatch, ParamsMismatch::no_form);
  EXPECT_EQ(describe(log_level_, three), "expected (), (level) or (level, pid)");

  const ParamsMatch mixed = match_text(log_level_, {{"level", "1"}, {"", "2"}});
  EXPECT_EQ(mixed.mismatch, ParamsMismatch::mixed);
  EXPECT_EQ(describe(log_level_, mixed), "named and positional parameters in one call");

  const ParamsMatch twice = match_text(log_level_, {{"level", "1"}, {"level", "2"}});
  EXPECT_EQ(twice.mismatch, ParamsMismatch::repeated_name);
  EXPECT_EQ(describe(log_level_, twice), "parameter level given more than once");

  EXPECT_EQ(match_text(statistics_, {}).mismatch, ParamsMismatch::no_form);
  EXPECT_EQ(describe(statistics_, match_text(statistics_, {})), "expected (statistics[])");
  const std::vector<ParamForm> nothing = {{}};
  EXPECT_EQ(describe(nothing, match_text(nothing, {{"", "x"}})), "expected none");
}

TEST_F(ParamsTest, JsonArraysOnlyForArrayParameters) {
  const std::array<tree::Argument, 2> values{{{"", "a"}, {"", "b"}}};
  given_ = {GivenParam{"level", std::span(values), true}};
  const ParamsMatch array_for_value = match_params(log_level_, given_, out_);
  EXPECT_EQ(array_for_value.mismatch, ParamsMismatch::array_for_value);
  EXPECT_EQ(describe(log_level_, array_for_value), "parameter level takes one value, not an array");

  given_ = {GivenParam{"statistics", std::span(values).first(0), true}};
  const ParamsMatch empty = match_params(statistics_, given_, out_);
  EXPECT_EQ(empty.mismatch, ParamsMismatch::empty_array);
  EXPECT_EQ(describe(statistics_, empty), "empty array in parameter statistics");

  given_ = {GivenParam{"", std::span(values), true}};
  const ParamsMatch positional = match_params(statistics_, given_, out_);
  ASSERT_EQ(positional.mismatch, ParamsMismatch::none);
  EXPECT_EQ(matched(positional), (Arguments{{"statistics", "a"}, {"statistics", "b"}}));
}

TEST_F(ParamsTest, TwoFormsOfOneSizeMakeAPositionalCallAmbiguous) {
  const std::vector<ParamForm> forms = {{{"name"}}, {{"id"}}};
  EXPECT_EQ(match_text(forms, {{"", "x"}}).mismatch, ParamsMismatch::ambiguous);
  const ParamsMatch named = match_text(forms, {{"id", "7"}});
  ASSERT_EQ(named.mismatch, ParamsMismatch::none);
  EXPECT_EQ(matched(named), (Arguments{{"id", "7"}}));
}

TEST(ModuleNames, StandForTheirCommandWithoutBeingListed) {
  support::BuiltinWorld world;
  ASSERT_TRUE(world.start("mi-datagram test"));
  const Command* uptime = world.registry.find("uptime");
  ASSERT_NE(uptime, nullptr);
  EXPECT_EQ(world.registry.find("core:uptime"), uptime);
  EXPECT_EQ(world.registry.find("statistics:get"), world.registry.find("get_statistics"));
  EXPECT_EQ(world.registry.module_of(*world.registry.find("get_statistics")), "statistics");
  EXPECT_EQ(world.registry.module_of(*uptime), "core");
  for (const Command& command : world.registry.commands()) {
    EXPECT_EQ(command.name.find(':'), std::string::npos) << command.name;
  }
  EXPECT_EQ(world.registry.add_module_name("core:uptime", "version").error().code,
            core::Errc::duplicate_name);
  EXPECT_EQ(world.registry.add_module_name("nocolon", "version").error().code,
            core::Errc::bad_name);
  EXPECT_EQ(world.registry.add_module_name("a:b:c", "version").error().code, core::Errc::bad_name);
  EXPECT_EQ(world.registry.add_module_name("x:y", "nope").error().code,
            core::Errc::unknown_command);
}

TEST(DeclaredForms, TextNamesThatMatchNoFormAreReadByPosition) {
  support::BuiltinWorld world;
  ASSERT_TRUE(world.start("mi-datagram test"));
  // 1.x clients named arguments freely; the commands ignored the names.
  EXPECT_EQ(ask(world, ":log_level:\nlevel::debug\n"), "200 OK\nNew global log level:: 4\n");
  EXPECT_EQ(ask(world, ":log_level:\nwhatever::info\n"), "200 OK\nNew global log level:: 3\n");
  EXPECT_EQ(ask(world, ":log_level:\na::1\nb::2\nc::3\n"),
            "400 bad arguments: expected (), (level) or (level, pid)\n");
}

}  // namespace
}  // namespace mid::mi::test

#include "core/bounded_writer.hpp"

#include <array>

#include <gtest/gtest.h>

namespace mid::core {
namespace {

TEST(BoundedWriter, WritesUpToCapacityExactly) {
  std::array<char, 4> buffer{};
  BoundedWriter out(buffer);
  EXPECT_TRUE(out.put("ab"));
  EXPECT_TRUE(out.put("cd"));
  EXPECT_FALSE(out.failed());
  EXPECT_EQ(out.view(), "abcd");
}

TEST(BoundedWriter, StaysFailedAfterFirstOverflow) {
  std::array<char, 4> buffer{};
  BoundedWriter out(buffer);
  EXPECT_TRUE(out.put("abc"));
  EXPECT_FALSE(out.put("de"));
  EXPECT_TRUE(out.failed());
  EXPECT_FALSE(out.put("x"));  // would fit, but the writer stays failed
  EXPECT_EQ(out.view(), "abc");
}

TEST(BoundedWriter, PrintsUnsignedDecimal) {
  std::array<char, 32> buffer{};
  BoundedWriter out(buffer);
  EXPECT_TRUE(out.put_unsigned(0));
  EXPECT_TRUE(out.put(' '));
  EXPECT_TRUE(out.put_unsigned(18446744073709551615ULL));
  EXPECT_EQ(out.view(), "0 18446744073709551615");
}

}  // namespace
}  // namespace mid::core

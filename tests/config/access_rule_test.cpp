// `access = WHO WHAT` lines: what is accepted, what is refused (with file,
// line and key), how a rule is written back, and names resolved at load.
#include "config/access_rule.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "config/format_config.hpp"
#include "config/load_config.hpp"
#include "config/parse_config.hpp"

namespace mid::config {
namespace {

AccessRule parsed(std::string_view value) {
  AccessRule rule;
  const auto error = parse_access_rule(value, 7, rule);
  EXPECT_FALSE(error) << value << ": " << error.value_or("");
  return rule;
}

std::string error_of(std::string_view value) {
  AccessRule rule;
  return parse_access_rule(value, 7, rule).value_or("(accepted)");
}

TEST(AccessRule, ReadsEveryFormOfWho) {
  const AccessRule anyone = parsed("* all");
  EXPECT_EQ(anyone.who.kind, AccessWhoKind::anyone);

  const AccessRule uid = parsed("uid:0 all");
  EXPECT_EQ(uid.who.kind, AccessWhoKind::uid);
  EXPECT_EQ(uid.who.principal.id, 0U);
  EXPECT_FALSE(uid.who.by_name);

  const AccessRule user = parsed("user:www-data read");
  EXPECT_EQ(user.who.kind, AccessWhoKind::uid);
  EXPECT_TRUE(user.who.by_name);
  EXPECT_EQ(user.who.principal.text, "www-data");
  EXPECT_EQ(user.who.principal.line, 7U);  // for load_config's error
  EXPECT_FALSE(user.who.principal.id);

  const AccessRule gid = parsed("gid:4294967294 read");
  EXPECT_EQ(gid.who.kind, AccessWhoKind::gid);
  EXPECT_EQ(gid.who.principal.id, 4294967294U);

  const AccessRule group = parsed("group:monitoring read");
  EXPECT_EQ(group.who.kind, AccessWhoKind::gid);
  EXPECT_TRUE(group.who.by_name);

  const AccessRule udp = parsed("udp:127.0.0.0/8 read");
  EXPECT_EQ(udp.who.kind, AccessWhoKind::udp);
  EXPECT_EQ(udp.who.network.prefix, 8U);
  EXPECT_EQ(parsed("udp:::1 read").who.network.prefix, 128U);
}

TEST(AccessRule, ReadsEveryFormOfWhat) {
  EXPECT_EQ(parsed("* all").what, (AccessWhat{true, true, {}}));
  EXPECT_EQ(parsed("* none").what, (AccessWhat{false, false, {}}));
  EXPECT_EQ(parsed("* read").what, (AccessWhat{true, false, {}}));
  EXPECT_EQ(parsed("* write").what, (AccessWhat{false, true, {}}));
  EXPECT_EQ(parsed("*   read, get_statistics ,reset_statistics  ").what,
            (AccessWhat{true, false, {"get_statistics", "reset_statistics"}}));
  EXPECT_EQ(parsed("* uptime").what, (AccessWhat{false, false, {"uptime"}}));
}

TEST(AccessRule, RefusesWhatItCannotRead) {
  EXPECT_NE(error_of("").find("must be WHO WHAT"), std::string::npos);
  EXPECT_NE(error_of("uid:0").find("must be WHO WHAT"), std::string::npos);
  EXPECT_NE(error_of("root all").find("\"root\" is none of these"), std::string::npos);
  EXPECT_NE(error_of("uid:root all").find("not a number"), std::string::npos);
  EXPECT_NE(error_of("uid:-1 all").find("not a number"), std::string::npos);
  EXPECT_NE(error_of("uid:4294967295 all").find("not a number"), std::string::npos);
  EXPECT_NE(error_of("uid:01 all").find("not a number"), std::string::npos);
  EXPECT_NE(error_of("user:bad/name all").find("not a valid name"), std::string::npos);
  EXPECT_NE(error_of("udp:10.0.0.1/8 read").find("udp:10.0.0.1/8"), std::string::npos);
  EXPECT_NE(error_of("udp:nohost read").find("udp:nohost"), std::string::npos);
  EXPECT_NE(error_of("* read,all").find("all stands alone"), std::string::npos);
  EXPECT_NE(error_of("* none,uptime").find("none stands alone"), std::string::npos);
  EXPECT_NE(error_of("* read,,write").find("\"\" is none of these"), std::string::npos);
  EXPECT_NE(error_of("* read write").find("\"read write\" is none of these"), std::string::npos);
  EXPECT_NE(error_of("* bad\\x01name").find("is none of these"), std::string::npos);
}

TEST(AccessRule, ErrorsNameFileLineAndKey) {
  const ConfigResult r =
      parse_config("socket_name = /x\n\naccess = uid:0 all\naccess = grp:1 read\n", "/etc/m.conf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().line, 4U);
  EXPECT_EQ(r.error().key, "access");
  EXPECT_EQ(to_string(r.error()).rfind("/etc/m.conf:4: access: WHO must be", 0), 0U)
      << to_string(r.error());
}

TEST(AccessRule, EveryLineAddsARuleInOrder) {
  const ConfigResult r = parse_config(
      "socket_name = /x\naccess = uid:0 all\naccess = \"group:adm read\"\n"
      "modparam(\"mi_datagram\", \"access\", \"* none\")\n",
      "f");
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  ASSERT_EQ(r.value().access.size(), 3U);
  EXPECT_EQ(format_access_rule(r.value().access[0]), "uid:0 all");
  EXPECT_EQ(format_access_rule(r.value().access[1]), "group:adm read");
  EXPECT_EQ(format_access_rule(r.value().access[2]), "* none");
}

TEST(AccessRule, WritesBackWhatItRead) {
  for (const std::string_view text :
       {"* all", "* none", "uid:0 all", "user:www-data read", "gid:4 write", "group:adm read",
        "udp:10.0.0.0/8 read,get_statistics", "udp:2001:db8::/32 none", "uid:7 read,write,kill",
        "uid:7 uptime,uptime"}) {
    const AccessRule rule = parsed(text);
    EXPECT_EQ(format_access_rule(rule), text);
    EXPECT_EQ(parsed(format_access_rule(rule)), rule) << text;
  }
  // Written in canonical form.
  EXPECT_EQ(format_access_rule(parsed("udp:::1 read")), "udp:::1/128 read");
  EXPECT_EQ(format_access_rule(parsed("user:0 read , write")), "uid:0 all");
  EXPECT_EQ(format_access_rule(parsed("* read,read")), "* read");
}

TEST(AccessRule, FormatConfigWritesEveryRuleInOrder) {
  const ConfigResult r =
      parse_config("socket_name = /x\naccess = uid:0 all\naccess = * read\n", "f");
  ASSERT_TRUE(r.ok());
  const std::string text = format_config(r.value());
  EXPECT_NE(text.find("access = \"uid:0 all\"\naccess = \"* read\"\n"), std::string::npos) << text;
  const ConfigResult none = parse_config("socket_name = /x\n", "f");
  EXPECT_NE(format_config(none.value()).find("# access is not set"), std::string::npos);
}

// A file in a fresh directory, removed afterwards.
class AccessNames : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = "/tmp/mid-access-test.XXXXXX";
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = dir_ + "/m.conf";
  }
  void TearDown() override {
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  ConfigResult load(const std::string& text) {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
    return load_config(path_);
  }
  std::string dir_;
  std::string path_;
};

TEST_F(AccessNames, UserAndGroupNamesAreResolvedAtLoad) {
  ConfigResult r = load("socket_name = /x\naccess = user:root all\naccess = group:root read\n");
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  ASSERT_EQ(r.value().access.size(), 2U);
  EXPECT_EQ(r.value().access[0].who.principal.id, 0U);
  EXPECT_EQ(r.value().access[1].who.principal.id, 0U);
  // Written back as the numbers they resolved to.
  EXPECT_NE(format_config(r.value()).find("access = \"uid:0 all\"\naccess = \"gid:0 read\"\n"),
            std::string::npos);
}

TEST_F(AccessNames, UnknownNameNamesFileLineAndKey) {
  const ConfigResult r =
      load("socket_name = /x\naccess = uid:0 all\naccess = group:no-such-group-here read\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(to_string(r.error()), path_ + ":3: access: unknown group \"no-such-group-here\"");
}

}  // namespace
}  // namespace mid::config

#include "config/load_config.hpp"

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace mid::config {
namespace {

// A fresh directory per test, removed with its files afterwards.
class LoadConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = "/tmp/mid-config-test.XXXXXX";
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    EXPECT_FALSE(ec) << ec.message();
  }
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0640) {
    std::string path = dir_ + "/" + name;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    EXPECT_EQ(::fchmod(fd, mode), 0);
    ::close(fd);
    return path;
  }
  std::string error_of(const std::string& path, std::span<const Override> overrides = {}) {
    ConfigResult r = load_config(path, overrides);
    EXPECT_FALSE(r.ok()) << path;
    return r.ok() ? "" : to_string(r.error());
  }
  std::string dir_;
};

TEST_F(LoadConfig, ReadsAndResolvesAsRoot) {
  ASSERT_EQ(::geteuid(), 0U) << "the suite runs as root (CI does)";
  const std::string path = write("a.conf",
                                 "socket_name = /run/mi.sock\n"
                                 "unix_socket_user = nobody\n"
                                 "unix_socket_group = nogroup\n"
                                 "allowed_uids = 5, root, nobody\n"
                                 "allowed_gids = nogroup\n");
  ConfigResult r = load_config(path);
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  const Config& c = r.value();
  EXPECT_EQ(c.unix_socket_user.id, 65534U);
  EXPECT_EQ(c.unix_socket_group.id, 65534U);
  EXPECT_EQ(c.allowed_uids, (std::vector<uint32_t>{5, 0, 65534}));
  EXPECT_EQ(c.allowed_gids, (std::vector<uint32_t>{65534}));
  EXPECT_TRUE(c.allowed_uid_names.empty());
  EXPECT_TRUE(c.allowed_gid_names.empty());
  // Root with no user: nobody / nogroup.
  EXPECT_EQ(c.user.text, "nobody");
  EXPECT_EQ(c.user.id, 65534U);
  EXPECT_EQ(c.group.text, "nogroup");
  EXPECT_EQ(c.group.id, 65534U);
}

TEST_F(LoadConfig, UnknownNamesNameTheLine) {
  const std::string path =
      write("b.conf", "socket_name = /run/mi.sock\n\nuser = no-such-user-mid\n");
  EXPECT_EQ(error_of(path), path + ":3: user: unknown user \"no-such-user-mid\"");
  const std::string groups =
      write("c.conf", "socket_name = /run/mi.sock\nallowed_gids = 0, root, no-such-group-mid\n");
  EXPECT_EQ(error_of(groups), groups + ":2: allowed_gids: unknown group \"no-such-group-mid\"");
  const std::string owner = write("d.conf",
                                  "modparam(\"mi_datagram\", \"unix_socket_user\", \"nobodyx\")\n"
                                  "modparam(\"mi_datagram\", \"socket_name\", \"/tmp/x.sock\")\n");
  EXPECT_EQ(error_of(owner), owner + ":1: unix_socket_user: unknown user \"nobodyx\"");
}

TEST_F(LoadConfig, RunAsDefaults) {
  Config c;
  c.socket_name = SocketAddress{};
  Config not_root = c;
  ASSERT_EQ(resolve_names(not_root, "f", false), std::nullopt);
  EXPECT_TRUE(not_root.user.text.empty());  // not root: nothing to drop to
  EXPECT_FALSE(not_root.group.id.has_value());

  Config explicit_root = c;
  explicit_root.user = Principal{"root", std::nullopt, 4};
  ASSERT_EQ(resolve_names(explicit_root, "f", true), std::nullopt);
  EXPECT_EQ(explicit_root.user.id, 0U);
  EXPECT_EQ(explicit_root.group.id, 0U);  // root's primary group

  Config user_only = c;
  user_only.user = Principal{"nobody", std::nullopt, 4};
  ASSERT_EQ(resolve_names(user_only, "f", false), std::nullopt);
  EXPECT_EQ(user_only.group.id, 65534U);  // nobody's primary group, also when not root

  Config group_set = c;
  group_set.group = Principal{"root", std::nullopt, 2};
  ASSERT_EQ(resolve_names(group_set, "f", true), std::nullopt);
  EXPECT_EQ(group_set.user.id, 65534U);
  EXPECT_EQ(group_set.group.id, 0U);  // an explicit group is kept

  Config orphan = c;
  orphan.user = Principal{"54321", 54321U, 6};
  const auto error = resolve_names(orphan, "f", true);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(to_string(*error),
            "f:6: group: user \"54321\" has no passwd entry to take a primary group from; set "
            "group");
}

TEST_F(LoadConfig, CommandLineOverrides) {
  const std::string path = write("e.conf", "children_count = 2\n");
  const Override good[] = {{"socket_name", "udp:127.0.0.1:8094"}, {"children_count", "9"}};
  ConfigResult r = load_config(path, good);
  ASSERT_TRUE(r.ok()) << to_string(r.error());
  EXPECT_EQ(r.value().children_count, 9U);
  EXPECT_EQ(r.value().socket_name->port, 8094);
  const Override bad[] = {{"socket_name", "/x"}, {"children_count", "abc"}};
  EXPECT_EQ(error_of(path, bad),
            "command line: children_count: must be an integer from 1 to 64, got \"abc\"");
  const Override unknown_user[] = {{"socket_name", "/x"}, {"user", "no-such-user-mid"}};
  EXPECT_EQ(error_of(path, unknown_user), "command line: user: unknown user \"no-such-user-mid\"");
  EXPECT_EQ(error_of(path), path +
                                ": socket_name: required setting is missing (a UNIX socket path or "
                                "udp:HOST:PORT)");
}

TEST_F(LoadConfig, RefusesWhatIsNotARegularPrivateFile) {
  EXPECT_EQ(error_of(dir_ + "/missing.conf"),
            dir_ + "/missing.conf: cannot open: No such file or directory");
  EXPECT_EQ(error_of(dir_), dir_ + ": not a regular file");
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error_of(fifo), fifo + ": not a regular file");  // and does not block
  const std::string link = dir_ + "/link.conf";
  ASSERT_EQ(
      ::symlink(write("target.conf", "socket_name = /x\nuser = root\n").c_str(), link.c_str()), 0);
  EXPECT_TRUE(load_config(link).ok()) << "a link root made is followed";
}

// Anyone who can change the file can make the daemon run as root or serve
// everyone: only root may own it or be able to write it.
TEST_F(LoadConfig, RefusesAFileOthersCouldChange) {
  for (const mode_t mode : {0666U, 0646U, 0660U, 0620U, 0664U}) {
    const std::string path = write("open.conf", "socket_name = /x\n", mode);
    EXPECT_EQ(error_of(path), path +
                                  ": refusing a configuration file writable by its group or "
                                  "others (mode " +
                                  std::string(mode == 0666U   ? "0666"
                                              : mode == 0646U ? "0646"
                                              : mode == 0660U ? "0660"
                                              : mode == 0620U ? "0620"
                                                              : "0664") +
                                  "; chmod go-w)");
  }
  const std::string owned = write("owned.conf", "socket_name = /x\n", 0644);
  ASSERT_EQ(::chown(owned.c_str(), 65534, 65534), 0);
  EXPECT_EQ(error_of(owned),
            owned + ": refusing a configuration file owned by uid 65534: only root may own it");
  EXPECT_TRUE(load_config(write("fine.conf", "socket_name = /x\n", 0600)).ok());
}

TEST_F(LoadConfig, RefusesALinkOrADirectoryAnotherUserControls) {
  const std::string target = write("target.conf", "socket_name = /x\n", 0644);
  const std::string link = dir_ + "/planted.conf";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  ASSERT_EQ(::lchown(link.c_str(), 4242, 4242), 0);
  EXPECT_EQ(error_of(link), link + ": refusing to follow symbolic link " + link +
                                ": it is owned by uid 4242, not by root");
  const std::string theirs = dir_ + "/theirs";
  ASSERT_EQ(::mkdir(theirs.c_str(), 0755), 0);
  const std::string inside = write("theirs/a.conf", "socket_name = /x\n", 0644);
  ASSERT_EQ(::chown(theirs.c_str(), 4242, 4242), 0);
  EXPECT_EQ(error_of(inside), inside + ": directory " + theirs +
                                  " is owned by uid 4242; only root may own a directory on this "
                                  "path");
  ASSERT_EQ(::chown(theirs.c_str(), 0, 0), 0);
  ASSERT_EQ(::chmod(theirs.c_str(), 0777), 0);
  EXPECT_EQ(error_of(inside), inside + ": directory " + theirs +
                                  " is writable by its group or others without the sticky bit "
                                  "(mode 0777): they could swap what lies below it");
}

// Not root: the user running the program may own the file and its
// directory too; root still may; nobody else.
TEST_F(LoadConfig, NotRootAcceptsItsOwnFilesAndRootsOnly) {
  ASSERT_EQ(::chown(dir_.c_str(), 65534, 65534), 0);
  const std::string own = write("own.conf", "socket_name = /x\n", 0600);
  ASSERT_EQ(::chown(own.c_str(), 65534, 65534), 0);
  const std::string roots = write("roots.conf", "socket_name = /x\n", 0644);
  const std::string other = write("other.conf", "socket_name = /x\n", 0644);
  ASSERT_EQ(::chown(other.c_str(), 4242, 4242), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgroups(0, nullptr) != 0 || ::setresgid(65534, 65534, 65534) != 0 ||
        ::setresuid(65534, 65534, 65534) != 0) {
      ::_exit(99);
    }
    if (!load_config(own).ok()) ::_exit(1);
    if (!load_config(roots).ok()) ::_exit(2);
    const ConfigResult r = load_config(other);
    ::_exit(!r.ok() && to_string(r.error()) ==
                           other +
                               ": refusing a configuration file owned by uid 4242: only "
                               "root or uid 65534 may own it"
                ? 0
                : 3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(LoadConfig, RefusesOversizeFiles) {
  const std::string path = write("big.conf", "socket_name = /x\n");
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(kMaxConfigFile + 1)), 0);
  EXPECT_EQ(error_of(path), path + ": file is larger than 1048576 bytes (1 MiB)");
  ASSERT_EQ(::truncate(path.c_str(), static_cast<off_t>(kMaxConfigFile)), 0);
  // Exactly 1 MiB is read; the NUL padding is then a syntax error on line 2.
  EXPECT_EQ(error_of(path).substr(0, path.size() + 3), path + ":2:");
}

TEST_F(LoadConfig, OrDiePrintsOneLineAndExits2) {
  const std::string path = write("die.conf", "socket_name = /x\nsandbox = maybe\n");
  EXPECT_EXIT((void)load_config_or_die(path), ::testing::ExitedWithCode(2),
              "^" + path + ":2: sandbox: must be kill, trap or off, got \"maybe\"\n$");
  const std::string good = write("good.conf", "socket_name = /x\nuser = root\n");
  EXPECT_EQ(load_config_or_die(good).user.id, 0U);
}

}  // namespace
}  // namespace mid::config

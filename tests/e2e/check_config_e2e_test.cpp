// mi-datagramd --check-config prints the whole effective configuration as
// configuration text, which --check-config reads back to the same output.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "config/settings.hpp"
#include "daemon_process.hpp"

namespace mid::e2e {
namespace {

RunResult check_config(const std::string& path) {
  return run_program({daemon_path(), "--check-config", "--config", path});
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(CheckConfig, PrintsEverySettingAndReadsItsOwnOutputBackToTheSameOutput) {
  Scratch scratch;
  const std::string first_path = scratch.path("first.conf");
  write_file(first_path, "socket_name = \"" + scratch.path("odd \\\"dir\\\" #1/mi.sock") +
                             "\"\nchildren_count = 3\nunix_socket_mode = 600\n"
                             "unix_socket_user = root\nunix_socket_group = 0\n"
                             "socket_timeout = 1500\nreply_indent = \"  \"\nuser = nobody\n"
                             "group = nogroup\nsandbox = trap\nsocket_buf_size = 131072\n"
                             "log_level = info\nlog_target = syslog\nallowed_uids = root, 7\n"
                             "allowed_gids = 0\nallow_from = 10.0.0.0/8, ::1\nenable_kill = yes\n"
                             "access = user:root all\naccess = group:root read, kill\n"
                             "access = udp:::1 read\naccess = * none\n");
  const RunResult first = check_config(first_path);
  ASSERT_EQ(first.exit_status, 0) << first.output;
  EXPECT_EQ(first.output.rfind("# mi-datagramd: configuration OK\n", 0), 0U) << first.output;
  for (const std::string_view key : config::setting_names()) {
    EXPECT_NE(first.output.find("\n" + std::string(key) + " = "), std::string::npos)
        << key << " missing from:\n"
        << first.output;
  }
  // The path with blanks, quotes and '#' is quoted; names are resolved.
  EXPECT_NE(first.output.find("socket_name = \"" + scratch.dir() + "/odd \\\"dir\\\" #1/mi.sock\""),
            std::string::npos)
      << first.output;
  EXPECT_NE(first.output.find("allowed_uids = \"7, 0\""), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("children_count = \"3\""), std::string::npos) << first.output;
  EXPECT_NE(first.output.find("access = \"uid:0 all\"\naccess = \"gid:0 read,kill\"\n"
                              "access = \"udp:::1/128 read\"\naccess = \"* none\"\n"),
            std::string::npos)
      << first.output;

  const std::string second_path = scratch.path("second.conf");
  write_file(second_path, first.output);
  const RunResult second = check_config(second_path);
  ASSERT_EQ(second.exit_status, 0) << second.output;
  EXPECT_EQ(second.output, first.output);
}

}  // namespace
}  // namespace mid::e2e

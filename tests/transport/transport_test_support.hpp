#pragma once

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "config/config.hpp"

// Shared by the transport tests: a private temporary directory and
// configurations for it.
namespace mid::transport::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/mid-transport-XXXXXX";
    const char* made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline config::Config unix_config(const std::string& path, unsigned mode = 0660) {
  config::Config c;
  config::SocketAddress address;
  address.kind = config::SocketAddress::Kind::unix_path;
  address.path = path;
  c.socket_name = address;
  c.unix_socket_mode = mode;
  return c;
}

inline config::Config udp_config(const std::string& host, uint16_t port, bool v6_literal = false) {
  config::Config c;
  config::SocketAddress address;
  address.kind = config::SocketAddress::Kind::udp;
  address.host = host;
  address.port = port;
  address.host_is_v6_literal = v6_literal;
  c.socket_name = address;
  return c;
}

inline config::SocketAddress unix_address(const std::string& path) {
  config::SocketAddress address;
  address.path = path;
  return address;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

inline struct stat lstat_or_fail(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st;
}

}  // namespace mid::transport::testing

#include "attacker.hpp"

#include <grp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace mid::adversarial {
namespace {

bool become(uid_t uid) noexcept {
  return setgroups(0, nullptr) == 0 && setresgid(uid, uid, uid) == 0 &&
         setresuid(uid, uid, uid) == 0;
}

}  // namespace

e2e::RunResult run_as(uid_t uid, const std::vector<std::string>& argv) {
  const std::string id = std::to_string(uid);
  std::vector<std::string> full = {"/usr/bin/setpriv", "--reuid=" + id, "--regid=" + id,
                                   "--clear-groups"};
  full.insert(full.end(), argv.begin(), argv.end());
  return e2e::run_program(full);
}

int as_user(uid_t uid, const std::function<int()>& body) {
  const pid_t child = fork();
  if (child == 0) _exit(become(uid) ? body() : 99);
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

Accomplice::Accomplice(uid_t uid, const std::function<int()>& setup) {
  int report[2];
  if (pipe(report) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    close(report[0]);
    const unsigned char status = become(uid) ? static_cast<unsigned char>(setup()) : 99;
    if (write(report[1], &status, 1) != 1) _exit(98);
    for (;;) pause();
  }
  close(report[1]);
  unsigned char status = 0;
  if (pid_ > 0 && read(report[0], &status, 1) == 1) status_ = status;
  close(report[0]);
}

Accomplice::~Accomplice() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

void make_dir(const std::string& path, uid_t uid, gid_t gid, mode_t mode) {
  ASSERT_EQ(mkdir(path.c_str(), 0700), 0) << path;
  ASSERT_EQ(chown(path.c_str(), uid, gid), 0) << path;
  ASSERT_EQ(chmod(path.c_str(), mode), 0) << path;
}

void write_file(const std::string& path, const std::string& text, uid_t uid, gid_t gid,
                mode_t mode) {
  std::ofstream(path, std::ios::binary) << text;
  ASSERT_EQ(chown(path.c_str(), uid, gid), 0) << path;
  ASSERT_EQ(chmod(path.c_str(), mode), 0) << path;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool is_empty_directory(const std::string& path) {
  return std::filesystem::is_empty(path);
}

int bind_unix_socket(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (fd < 0 || path.size() >= sizeof address.sun_path) return -1;
  std::memcpy(address.sun_path, path.data(), path.size());
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

e2e::RunResult start_daemon(const std::string& config_path,
                            const std::vector<std::string>& prefix) {
  std::vector<std::string> argv = prefix;
  for (const std::string& arg :
       {e2e::daemon_path(), std::string("--foreground"), std::string("--config"), config_path}) {
    argv.push_back(arg);
  }
  return e2e::run_program(argv, std::chrono::seconds(20));
}

}  // namespace mid::adversarial

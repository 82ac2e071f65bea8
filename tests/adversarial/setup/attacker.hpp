#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "daemon_process.hpp"

// What the attacks on the daemon's set-up share: a second local user, the
// places it plants things in, and the daemon run on them. The suite runs
// as root and acts as the other user through setpriv(1) (for programs) or
// fork + setresuid (for code).
namespace mid::adversarial {

// A local user with no relation to the daemon: not root, not the run-as
// user; no passwd entry is needed.
inline constexpr uid_t kStranger = 4242;
// nobody: the daemon's default run-as user (and every other service's).
inline constexpr uid_t kNobody = 65534;

// Runs a program as `uid` (and gid `uid`, no supplementary groups) through
// setpriv, to completion.
e2e::RunResult run_as(uid_t uid, const std::vector<std::string>& argv);

// Runs `body` in a forked child as `uid` (gid `uid`, no supplementary
// groups) and returns its exit status (100 + signal if it was killed).
int as_user(uid_t uid, const std::function<int()>& body);

// A child that acts as `uid`, runs `setup` (its result, 0 for success, is
// reported back through a pipe) and then stays alive holding whatever
// setup opened, until the object is destroyed (SIGKILL).
class Accomplice {
 public:
  Accomplice(uid_t uid, const std::function<int()>& setup);
  ~Accomplice();
  Accomplice(const Accomplice&) = delete;
  Accomplice& operator=(const Accomplice&) = delete;
  [[nodiscard]] int setup_status() const { return status_; }

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

// mkdir, then chown and chmod (so the umask does not get in the way).
void make_dir(const std::string& path, uid_t uid, gid_t gid, mode_t mode);

// Writes `text` to `path` (created by root), then sets owner and mode.
void write_file(const std::string& path, const std::string& text, uid_t uid = 0, gid_t gid = 0,
                mode_t mode = 0644);
std::string read_file(const std::string& path);
bool is_empty_directory(const std::string& path);

// Binds a datagram socket at `path` and returns its descriptor (or -1).
int bind_unix_socket(const std::string& path);

// Starts the daemon on `config_path` and waits for it to end (it is
// expected to refuse to start): its status and everything it printed.
e2e::RunResult start_daemon(const std::string& config_path,
                            const std::vector<std::string>& prefix = {});

}  // namespace mid::adversarial

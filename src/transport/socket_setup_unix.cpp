// The UNIX half of bind_listening_socket: refuse anything at the path that
// is not a socket, replace only a stale socket, create the file with the
// configured mode under a tight umask, chown without following links, and
// verify the result with lstat.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "log/log.hpp"
#include "transport/socket_options.hpp"
#include "transport/socket_setup.hpp"

namespace mid::transport {
namespace {

using detail::errno_text;
using detail::UniqueFd;

constexpr uid_t kNoChange = static_cast<uid_t>(-1);
constexpr gid_t kNoGroupChange = static_cast<gid_t>(-1);

// What the socket file must look like once set up (-1 = left as created).
struct Expected {
  unsigned mode;
  uid_t uid;
  gid_t gid;
};

std::string octal(unsigned mode) {
  std::string text = "0000";
  for (std::size_t i = 4; i-- > 0; mode >>= 3) text[i] = static_cast<char>('0' + (mode & 7U));
  return text;
}

const char* describe_file_type(mode_t mode) noexcept {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "a file of unknown type";
}

bool fill_sockaddr(const std::string& path, sockaddr_un& out, std::string& error) {
  out = sockaddr_un{};
  out.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof out.sun_path || path.find('\0') != std::string::npos) {
    error = "socket path \"" + path + "\" must be 1 to 107 bytes without NUL";
    return false;
  }
  std::memcpy(out.sun_path, path.data(), path.size());
  return true;
}

std::string parent_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

bool check_parent_directory(const std::string& path, std::string& error) {
  const std::string dir = parent_of(path);
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) {
    const int err = errno;
    error = err == ENOENT
                ? "directory " + dir + " of socket " + path + " does not exist"
                : "cannot stat directory " + dir + " of socket " + path + ": " + errno_text(err);
    return false;
  }
  if (!S_ISDIR(st.st_mode)) {
    error = dir + " (directory of socket " + path + ") is not a directory";
    return false;
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0) {
    MID_LOG(warning, "directory %s of socket %s is writable by others: they can replace the socket",
            dir.c_str(), path.c_str());
  }
  return true;
}

// Serialises setup between instances starting at the same time: without
// it, two could both find the same stale socket, and the second's unlink
// would remove the first's fresh socket. Held from the probe until the new
// socket is verified; released when `dir_fd` closes. Never blocks forever:
// gives up after about a second.
bool lock_parent_directory(const std::string& path, UniqueFd& dir_fd, std::string& error) {
  const std::string dir = parent_of(path);
  dir_fd = UniqueFd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() < 0) {
    error = "cannot open directory " + dir + " of socket " + path + ": " + errno_text(errno);
    return false;
  }
  constexpr int kAttempts = 50;
  constexpr timespec kPause{0, 20L * 1000 * 1000};
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (flock(dir_fd.get(), LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      error = "cannot lock directory ";
      error += dir;
      error += " of socket ";
      error += path;
      error += ": ";
      error += errno_text(errno);
      return false;
    }
    nanosleep(&kPause, nullptr);
  }
  error = "directory " + dir + " stays locked: another instance is starting on " + path;
  return false;
}

// Connects a throwaway autobound socket to `path`: ECONNREFUSED means no
// process holds the socket open (stale), success means a live instance.
// Returns 0 for live, ECONNREFUSED for stale, or the errno that stopped it.
int probe_socket(const sockaddr_un& target) noexcept {
  UniqueFd probe(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (probe.get() < 0) return errno;
  sockaddr_un self{};
  self.sun_family = AF_UNIX;
  if (bind(probe.get(), reinterpret_cast<const sockaddr*>(&self), sizeof(sa_family_t)) != 0) {
    return errno;
  }
  if (connect(probe.get(), reinterpret_cast<const sockaddr*>(&target), sizeof target) == 0) {
    return 0;
  }
  return errno;
}

// Makes the path free: nothing there, or a stale socket that we unlink.
// Everything else is refused and left as it is.
bool clear_path(const std::string& path, const sockaddr_un& target, std::string& error) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return true;
    error = "cannot lstat socket path " + path + ": " + errno_text(errno);
    return false;
  }
  if (!S_ISSOCK(st.st_mode)) {
    error = "refusing socket path " + path + ": " + describe_file_type(st.st_mode) +
            " is there, not a socket (left untouched)";
    return false;
  }
  const int probe = probe_socket(target);
  if (probe == 0) {
    error = "another instance is running on " + path;
    return false;
  }
  if (probe != ECONNREFUSED) {
    error = "cannot tell whether socket " + path + " is in use: " + errno_text(probe);
    return false;
  }
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    error = "cannot remove stale socket " + path + ": " + errno_text(errno);
    return false;
  }
  MID_LOG(notice, "removed stale socket %s", path.c_str());
  return true;
}

// bind(2) under umask(~mode): the file is born with the configured mode,
// with no window in which it is more open.
bool bind_with_mode(int fd, const sockaddr_un& address, unsigned mode, std::string& error) {
  const mode_t saved = umask(static_cast<mode_t>(~mode & 0777U));
  const int rc = bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int err = errno;
  umask(saved);
  if (rc != 0) {
    error = "cannot bind UNIX socket " + std::string(address.sun_path) + ": " + errno_text(err);
    return false;
  }
  return true;
}

// Opens the new socket file itself (O_PATH, never following a link) so the
// chown and every check below apply to the inode we verified, whatever the
// path names a moment later.
bool pin_socket_file(const std::string& path, UniqueFd& pinned, struct stat& st,
                     std::string& error) {
  pinned = UniqueFd(open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (pinned.get() < 0 || fstat(pinned.get(), &st) != 0) {
    error = "cannot open new socket " + path + ": " + errno_text(errno);
    return false;
  }
  if (!S_ISSOCK(st.st_mode)) {
    error = "new socket " + path + " is " + describe_file_type(st.st_mode) + " after bind";
    return false;
  }
  return true;
}

bool check_attributes(const std::string& path, const struct stat& st, const Expected& want,
                      std::string& error) {
  if ((st.st_mode & 07777U) != want.mode) {
    error = "socket " + path + " has mode " + octal(st.st_mode) + ", expected " + octal(want.mode) +
            " (a default ACL on the directory?)";
    return false;
  }
  if ((want.uid != kNoChange && st.st_uid != want.uid) ||
      (want.gid != kNoGroupChange && st.st_gid != want.gid)) {
    const auto id = [](uint32_t v) {
      return v == kNoChange ? std::string("*") : std::to_string(v);
    };
    error = "socket " + path + " is owned by " + std::to_string(st.st_uid) + ":" +
            std::to_string(st.st_gid) + " after chown, expected " + id(want.uid) + ":" +
            id(want.gid);
    return false;
  }
  return true;
}

// chown of the pinned inode (fchownat on the O_PATH descriptor with
// AT_EMPTY_PATH: no path lookup, so no link can be followed), then a fresh
// fstat of it and an lstat of the path to prove the path still names it.
bool set_owner_and_verify(const std::string& path, int pinned, const Expected& want,
                          struct stat& st, std::string& error) {
  if ((want.uid != kNoChange || want.gid != kNoGroupChange) &&
      fchownat(pinned, "", want.uid, want.gid, AT_EMPTY_PATH) != 0) {
    error = "cannot set owner/group of socket " + path + ": " + errno_text(errno);
    return false;
  }
  struct stat by_path {};
  if (fstat(pinned, &st) != 0 || lstat(path.c_str(), &by_path) != 0) {
    error = "cannot stat new socket " + path + ": " + errno_text(errno);
    return false;
  }
  if (by_path.st_dev != st.st_dev || by_path.st_ino != st.st_ino) {
    error = path + " was replaced while the socket was being set up";
    return false;
  }
  return check_attributes(path, st, want, error);
}

// Removes the file we just created, checking it is still ours.
void remove_created(const std::string& path, const struct stat& created) noexcept {
  struct stat now {};
  if (lstat(path.c_str(), &now) == 0 && S_ISSOCK(now.st_mode) && now.st_dev == created.st_dev &&
      now.st_ino == created.st_ino) {
    unlink(path.c_str());
  }
}

bool open_unix_socket(const config::Config& config, UniqueFd& fd, std::string& error) {
  fd = UniqueFd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    error = "cannot create UNIX socket: " + errno_text(errno);
    return false;
  }
  const int on = 1;
  if (setsockopt(fd.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    error = "cannot set SO_PASSCRED: " + errno_text(errno);
    return false;
  }
  return detail::set_common_options(fd.get(), config.socket_buf_size, config.socket_timeout_ms,
                                    error);
}

}  // namespace

BindResult bind_unix_socket(const config::Config& config) {
  BindResult result;
  const std::string& path = config.socket_name->path;
  sockaddr_un address{};
  if (config.unix_socket_mode > 0777U) {
    result.error = "unix_socket_mode " + octal(config.unix_socket_mode) + " is not within 0..0777";
    return result;
  }
  UniqueFd dir_lock;
  if (!fill_sockaddr(path, address, result.error) || !check_parent_directory(path, result.error) ||
      !lock_parent_directory(path, dir_lock, result.error) ||
      !clear_path(path, address, result.error)) {
    return result;
  }
  UniqueFd fd;
  if (!open_unix_socket(config, fd, result.error) ||
      !bind_with_mode(fd.get(), address, config.unix_socket_mode, result.error)) {
    return result;
  }
  const Expected want{config.unix_socket_mode, config.unix_socket_user.id.value_or(kNoChange),
                      config.unix_socket_group.id.value_or(kNoGroupChange)};
  UniqueFd pinned;
  struct stat created {};
  if (!pin_socket_file(path, pinned, created, result.error)) return result;  // not ours: leave it
  struct stat final_st {};
  if (!set_owner_and_verify(path, pinned.get(), want, final_st, result.error)) {
    remove_created(path, created);
    return result;
  }
  MID_LOG(notice, "listening on UNIX socket %s (mode %s, owner %u:%u)", path.c_str(),
          octal(final_st.st_mode).c_str(), static_cast<unsigned>(final_st.st_uid),
          static_cast<unsigned>(final_st.st_gid));
  result.socket = ListeningSocket::adopt_unix(fd.release(), path, final_st.st_dev, final_st.st_ino);
  return result;
}

}  // namespace mid::transport

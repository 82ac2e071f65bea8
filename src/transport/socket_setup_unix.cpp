// The UNIX half of bind_listening_socket. The path is walked once, by
// os::open_parent_directory; every check and change after works on the
// directory descriptor it returns: take the lock, refuse anything at the
// name that is not a socket, unlink only a stale socket, bind (by the
// path, which is the socket's address) under a tight umask, chown the
// new inode without following links, verify.
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
#include "os/trusted_path.hpp"
#include "transport/socket_options.hpp"
#include "transport/socket_setup.hpp"

namespace mid::transport {
namespace {

using detail::errno_text;
using os::octal_mode;
using os::ParentDirectory;
using os::UniqueFd;

constexpr uid_t kNoChange = static_cast<uid_t>(-1);
constexpr gid_t kNoGroupChange = static_cast<gid_t>(-1);

const char* describe_file_type(mode_t mode) noexcept {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "a file of unknown type";
}

// The address of `path`: it must fit sun_path, without NUL.
bool fill_sockaddr(const std::string& name, sockaddr_un& out) noexcept {
  out = sockaddr_un{};
  out.sun_family = AF_UNIX;
  if (name.empty() || name.size() >= sizeof out.sun_path || name.find('\0') != std::string::npos) {
    return false;
  }
  std::memcpy(out.sun_path, name.data(), name.size());
  return true;
}

// Whoever can write the socket's directory can replace the socket after
// start and answer the daemon's clients: its owner (checked by the walk)
// and nobody else. A sticky bit does not help here: it stops others from
// removing our file, not from squatting the name while we are stopped.
bool check_socket_directory(const ParentDirectory& dir, const std::string& path,
                            std::string& error) {
  if ((dir.st.st_mode & (S_IWGRP | S_IWOTH)) == 0) return true;
  error = "socket " + path + ": directory " + dir.shown + " is writable by its group or " +
          "others (mode " + octal_mode(dir.st.st_mode) + "): they could replace the socket";
  return false;
}

// Serialises set-up between instances starting at once on one path:
// without it two could find the same stale socket, and the second's
// unlinkat would remove the first's fresh socket. The lock is a file next
// to the socket, not the directory itself: anyone who can open a
// directory can flock it, while this file is created 0600 in a directory
// only trusted users can write, and refused if anyone else could open it.
// It is never removed (removing a lock file races with its next taker).
// Held until the new socket is verified. Gives up after about a second.
bool lock_socket_name(const ParentDirectory& dir, const os::TrustedUsers& trusted, UniqueFd& lock,
                      std::string& error) {
  const std::string name = dir.name + ".lock";
  const std::string shown = (dir.shown == "/" ? "" : dir.shown) + "/" + name;
  lock.reset(openat(dir.fd.get(), name.c_str(),
                    O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0600));
  struct stat st {};
  if (!lock.valid() || fstat(lock.get(), &st) != 0) {
    error = "cannot open lock file " + shown + ": " + errno_text(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode) || !trusted.contains(st.st_uid) || (st.st_mode & 077U) != 0) {
    error = "lock file " + shown + " is not a regular file of mode 0600 owned by " +
            trusted.describe() + ": others could hold it (remove it)";
    return false;
  }
  constexpr int kAttempts = 50;
  constexpr timespec kPause{0, 20L * 1000 * 1000};
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (flock(lock.get(), LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK && errno != EINTR) {
      error = "cannot lock " + shown + ": " + errno_text(errno);
      return false;
    }
    nanosleep(&kPause, nullptr);
  }
  error = shown + " stays locked: another instance is starting there";
  return false;
}

// Connects a throwaway autobound socket to `target`: ECONNREFUSED means no
// process holds the socket open (stale), success means a live instance.
// Returns 0 for live, ECONNREFUSED for stale, or the errno that stopped it.
int probe_socket(const sockaddr_un& target) noexcept {
  UniqueFd probe(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe.valid()) return errno;
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

// Makes the name free: nothing there, or a stale socket that we unlink.
// Everything else is refused and left as it is.
bool clear_name(const ParentDirectory& dir, const sockaddr_un& name, const std::string& path,
                std::string& error) {
  struct stat st {};
  if (fstatat(dir.fd.get(), dir.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return true;
    error = "cannot stat socket path " + path + ": " + errno_text(errno);
    return false;
  }
  if (!S_ISSOCK(st.st_mode)) {
    error = "refusing socket path " + path + ": " + describe_file_type(st.st_mode) +
            " is there, not a socket (left untouched)";
    return false;
  }
  const int probe = probe_socket(name);
  if (probe == 0) {
    error = "another instance is running on " + path;
    return false;
  }
  if (probe != ECONNREFUSED) {
    error = "cannot tell whether socket " + path + " is in use: " + errno_text(probe);
    return false;
  }
  if (unlinkat(dir.fd.get(), dir.name.c_str(), 0) != 0 && errno != ENOENT) {
    error = "cannot remove stale socket " + path + ": " + errno_text(errno);
    return false;
  }
  MID_LOG(notice, "removed stale socket %s", path.c_str());
  return true;
}

// bind(2) under umask(~mode): the file is born with the configured mode,
// with no window in which it is more open.
bool bind_with_mode(int fd, const sockaddr_un& name, unsigned mode, const std::string& path,
                    std::string& error) {
  const mode_t saved = umask(static_cast<mode_t>(~mode & 0777U));
  const int rc = bind(fd, reinterpret_cast<const sockaddr*>(&name), sizeof name);
  const int err = errno;
  umask(saved);
  if (rc != 0) {
    error = "cannot bind UNIX socket " + path + ": " + errno_text(err);
    return false;
  }
  return true;
}

// Whether `path`'s directory, looked up by name, is the directory held
// since the walk (same device and inode).
bool leads_to(const ParentDirectory& dir, const std::string& path) noexcept {
  const std::size_t slash = path.rfind('/');
  const std::string parent = slash == std::string::npos ? "."
                             : slash == 0               ? "/"
                                                        : path.substr(0, slash);
  struct stat st {};
  return stat(parent.c_str(), &st) == 0 && st.st_dev == dir.st.st_dev && st.st_ino == dir.st.st_ino;
}

// bind(2) and connect(2) take a path, not a directory descriptor. The
// socket is bound by the configured path, not by its bare name from inside
// the directory (fchdir) nor as /proc/self/fd/N/NAME, because the bound
// path is the socket's address: it is the sender of every reply, and a
// client that checks a reply's sender against the path it sent to may
// trust it only because no one else can bind that path. Any user can bind
// a bare name or a /proc/self/fd path of their own. Looking the path up
// again is safe here: the walk proved that no one but trusted users can
// change any directory or link on it, and it must still lead to the held
// directory just before the bind. Everything that removes or changes a
// file (unlinkat, fchownat) works on descriptors.
bool bind_by_path(const ParentDirectory& dir, int fd, unsigned mode, const std::string& path,
                  std::string& error) {
  sockaddr_un whole{};
  (void)fill_sockaddr(path, whole);  // checked before the walk
  if (!clear_name(dir, whole, path, error)) return false;
  if (!leads_to(dir, path)) {
    error = path + " no longer leads to directory " + dir.shown;
    return false;
  }
  return bind_with_mode(fd, whole, mode, path, error);
}

// The new file, opened by `pinned` (O_PATH|O_NOFOLLOW) with `st` its
// fstat: it must be a socket; the owner and group are set on that inode
// (fchownat with AT_EMPTY_PATH: no lookup, nothing followed); the name
// must still hold it; and the mode must be exactly the configured one (a
// default ACL on the directory overrides the umask: refused, not chmod'ed).
bool finish_socket_file(const ListeningSocket& socket, int pinned, struct stat& st,
                        const config::Config& config, std::string& error) {
  const std::string& path = socket.unix_path();
  if (!S_ISSOCK(st.st_mode)) {
    error = "new socket " + path + " is " + describe_file_type(st.st_mode) + " after bind";
    return false;
  }
  const uid_t uid = config.unix_socket_user.id.value_or(kNoChange);
  const gid_t gid = config.unix_socket_group.id.value_or(kNoGroupChange);
  if ((uid != kNoChange || gid != kNoGroupChange) &&
      fchownat(pinned, "", uid, gid, AT_EMPTY_PATH) != 0) {
    error = "cannot set owner/group of socket " + path + ": " + errno_text(errno);
    return false;
  }
  struct stat by_name {};
  if (fstat(pinned, &st) != 0 || fstatat(socket.directory_fd(), socket.unix_name().c_str(),
                                         &by_name, AT_SYMLINK_NOFOLLOW) != 0) {
    error = "cannot stat new socket " + path + ": " + errno_text(errno);
    return false;
  }
  if (by_name.st_dev != st.st_dev || by_name.st_ino != st.st_ino) {
    error = path + " was replaced while the socket was being set up";
    return false;
  }
  if ((st.st_mode & 07777U) != config.unix_socket_mode) {
    error = "socket " + path + " has mode " + octal_mode(st.st_mode) + ", expected " +
            octal_mode(config.unix_socket_mode) + " (a default ACL on the directory?)";
    return false;
  }
  return true;
}

bool open_unix_socket(const config::Config& config, UniqueFd& fd, std::string& error) {
  fd.reset(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) {
    error = "cannot create UNIX socket: " + errno_text(errno);
    return false;
  }
  const int on = 1;
  if (setsockopt(fd.get(), SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    error = "cannot set SO_PASSCRED: " + errno_text(errno);
    return false;
  }
  return detail::set_common_options(fd.get(), config, error);
}

// The checks before anything is created: the path, its directories, the
// lock. `lock` is held by the caller until the socket is verified.
bool prepare_directory(const config::Config& config, ParentDirectory& dir, UniqueFd& lock,
                       std::string& error) {
  const std::string& path = config.socket_name->path;
  if (config.unix_socket_mode > 0777U) {
    error = "unix_socket_mode " + octal_mode(config.unix_socket_mode) + " is not within 0..0777";
    return false;
  }
  sockaddr_un whole{};
  if (!fill_sockaddr(path, whole)) {
    error = "socket path \"" + path + "\" must be 1 to 107 bytes without NUL";
    return false;
  }
  const os::TrustedUsers trusted(config.unix_socket_user.id);
  std::string walk_error;
  if (!os::open_parent_directory(path, trusted, os::FinalLink::keep, dir, walk_error)) {
    error = "socket " + path + ": " + walk_error;
    return false;
  }
  return check_socket_directory(dir, path, error) && lock_socket_name(dir, trusted, lock, error);
}

}  // namespace

BindResult bind_unix_socket(const config::Config& config) {
  BindResult result;
  const std::string& path = config.socket_name->path;
  ParentDirectory dir;
  UniqueFd lock;
  UniqueFd fd;
  if (!prepare_directory(config, dir, lock, result.error) ||
      !open_unix_socket(config, fd, result.error) ||
      !bind_by_path(dir, fd.get(), config.unix_socket_mode, path, result.error)) {
    return result;
  }
  const UniqueFd pinned(openat(dir.fd.get(), dir.name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  struct stat st {};
  if (!pinned.valid() || fstat(pinned.get(), &st) != 0) {
    result.error = "cannot open new socket " + path + ": " + errno_text(errno);
    return result;
  }
  ListeningSocket socket = ListeningSocket::adopt_unix(
      std::move(fd), {path, std::move(dir.fd), dir.name, st.st_dev, st.st_ino});
  if (!finish_socket_file(socket, pinned.get(), st, config, result.error)) {
    std::string ignored;
    socket.remove_unix_path(ignored);  // only while the name holds the socket we created
    return result;
  }
  MID_LOG(notice, "listening on UNIX socket %s (mode %s, owner %u:%u)", path.c_str(),
          octal_mode(st.st_mode).c_str(), static_cast<unsigned>(st.st_uid),
          static_cast<unsigned>(st.st_gid));
  result.socket = std::move(socket);
  return result;
}

}  // namespace mid::transport

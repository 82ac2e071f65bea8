#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <optional>
#include <string>

#include "os/unique_fd.hpp"

// Reaching the directory of a file the daemon must trust (its socket, its
// configuration file) by descriptor, one path component at a time, so that
// no one but root and the daemon's own users can steer where it lands
// (OS layer; docs/SOCKETS.md explains the rules and the attacks they stop).
namespace mid::os {

// Who may own a directory on the path or have made a symbolic link on it:
// root, the process's effective user, and optionally one more user (the
// socket's configured owner).
class TrustedUsers {
 public:
  explicit TrustedUsers(std::optional<uid_t> also = std::nullopt) noexcept;
  [[nodiscard]] bool contains(uid_t uid) const noexcept;
  // "root", "root or uid 1000", "root, uid 1000 or uid 65534": for messages.
  [[nodiscard]] std::string describe() const;

 private:
  uid_t self_;
  std::optional<uid_t> also_;
};

// Whether the path's last component, when it is a symbolic link, is
// followed (under the same rule as every other link) or left for the
// caller to find and refuse.
enum class FinalLink { keep, follow };

// The directory that holds the path's last component.
struct ParentDirectory {
  UniqueFd fd;        // O_PATH|O_DIRECTORY: for fstatat/openat/unlinkat/fchdir
  std::string name;   // the last component, relative to `fd`
  std::string shown;  // the directory as a path, for messages
  struct stat st {};  // fstat of `fd`
};

// Walks `path` from "/" (absolute) or the working directory (relative)
// with openat(O_PATH|O_NOFOLLOW|O_DIRECTORY) and checks every directory it
// enters, the first and the last included: a directory must be owned by a
// trusted user, and must not be writable by its group or others unless it
// is sticky (in a sticky directory only an entry's owner can rename or
// remove it, and the next step checks that owner). A symbolic link is
// followed only when a trusted user owns it (at most 40 links). "." and
// empty components are skipped; ".." steps to the parent, which is checked
// like any other directory. A path that ends in "/" or names a directory
// is refused. On failure returns false with `error` naming the directory
// or link and what is wrong with it; `out` is unspecified.
bool open_parent_directory(const std::string& path, const TrustedUsers& trusted,
                           FinalLink final_link, ParentDirectory& out, std::string& error);

// "0755": the permission bits of `mode` in octal, for messages.
[[nodiscard]] std::string octal_mode(mode_t mode);

}  // namespace mid::os

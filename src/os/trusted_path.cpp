#include "os/trusted_path.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>
#include <string_view>
#include <utility>
#include <vector>

namespace mid::os {
namespace {

constexpr int kMaxLinks = 40;  // as the kernel's own limit (ELOOP)
constexpr int kDirectoryFlags = O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC;

std::string errno_text(int errnum) {
  return std::strerror(errnum);
}

std::string join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// The state of one walk: where it stands and what is left to walk.
struct Walk {
  const TrustedUsers& trusted;
  UniqueFd dir;
  std::string shown;
  struct stat st {};
  std::deque<std::string> pending;
  int links = 0;
};

// Puts the components of `text` in front of what is left to walk.
void push_components(std::deque<std::string>& pending, std::string_view text) {
  std::vector<std::string> parts;
  while (!text.empty()) {
    const std::size_t slash = text.find('/');
    const std::string_view part = text.substr(0, slash);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    text = slash == std::string_view::npos ? std::string_view() : text.substr(slash + 1);
  }
  pending.insert(pending.begin(), parts.begin(), parts.end());
}

bool check_directory(const Walk& w, std::string& error) {
  if (!w.trusted.contains(w.st.st_uid)) {
    error = "directory " + w.shown + " is owned by uid " + std::to_string(w.st.st_uid) + "; only " +
            w.trusted.describe() + " may own a directory on this path";
    return false;
  }
  if ((w.st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (w.st.st_mode & S_ISVTX) == 0) {
    error = "directory " + w.shown +
            " is writable by its group or others without the sticky bit (mode " +
            octal_mode(w.st.st_mode) + "): they could swap what lies below it";
    return false;
  }
  return true;
}

// Makes `next` (just opened from the current directory) the current one.
bool enter(Walk& w, UniqueFd next, std::string shown, std::string& error) {
  if (!next.valid()) {
    const int err = errno;
    error = err == ENOTDIR ? shown + " is not a directory"
                           : "cannot open directory " + shown + ": " + errno_text(err);
    return false;
  }
  if (fstat(next.get(), &w.st) != 0) {
    error = "cannot stat directory " + shown + ": " + errno_text(errno);
    return false;
  }
  w.dir = std::move(next);
  w.shown = std::move(shown);
  return check_directory(w, error);
}

bool start(Walk& w, bool absolute, std::string& error) {
  const char* where = absolute ? "/" : ".";
  return enter(w, UniqueFd(open(where, kDirectoryFlags)), where, error);
}

// A link is followed only when someone trusted made it: a link planted by
// another user (in a sticky /tmp, say) could point anywhere.
bool follow_link(Walk& w, const std::string& name, const struct stat& link, std::string& error) {
  const std::string shown = join(w.shown, name);
  if (!w.trusted.contains(link.st_uid)) {
    error = "refusing to follow symbolic link " + shown + ": it is owned by uid " +
            std::to_string(link.st_uid) + ", not by " + w.trusted.describe();
    return false;
  }
  if (++w.links > kMaxLinks) {
    error = "too many symbolic links on the way to " + shown;
    return false;
  }
  std::string target(PATH_MAX, '\0');
  const ssize_t n = readlinkat(w.dir.get(), name.c_str(), target.data(), target.size());
  if (n <= 0 || static_cast<std::size_t>(n) >= target.size()) {
    error = "cannot read symbolic link " + shown + ": " + errno_text(n < 0 ? errno : ENAMETOOLONG);
    return false;
  }
  target.resize(static_cast<std::size_t>(n));
  push_components(w.pending, target);
  return target[0] != '/' || start(w, true, error);
}

// One step down (or up, for ".."), following a trusted link.
bool step(Walk& w, const std::string& name, std::string& error) {
  const std::string shown = join(w.shown, name);
  if (name == "..")
    return enter(w, UniqueFd(openat(w.dir.get(), "..", kDirectoryFlags)), shown, error);
  struct stat st {};
  if (fstatat(w.dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    const int err = errno;
    error = err == ENOENT ? "directory " + shown + " does not exist"
                          : "cannot stat " + shown + ": " + errno_text(err);
    return false;
  }
  if (S_ISLNK(st.st_mode)) return follow_link(w, name, st, error);
  return enter(w, UniqueFd(openat(w.dir.get(), name.c_str(), kDirectoryFlags)), shown, error);
}

// The last component: followed when it is a link and the caller asks so.
bool is_final_link(const Walk& w, const std::string& name, FinalLink final_link,
                   struct stat& st) noexcept {
  return final_link == FinalLink::follow &&
         fstatat(w.dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

}  // namespace

TrustedUsers::TrustedUsers(std::optional<uid_t> also) noexcept : self_(geteuid()), also_(also) {}

bool TrustedUsers::contains(uid_t uid) const noexcept {
  return uid == 0 || uid == self_ || (also_ && uid == *also_);
}

std::string TrustedUsers::describe() const {
  std::vector<std::string> names{"root"};
  if (self_ != 0) names.push_back("uid " + std::to_string(self_));
  if (also_ && *also_ != 0 && *also_ != self_) names.push_back("uid " + std::to_string(*also_));
  std::string text = names[0];
  for (std::size_t i = 1; i < names.size(); ++i) {
    text += (i + 1 == names.size() ? " or " : ", ") + names[i];
  }
  return text;
}

bool open_parent_directory(const std::string& path, const TrustedUsers& trusted,
                           FinalLink final_link, ParentDirectory& out, std::string& error) {
  const std::string_view last = std::string_view(path).substr(path.rfind('/') + 1);
  if (last.empty() || last == "." || last == "..") {
    error = "\"" + path + "\" does not name a file";
    return false;
  }
  Walk w{trusted, UniqueFd(), "", {}, {}, 0};
  push_components(w.pending, path);
  if (!start(w, path[0] == '/', error)) return false;
  while (!w.pending.empty()) {
    std::string name = std::move(w.pending.front());
    w.pending.pop_front();
    struct stat link {};
    if (w.pending.empty() && name != ".." && !is_final_link(w, name, final_link, link)) {
      out.fd = std::move(w.dir);
      out.name = std::move(name);
      out.shown = std::move(w.shown);
      out.st = w.st;
      return true;
    }
    const bool ok = w.pending.empty() && name != ".." ? follow_link(w, name, link, error)
                                                      : step(w, name, error);
    if (!ok) return false;
  }
  error = "\"" + path + "\" names a directory, not a file";
  return false;
}

std::string octal_mode(mode_t mode) {
  std::string text = "0000";
  for (std::size_t i = 4; i-- > 0; mode >>= 3U) text[i] = static_cast<char>('0' + (mode & 7U));
  return text;
}

}  // namespace mid::os

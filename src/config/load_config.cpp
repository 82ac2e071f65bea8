#include "config/load_config.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "config/settings.hpp"
#include "os/trusted_path.hpp"
#include "os/unique_fd.hpp"

namespace mid::config {
namespace {

constexpr std::size_t kMaxNssBuffer = std::size_t{1} << 20U;

ConfigError file_error(std::string_view file, std::string message) {
  return ConfigError{std::string(file), 0, "", std::move(message)};
}

// What a passwd or group lookup found.
struct Lookup {
  bool found = false;
  uint32_t id = 0;
  uint32_t primary_gid = 0;  // users only
  int error = 0;             // errno of a failed lookup (not "no such name")
};

std::size_t initial_buffer(int name) noexcept {
  const long size = ::sysconf(name);
  return size > 0 ? static_cast<std::size_t>(size) : 16384;
}

// Retries with a doubled buffer on ERANGE, up to kMaxNssBuffer.
template <class Call>
Lookup nss_lookup(int size_name, Call call) {
  std::vector<char> buffer(initial_buffer(size_name));
  while (true) {
    Lookup out;
    const int rc = call(buffer, out);
    if (rc != ERANGE || buffer.size() >= kMaxNssBuffer) {
      out.error = rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM ? 0 : rc;
      return out;
    }
    buffer.resize(buffer.size() * 2);
  }
}

Lookup user_by_name(const std::string& name) {
  return nss_lookup(_SC_GETPW_R_SIZE_MAX, [&](std::vector<char>& buf, Lookup& out) {
    passwd pw{};
    passwd* result = nullptr;
    const int rc = ::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &result);
    if (rc == 0 && result != nullptr) out = Lookup{true, pw.pw_uid, pw.pw_gid, 0};
    return rc;
  });
}

Lookup user_by_id(uint32_t uid) {
  return nss_lookup(_SC_GETPW_R_SIZE_MAX, [&](std::vector<char>& buf, Lookup& out) {
    passwd pw{};
    passwd* result = nullptr;
    const int rc = ::getpwuid_r(uid, &pw, buf.data(), buf.size(), &result);
    if (rc == 0 && result != nullptr) out = Lookup{true, pw.pw_uid, pw.pw_gid, 0};
    return rc;
  });
}

Lookup group_by_name(const std::string& name) {
  return nss_lookup(_SC_GETGR_R_SIZE_MAX, [&](std::vector<char>& buf, Lookup& out) {
    group gr{};
    group* result = nullptr;
    const int rc = ::getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &result);
    if (rc == 0 && result != nullptr) out = Lookup{true, gr.gr_gid, 0, 0};
    return rc;
  });
}

ConfigError principal_error(std::string_view file, const Principal& p, std::string_view key,
                            std::string message) {
  return ConfigError{std::string(p.line == 0 ? kCommandLine : file), p.line, std::string(key),
                     std::move(message)};
}

// Sets p.id from p.text when it is a name; `is_user` picks passwd or group.
std::optional<ConfigError> resolve(Principal& p, std::string_view key, bool is_user,
                                   std::string_view file) {
  if (p.text.empty() || p.id) return std::nullopt;
  const Lookup found = is_user ? user_by_name(p.text) : group_by_name(p.text);
  const std::string_view kind = is_user ? "user" : "group";
  if (found.error != 0) {
    return principal_error(file, p, key,
                           "cannot look up " + std::string(kind) + " " + quote_for_message(p.text) +
                               ": " + std::strerror(found.error));
  }
  if (!found.found) {
    return principal_error(file, p, key,
                           "unknown " + std::string(kind) + " " + quote_for_message(p.text));
  }
  p.id = found.id;
  return std::nullopt;
}

std::optional<ConfigError> resolve_list(std::vector<Principal>& names, std::vector<uint32_t>& ids,
                                        std::string_view key, bool is_user, std::string_view file) {
  for (Principal& p : names) {
    if (auto error = resolve(p, key, is_user, file)) return error;
    ids.push_back(*p.id);
  }
  names.clear();
  return std::nullopt;
}

// user unset and root: the dedicated user where the packages created it
// (group: its primary group, below), else nobody, and nogroup (or
// nobody's primary group). nobody is shared with other services.
std::optional<ConfigError> default_run_as(Config& config, std::string_view file) {
  if (config.user.text.empty()) {
    const Lookup dedicated = user_by_name(std::string(kDedicatedUser));
    if (dedicated.error != 0) {
      return ConfigError{std::string(file), 0, "user",
                         "cannot look up user \"" + std::string(kDedicatedUser) +
                             "\": " + std::strerror(dedicated.error)};
    }
    if (dedicated.found) config.user = Principal{std::string(kDedicatedUser), dedicated.id, 0};
  }
  if (config.user.text.empty()) {
    const Lookup nobody = user_by_name("nobody");
    if (!nobody.found) {
      return ConfigError{std::string(file), 0, "user",
                         "no user \"nobody\" to run as by default; set user"};
    }
    config.user = Principal{"nobody", nobody.id, 0};
    if (config.group.text.empty()) {
      const Lookup nogroup = group_by_name("nogroup");
      config.group = nogroup.found
                         ? Principal{"nogroup", nogroup.id, 0}
                         : Principal{std::to_string(nobody.primary_gid), nobody.primary_gid, 0};
    }
  }
  if (config.group.text.empty()) {
    const Lookup user = user_by_id(*config.user.id);
    if (!user.found) {
      return principal_error(file, config.user, "group",
                             "user " + quote_for_message(config.user.text) +
                                 " has no passwd entry to take a primary group from; set group");
    }
    config.group = Principal{std::to_string(user.primary_gid), user.primary_gid, config.user.line};
  }
  return std::nullopt;
}

// Only root, or the user running the program when that is not root, may
// be able to change the file: anyone else who could write it could make
// the daemon run as root, or serve everyone. The same holds for every
// directory on the way to it (os::open_parent_directory), and a symbolic
// link is followed only when one of them made it. The checks apply to the
// opened descriptor, so the file checked is the file read.
std::optional<ConfigError> check_config_file(const std::string& path, const struct stat& st,
                                             const os::TrustedUsers& trusted) {
  if (!S_ISREG(st.st_mode)) return file_error(path, "not a regular file");
  if (!trusted.contains(st.st_uid)) {
    return file_error(path, "refusing a configuration file owned by uid " +
                                std::to_string(st.st_uid) + ": only " + trusted.describe() +
                                " may own it");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return file_error(path, "refusing a configuration file writable by its group or others (mode " +
                                os::octal_mode(st.st_mode) + "; chmod go-w)");
  }
  return std::nullopt;
}

}  // namespace

std::optional<ConfigError> read_config_file(const std::string& path, std::string& out) {
  const os::TrustedUsers trusted;
  os::ParentDirectory dir;
  std::string error;
  if (!os::open_parent_directory(path, trusted, os::FinalLink::follow, dir, error)) {
    return file_error(path, error);
  }
  const os::UniqueFd fd(::openat(dir.fd.get(), dir.name.c_str(),
                                 O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW));
  if (!fd.valid()) return file_error(path, std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return file_error(path, std::string("cannot stat: ") + std::strerror(errno));
  }
  if (auto refused = check_config_file(path, st, trusted)) return refused;
  const std::string too_large = "file is larger than 1048576 bytes (1 MiB)";
  if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > kMaxConfigFile) {
    return file_error(path, too_large);
  }
  out.assign(kMaxConfigFile + 1, '\0');  // one more byte shows a file that grew past the bound
  std::size_t used = 0;
  while (used < out.size()) {
    const ssize_t n = ::read(fd.get(), &out[used], out.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return file_error(path, std::string("cannot read: ") + std::strerror(errno));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  out.resize(used);
  if (used > kMaxConfigFile) return file_error(path, too_large);
  return std::nullopt;
}

std::optional<ConfigError> resolve_names(Config& config, std::string_view file_name, bool as_root) {
  const std::string_view f = file_name;
  if (auto e = resolve(config.user, "user", true, f)) return e;
  if (auto e = resolve(config.group, "group", false, f)) return e;
  if (auto e = resolve(config.unix_socket_user, "unix_socket_user", true, f)) return e;
  if (auto e = resolve(config.unix_socket_group, "unix_socket_group", false, f)) return e;
  if (auto e = resolve_list(config.allowed_uid_names, config.allowed_uids, "allowed_uids", true, f))
    return e;
  if (auto e =
          resolve_list(config.allowed_gid_names, config.allowed_gids, "allowed_gids", false, f))
    return e;
  for (AccessRule& rule : config.access) {  // user:NAME and group:NAME
    if (!rule.who.by_name) continue;
    const bool is_user = rule.who.kind == AccessWhoKind::uid;
    if (auto e = resolve(rule.who.principal, "access", is_user, f)) return e;
  }
  if (as_root || !config.user.text.empty()) return default_run_as(config, file_name);
  return std::nullopt;
}

ConfigResult load_config(const std::string& path, std::span<const Override> overrides) {
  std::string text;
  if (!path.empty()) {
    if (auto error = read_config_file(path, text)) return std::move(*error);
  }
  // Without a file, errors about the whole configuration name the command line.
  const std::string origin = path.empty() ? std::string(kCommandLine) : path;
  ConfigResult result = parse_config_settings(text, origin);
  if (!result) return result;
  Config& config = result.value();
  for (const Override& o : overrides) {
    if (auto message = apply_setting(config, o.key, o.value, 0)) {
      return ConfigError{std::string(kCommandLine), 0, std::string(o.key), std::move(*message)};
    }
  }
  if (auto error = check_complete(config, origin)) return std::move(*error);
  if (auto error = resolve_names(config, origin, ::geteuid() == 0)) return std::move(*error);
  return result;
}

Config load_config_or_die(const std::string& path, std::span<const Override> overrides) {
  ConfigResult result = load_config(path, overrides);
  if (!result) {
    const std::string line = to_string(result.error()) + "\n";
    (void)std::fputs(line.c_str(), stderr);
    std::exit(2);
  }
  return std::move(result.value());
}

}  // namespace mid::config

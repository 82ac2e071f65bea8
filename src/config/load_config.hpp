#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "config/config_error.hpp"
#include "config/parse_config.hpp"

// Loading the configuration (OS layer): read the file, parse it (pure
// parse_config), apply command-line overrides, resolve every user and group
// name to a number and fill in the run-as defaults. All of it happens
// before anything is bound, so no name-service call is ever needed after
// the sandbox is on.
namespace mid::config {

// A setting given on the command line ("--children 4" -> {"children_count", "4"}).
// Validated by the same apply_setting as the file; its errors read
// "command line: KEY: what is wrong".
struct Override {
  std::string_view key;
  std::string_view value;
};

inline constexpr std::string_view kCommandLine = "command line";

// The run-as user the packages create (packaging/sysusers): the default
// where it exists, as `nobody` is shared with other services.
inline constexpr std::string_view kDedicatedUser = "_mi-datagram";

// Reads `path` into `out`. Refuses (ConfigError at line 0, the message
// naming what is wrong): a file that anyone but root (or, when the program
// does not run as root, the user running it) owns or can write through its
// group or others; a directory on the way that such a user owns, or can
// write without the sticky bit; a symbolic link that such a user made
// (links made by root or the invoking user are followed); a file that
// cannot be opened; anything but a regular file (a FIFO, a directory, a
// device); and a file over kMaxConfigFile bytes (checked on the size and
// again while reading). The checks apply to the opened descriptor.
[[nodiscard]] std::optional<ConfigError> read_config_file(const std::string& path,
                                                          std::string& out);

// Resolves names to ids in place: user, group, unix_socket_user,
// unix_socket_group, allowed_uid_names/allowed_gid_names (their ids are
// appended to allowed_uids/allowed_gids and the name lists emptied), and
// the user:NAME and group:NAME of `access` rules (their principal's id).
// An unknown name is `FILE:LINE: key: unknown user "x"` (or group), at the
// line stored with it; a name set from the command line (line 0) is
// reported against "command line".
// Defaults when `as_root`: user unset -> kDedicatedUser where it exists,
// else nobody, and group unset -> nogroup (or nobody's primary group
// where there is no nogroup); user set (or the dedicated user) and group
// unset -> the user's primary group. Not root: run-as stays unset.
[[nodiscard]] std::optional<ConfigError> resolve_names(Config& config, std::string_view file_name,
                                                       bool as_root);

// The whole sequence: read_config_file, parse_config_settings, the
// overrides in order, check_complete, resolve_names (as_root = geteuid()==0).
// An empty `path` means no file: the overrides alone, with whole-file
// errors reported against "command line".
[[nodiscard]] ConfigResult load_config(const std::string& path,
                                       std::span<const Override> overrides = {});

// load_config, or print the error to stderr as one line and exit(2).
[[nodiscard]] Config load_config_or_die(const std::string& path,
                                        std::span<const Override> overrides = {});

}  // namespace mid::config

#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include "config/config.hpp"
#include "config/config_error.hpp"

// Parsing the text of mi-datagramd.conf (docs/CONFIGURATION.md). Pure:
// links only the standard library, no syscalls, no globals, no logging.
namespace mid::config {

// A whole file is at most 1 MiB: a real one is a few hundred bytes, and
// the bound keeps parsing cheap and a mistaken path (a log, a disk image)
// from being read whole.
inline constexpr std::size_t kMaxConfigFile = std::size_t{1} << 20U;
// One line is at most 4096 bytes (without its line end): the longest
// sensible value is an allow_from or allowed_uids list.
inline constexpr std::size_t kMaxConfigLine = 4096;

// Either a Config or the first ConfigError met.
class ConfigResult {
 public:
  ConfigResult(Config config) noexcept : v_(std::move(config)) {}     // NOLINT: implicit
  ConfigResult(ConfigError error) noexcept : v_(std::move(error)) {}  // NOLINT: implicit
  [[nodiscard]] bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  // Precondition: ok().
  [[nodiscard]] const Config& value() const& noexcept { return *std::get_if<Config>(&v_); }
  [[nodiscard]] Config& value() & noexcept { return *std::get_if<Config>(&v_); }
  // Precondition: !ok().
  [[nodiscard]] const ConfigError& error() const noexcept { return *std::get_if<ConfigError>(&v_); }

 private:
  std::variant<Config, ConfigError> v_;
};

// Parses a whole file's text, applying each setting in order through
// apply_setting (later lines win) on top of the defaults in config.hpp.
//
// Input: any bytes. Lines end with "\n" or "\r\n"; the last may lack one.
// Errors, the first one met (`file_name` is copied into it):
//   text over kMaxConfigFile bytes   line 0, "file is larger than 1048576 bytes"
//   a line over kMaxConfigLine bytes "line is longer than 4096 bytes"
//   a syntax error (config_syntax.hpp), an unknown key, an invalid value
//   no socket_name anywhere          line 0, key socket_name (parse_config only)
// Names of users and groups are kept as written, with their line, for
// load_config to resolve. Linear in text.size(), no recursion; std::bad_alloc
// terminates.
[[nodiscard]] ConfigResult parse_config(std::string_view text, std::string_view file_name) noexcept;

// parse_config without the check that socket_name is set: for a caller that
// applies more settings (command-line flags) before check_complete.
[[nodiscard]] ConfigResult parse_config_settings(std::string_view text,
                                                 std::string_view file_name) noexcept;

// The error for a setting that is required and missing (only socket_name),
// reported at line 0 of `file_name`; nullopt when complete.
[[nodiscard]] std::optional<ConfigError> check_complete(const Config& config,
                                                        std::string_view file_name);

}  // namespace mid::config

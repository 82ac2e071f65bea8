#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"

// What each setting means: one validating setter per key, shared by the
// configuration file (parse_config) and the daemon's command-line flags,
// so a value is accepted or refused the same way wherever it is written.
namespace mid::config {

// Sets `key` to `value` (already unquoted) in `config`.
// Returns nullopt on success, or the message of the error ("must be an
// integer from 1 to 64, got \"abc\""), without file, line or key; the caller
// wraps it in a ConfigError. `line` is stored with user and group names so
// load_config can report where an unknown name was written (0 = not from a
// file line). Unknown key: "unknown setting".
// A later call for the same key replaces the earlier value (last wins),
// lists included: "allowed_uids = 1" then "allowed_uids = 2" leaves {2};
// except `access`, whose every line appends one rule (first match wins).
// Pure; linear in value.size(); std::bad_alloc terminates.
[[nodiscard]] std::optional<std::string> apply_setting(Config& config, std::string_view key,
                                                       std::string_view value,
                                                       unsigned line) noexcept;

// Every key apply_setting accepts, in documentation order.
[[nodiscard]] std::span<const std::string_view> setting_names() noexcept;

// A user or group as the settings take it: a strict decimal id from 0 to
// kMaxId (id set), or an account name (id unset, for load_config), with
// the `line` it was written on. Nullopt when it is neither.
[[nodiscard]] std::optional<Principal> principal_from_text(std::string_view text, unsigned line);

// Bounds the setters enforce (documented in docs/CONFIGURATION.md).
inline constexpr unsigned kMaxChildren = 64;
inline constexpr unsigned kMaxSocketMode = 0777;
inline constexpr unsigned kMaxSocketTimeoutMs = 60000;
inline constexpr unsigned kMinSocketBuf = 65457;             // one whole datagram
inline constexpr unsigned kMaxSocketBuf = 16U << 20U;        // 16 MiB
inline constexpr unsigned kMaxSocketSendBuffer = 1U << 30U;  // 1 GiB of unread replies
inline constexpr std::size_t kMaxPrincipalName = 32;         // useradd's limit on Debian
// (uid_t)-1 means "leave unchanged" to chown and setresuid: never an id.
inline constexpr uint32_t kMaxId = 4294967294U;

}  // namespace mid::config

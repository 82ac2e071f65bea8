#include "config/settings.hpp"

#include <array>
#include <cstddef>

#include "config/access_rule.hpp"
#include "config/config_error.hpp"
#include "config/ip_address.hpp"
#include "config/socket_address.hpp"
#include "core/limits.hpp"

namespace mid::config {
namespace {

using Message = std::optional<std::string>;
using Setter = Message (*)(Config&, std::string_view, unsigned);

[[nodiscard]] bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
[[nodiscard]] bool all_digits(std::string_view s) noexcept {
  for (const char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

// Strict decimal: digits only, no sign, no leading zero (except "0" itself).
[[nodiscard]] std::optional<uint32_t> parse_decimal(std::string_view s, uint32_t min,
                                                    uint32_t max) noexcept {
  if (!all_digits(s) || s.size() > 10 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  uint64_t value = 0;
  for (const char c : s) value = value * 10 + static_cast<uint64_t>(c - '0');
  if (value < min || value > max) return std::nullopt;
  return static_cast<uint32_t>(value);
}

[[nodiscard]] std::string must_be(std::string_view what, std::string_view value) {
  return "must be " + std::string(what) + ", got " + quote_for_message(value);
}

[[nodiscard]] std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A POSIX-style account name as useradd accepts it, or a number.
[[nodiscard]] bool is_principal_name(std::string_view s) noexcept {
  if (s.empty() || s.size() > kMaxPrincipalName) return false;
  if (s.back() == '$') s.remove_suffix(1);  // Samba machine accounts
  if (s.empty() || is_digit(s[0]) || s[0] == '-' || s[0] == '.') return false;
  for (const char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

[[nodiscard]] std::optional<Principal> parse_principal(std::string_view s, unsigned line) {
  Principal p{std::string(s), std::nullopt, line};
  if (all_digits(s)) {
    p.id = parse_decimal(s, 0, kMaxId);
    if (!p.id) return std::nullopt;
    return p;
  }
  if (!is_principal_name(s)) return std::nullopt;
  return p;
}

constexpr std::string_view kUserWhat = "a user name or a number from 0 to 4294967294";
constexpr std::string_view kGroupWhat = "a group name or a number from 0 to 4294967294";

Message set_principal(Principal& out, std::string_view value, unsigned line,
                      std::string_view what) {
  auto p = parse_principal(value, line);
  if (!p) return must_be(what, value);
  out = std::move(*p);
  return std::nullopt;
}

// Splits a comma-separated list; each entry is trimmed. An empty value is
// an empty list; an empty entry is handed to `each` (which refuses it).
template <class Each>
Message for_each_entry(std::string_view value, Each each) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  while (true) {
    const std::size_t comma = value.find(',');
    if (Message m = each(trim(value.substr(0, comma)))) return m;
    if (comma == std::string_view::npos) return std::nullopt;
    value.remove_prefix(comma + 1);
  }
}

Message set_id_list(std::vector<uint32_t>& ids, std::vector<Principal>& names,
                    std::string_view value, unsigned line, std::string_view what) {
  std::vector<uint32_t> new_ids;
  std::vector<Principal> new_names;
  Message m = for_each_entry(value, [&](std::string_view entry) -> Message {
    auto p = parse_principal(entry, line);
    if (!p) {
      return "must be a comma-separated list of " + std::string(what) + "; " +
             quote_for_message(entry) + " is neither";
    }
    if (p->id)
      new_ids.push_back(*p->id);
    else
      new_names.push_back(std::move(*p));
    return std::nullopt;
  });
  if (m) return m;
  ids = std::move(new_ids);
  names = std::move(new_names);
  return std::nullopt;
}

template <std::size_t N>
std::optional<std::size_t> find_word(const std::array<std::string_view, N>& words,
                                     std::string_view value) noexcept {
  for (std::size_t i = 0; i < N; ++i) {
    if (words[i] == value) return i;
  }
  return std::nullopt;
}

Message set_socket_name(Config& c, std::string_view v, unsigned /*line*/) {
  auto address = parse_socket_address(v);
  if (!address) {
    return std::string(core::to_string(address.error().code)) + ", got " + quote_for_message(v);
  }
  c.socket_name = std::move(address).value();
  return std::nullopt;
}

Message set_children_count(Config& c, std::string_view v, unsigned /*line*/) {
  const auto n = parse_decimal(v, 1, kMaxChildren);
  if (!n) return must_be("an integer from 1 to 64", v);
  c.children_count = *n;
  return std::nullopt;
}

// Octal with an optional leading 0: "0600", "600", "0". No sign, no "0o".
Message set_unix_socket_mode(Config& c, std::string_view v, unsigned /*line*/) {
  unsigned mode = 0;
  bool ok = !v.empty() && v.size() <= 4;
  for (const char ch : v) {
    ok = ok && ch >= '0' && ch <= '7';
    if (ok) mode = mode * 8 + static_cast<unsigned>(ch - '0');
  }
  if (!ok || mode > kMaxSocketMode) return must_be("an octal mode from 0 to 0777", v);
  c.unix_socket_mode = mode;
  return std::nullopt;
}

Message set_unix_socket_user(Config& c, std::string_view v, unsigned line) {
  return set_principal(c.unix_socket_user, v, line, kUserWhat);
}
Message set_unix_socket_group(Config& c, std::string_view v, unsigned line) {
  return set_principal(c.unix_socket_group, v, line, kGroupWhat);
}
Message set_user(Config& c, std::string_view v, unsigned line) {
  return set_principal(c.user, v, line, kUserWhat);
}
Message set_group(Config& c, std::string_view v, unsigned line) {
  return set_principal(c.group, v, line, kGroupWhat);
}

Message set_socket_timeout(Config& c, std::string_view v, unsigned /*line*/) {
  const auto n = parse_decimal(v, 1, kMaxSocketTimeoutMs);
  if (!n) return must_be("an integer from 1 to 60000 (milliseconds)", v);
  c.socket_timeout_ms = *n;
  return std::nullopt;
}

Message set_reply_indent(Config& c, std::string_view v, unsigned /*line*/) {
  bool ok = v.size() <= core::kMaxIndent;
  for (const char ch : v) ok = ok && (ch == ' ' || ch == '\t');
  if (!ok) return must_be("at most 16 spaces or tabs (in double quotes)", v);
  c.reply_indent = std::string(v);
  return std::nullopt;
}

Message set_sandbox(Config& c, std::string_view v, unsigned /*line*/) {
  static constexpr std::array<std::string_view, 3> kWords = {"kill", "trap", "off"};
  const auto i = find_word(kWords, v);
  if (!i) return must_be("kill, trap or off", v);
  c.sandbox = static_cast<SandboxMode>(*i);
  return std::nullopt;
}

Message set_socket_buf_size(Config& c, std::string_view v, unsigned /*line*/) {
  const auto n = parse_decimal(v, kMinSocketBuf, kMaxSocketBuf);
  if (!n) return must_be("an integer from 65457 to 16777216 (bytes)", v);
  c.socket_buf_size = *n;
  return std::nullopt;
}

Message set_socket_send_buffer(Config& c, std::string_view v, unsigned /*line*/) {
  const auto n = parse_decimal(v, kMinSocketBuf, kMaxSocketSendBuffer);
  if (!n) return must_be("an integer from 65457 to 1073741824 (bytes)", v);
  c.socket_send_buffer = *n;
  return std::nullopt;
}

Message set_log_level(Config& c, std::string_view v, unsigned /*line*/) {
  static constexpr std::array<std::string_view, 10> kWords = {
      "error", "warning", "notice", "info", "debug", "0", "1", "2", "3", "4"};
  const auto i = find_word(kWords, v);
  if (!i) return must_be("error, warning, notice, info, debug or 0 to 4", v);
  c.log_level = static_cast<int>(*i % 5);
  return std::nullopt;
}

Message set_log_target(Config& c, std::string_view v, unsigned /*line*/) {
  static constexpr std::array<std::string_view, 2> kWords = {"stderr", "syslog"};
  const auto i = find_word(kWords, v);
  if (!i) return must_be("stderr or syslog", v);
  c.log_target = *i == 0 ? LogTarget::stderr_stream : LogTarget::syslog;
  return std::nullopt;
}

Message set_allowed_uids(Config& c, std::string_view v, unsigned line) {
  return set_id_list(c.allowed_uids, c.allowed_uid_names, v, line, "user names or numbers");
}
Message set_allowed_gids(Config& c, std::string_view v, unsigned line) {
  return set_id_list(c.allowed_gids, c.allowed_gid_names, v, line, "group names or numbers");
}

Message set_allow_from(Config& c, std::string_view v, unsigned /*line*/) {
  std::vector<Cidr> list;
  Message m = for_each_entry(v, [&](std::string_view entry) -> Message {
    Cidr cidr;
    const CidrError e = parse_cidr(entry, cidr);
    if (e != CidrError::kNone) {
      return "must be a comma-separated list of IPv4 or IPv6 addresses or CIDRs; " +
             quote_for_message(entry) + " " + std::string(to_string(e));
    }
    list.push_back(cidr);
    return std::nullopt;
  });
  if (m) return m;
  c.allow_from = std::move(list);
  return std::nullopt;
}

Message set_yes_no(bool& out, std::string_view v) {
  static constexpr std::array<std::string_view, 6> kWords = {"yes", "true",  "1",
                                                             "no",  "false", "0"};
  const auto i = find_word(kWords, v);
  if (!i) return must_be("yes, no, true, false, 1 or 0", v);
  out = *i < 3;
  return std::nullopt;
}

Message set_enable_kill(Config& c, std::string_view v, unsigned /*line*/) {
  return set_yes_no(c.enable_kill, v);
}

Message set_pretty_printing(Config& c, std::string_view v, unsigned /*line*/) {
  return set_yes_no(c.pretty_printing, v);
}

// The one setting a later line adds to instead of replacing: rules are
// read in order, first match wins.
Message set_access(Config& c, std::string_view v, unsigned line) {
  AccessRule rule;
  if (Message m = parse_access_rule(v, line, rule)) return m;
  c.access.push_back(std::move(rule));
  return std::nullopt;
}

struct Setting {
  std::string_view name;
  Setter set;
};

constexpr std::array<Setting, 20> kSettings = {{
    {"socket_name", set_socket_name},
    {"children_count", set_children_count},
    {"unix_socket_mode", set_unix_socket_mode},
    {"unix_socket_user", set_unix_socket_user},
    {"unix_socket_group", set_unix_socket_group},
    {"socket_timeout", set_socket_timeout},
    {"reply_indent", set_reply_indent},
    {"user", set_user},
    {"group", set_group},
    {"sandbox", set_sandbox},
    {"socket_buf_size", set_socket_buf_size},
    {"socket_send_buffer", set_socket_send_buffer},
    {"log_level", set_log_level},
    {"log_target", set_log_target},
    {"allowed_uids", set_allowed_uids},
    {"allowed_gids", set_allowed_gids},
    {"allow_from", set_allow_from},
    {"enable_kill", set_enable_kill},
    {"pretty_printing", set_pretty_printing},
    {"access", set_access},
}};

constexpr std::array<std::string_view, kSettings.size()> kNames = [] {
  std::array<std::string_view, kSettings.size()> out{};
  for (std::size_t i = 0; i < kSettings.size(); ++i) out[i] = kSettings[i].name;
  return out;
}();

}  // namespace

std::optional<std::string> apply_setting(Config& config, std::string_view key,
                                         std::string_view value, unsigned line) noexcept {
  for (const Setting& s : kSettings) {
    if (s.name == key) return s.set(config, value, line);
  }
  return std::string("unknown setting");
}

std::span<const std::string_view> setting_names() noexcept {
  return kNames;
}

std::optional<Principal> principal_from_text(std::string_view text, unsigned line) {
  return parse_principal(text, line);
}

}  // namespace mid::config

#include "config/format_config.hpp"

#include <array>

#include "config/ip_address.hpp"
#include "config/socket_address.hpp"

namespace mid::config {
namespace {

void line(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += " = ";
  out += quote_value(value);
  out += '\n';
}

void principal(std::string& out, std::string_view key, const Principal& p) {
  if (p.text.empty()) {
    out += "# ";
    out += key;
    out += " is not set\n";
    return;
  }
  line(out, key, p.text);
}

std::string id_list(const std::vector<uint32_t>& ids, const std::vector<Principal>& names) {
  std::string out;
  for (const uint32_t id : ids) {
    if (!out.empty()) out += ", ";
    out += std::to_string(id);
  }
  for (const Principal& p : names) {
    if (!out.empty()) out += ", ";
    out += p.text;
  }
  return out;
}

std::string octal_mode(unsigned mode) {
  std::string out = "0";
  for (int shift = 6; shift >= 0; shift -= 3) {
    out += static_cast<char>('0' + ((mode >> static_cast<unsigned>(shift)) & 7U));
  }
  return out;
}

void seed_settings(std::string& out, const Config& c) {
  if (c.socket_name) {
    line(out, "socket_name", format_socket_address(*c.socket_name));
  } else {
    out += "# socket_name is not set\n";
  }
  line(out, "children_count", std::to_string(c.children_count));
  line(out, "unix_socket_mode", octal_mode(c.unix_socket_mode));
  principal(out, "unix_socket_user", c.unix_socket_user);
  principal(out, "unix_socket_group", c.unix_socket_group);
  line(out, "socket_timeout", std::to_string(c.socket_timeout_ms));
  line(out, "reply_indent", c.reply_indent);
}

void our_settings(std::string& out, const Config& c) {
  static constexpr std::array<std::string_view, 3> kSandbox = {"kill", "trap", "off"};
  static constexpr std::array<std::string_view, 5> kLevels = {"error", "warning", "notice", "info",
                                                              "debug"};
  principal(out, "user", c.user);
  principal(out, "group", c.group);
  line(out, "sandbox", kSandbox.at(static_cast<std::size_t>(c.sandbox)));
  line(out, "socket_buf_size", std::to_string(c.socket_buf_size));
  const bool level_ok = c.log_level >= 0 && c.log_level < 5;
  line(out, "log_level", level_ok ? kLevels.at(static_cast<std::size_t>(c.log_level)) : "notice");
  line(out, "log_target", c.log_target == LogTarget::syslog ? "syslog" : "stderr");
  line(out, "allowed_uids", id_list(c.allowed_uids, c.allowed_uid_names));
  line(out, "allowed_gids", id_list(c.allowed_gids, c.allowed_gid_names));
  std::string networks;
  for (const Cidr& cidr : c.allow_from) {
    if (!networks.empty()) networks += ", ";
    networks += format_cidr(cidr);
  }
  line(out, "allow_from", networks);
  line(out, "enable_kill", c.enable_kill ? "yes" : "no");
}

}  // namespace

std::string quote_value(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string format_config(const Config& config) {
  std::string out;
  seed_settings(out, config);
  our_settings(out, config);
  return out;
}

}  // namespace mid::config

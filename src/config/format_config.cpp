#include "config/format_config.hpp"

#include <array>
#include <vector>

#include "config/access_rule.hpp"
#include "config/ip_address.hpp"
#include "config/parse_config.hpp"
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

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// A list is the one value that can grow when written back (", " for ",",
// the quotes, " = " for "=", "/32" for a bare address), and parse_config
// refuses lines over kMaxConfigLine. When the usual form would be too long,
// the list is written compactly: `key=a,b` with bare addresses, never
// longer than the line parse_config read it from. Items need no quotes:
// numbers, account names and addresses hold no blank, '#', '"' or '\\'.
void list_line(std::string& out, std::string_view key, const std::vector<std::string>& items,
               const std::vector<std::string>& compact_items) {
  const std::string value = join(items, ", ");
  if (key.size() + 3 + quote_value(value).size() <= kMaxConfigLine) {
    line(out, key, value);
    return;
  }
  out += key;
  out += '=';
  out += join(compact_items, ",");
  out += '\n';
}

void id_list(std::string& out, std::string_view key, const std::vector<uint32_t>& ids,
             const std::vector<Principal>& names) {
  std::vector<std::string> items;
  items.reserve(ids.size() + names.size());
  for (const uint32_t id : ids) items.push_back(std::to_string(id));
  for (const Principal& p : names) items.push_back(p.text);
  list_line(out, key, items, items);
}

// The shortest text of a network: a bare address for a full-length prefix,
// and an IPv6 address with a single zero group written "::" when it has
// no longer run (RFC 5952 leaves those uncompressed; a user may not have).
std::string compact_cidr(const Cidr& cidr) {
  std::string text = format_cidr(cidr);
  const std::string full = cidr.v6 ? "/128" : "/32";
  if (text.ends_with(full)) text.resize(text.size() - full.size());
  const std::size_t zero = text.find(":0:");
  if (cidr.v6 && text.find("::") == std::string::npos && zero != std::string::npos) {
    text.replace(zero, 3, "::");
  }
  return text;
}

std::string octal_mode(unsigned mode) {
  std::string out = "0";
  for (int shift = 6; shift >= 0; shift -= 3) {
    out += static_cast<char>('0' + ((mode >> static_cast<unsigned>(shift)) & 7U));
  }
  return out;
}

// One line per rule, in order. Like a list, a rule read from a full line
// can grow when written back (quotes, " = ", a network's "/128"); then it
// is written `access=WHO WHAT` with a bare address, never longer than the
// line it was read from (the value holds no blank at either end, no '"'
// and no '#').
void access_lines(std::string& out, const std::vector<AccessRule>& rules) {
  if (rules.empty()) {
    out += "# access is not set: every peer the lists above admit runs every command\n";
    return;
  }
  for (const AccessRule& rule : rules) {
    std::string value = format_access_rule(rule);
    if (6 + 3 + quote_value(value).size() <= kMaxConfigLine) {
      line(out, "access", value);
      continue;
    }
    if (rule.who.kind == AccessWhoKind::udp) {
      value.replace(0, value.find(' '), "udp:" + compact_cidr(rule.who.network));
    }
    out += "access=";
    out += value;
    out += '\n';
  }
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
  line(out, "socket_send_buffer", std::to_string(c.socket_send_buffer));
  const bool level_ok = c.log_level >= 0 && c.log_level < 5;
  line(out, "log_level", level_ok ? kLevels.at(static_cast<std::size_t>(c.log_level)) : "notice");
  line(out, "log_target", c.log_target == LogTarget::syslog ? "syslog" : "stderr");
  id_list(out, "allowed_uids", c.allowed_uids, c.allowed_uid_names);
  id_list(out, "allowed_gids", c.allowed_gids, c.allowed_gid_names);
  std::vector<std::string> networks;
  std::vector<std::string> compact_networks;
  for (const Cidr& cidr : c.allow_from) {
    networks.push_back(format_cidr(cidr));
    compact_networks.push_back(compact_cidr(cidr));
  }
  list_line(out, "allow_from", networks, compact_networks);
  line(out, "enable_kill", c.enable_kill ? "yes" : "no");
  line(out, "pretty_printing", c.pretty_printing ? "yes" : "no");
  access_lines(out, c.access);
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

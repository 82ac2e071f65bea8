#include "config/access_rule.hpp"

#include <algorithm>
#include <array>

#include "config/config_error.hpp"
#include "config/ip_address.hpp"
#include "config/settings.hpp"
#include "core/limits.hpp"
#include "protocol/text/grammar.hpp"

namespace mid::config {
namespace {

using Message = std::optional<std::string>;

constexpr std::string_view kWhoForms =
    "*, uid:N, user:NAME, gid:N, group:NAME or udp:ADDRESS[/PREFIX]";

Message bad_who(std::string_view who, std::string_view why) {
  return "WHO must be " + std::string(kWhoForms) + "; " + quote_for_message(who) + " " +
         std::string(why);
}

struct WhoPrefix {
  std::string_view prefix;
  AccessWhoKind kind;
  bool name_allowed;
};

constexpr std::array<WhoPrefix, 4> kIdPrefixes = {{
    {"uid:", AccessWhoKind::uid, false},
    {"user:", AccessWhoKind::uid, true},
    {"gid:", AccessWhoKind::gid, false},
    {"group:", AccessWhoKind::gid, true},
}};

Message parse_id_who(const WhoPrefix& form, std::string_view who, unsigned line, AccessWho& out) {
  const std::string_view text = who.substr(form.prefix.size());
  std::optional<Principal> principal = principal_from_text(text, line);
  if (!principal || (!form.name_allowed && !principal->id)) {
    return bad_who(who, form.name_allowed ? "is not a valid name or number"
                                          : "is not a number from 0 to 4294967294");
  }
  out.kind = form.kind;
  out.by_name = !principal->id;
  if (principal->id) principal->line = 0;  // a number has nothing to resolve
  out.principal = std::move(*principal);
  return std::nullopt;
}

Message parse_who(std::string_view who, unsigned line, AccessWho& out) {
  if (who == "*") {
    out = AccessWho{};
    return std::nullopt;
  }
  for (const WhoPrefix& form : kIdPrefixes) {
    if (who.starts_with(form.prefix)) return parse_id_who(form, who, line, out);
  }
  if (who.starts_with("udp:")) {
    const CidrError error = parse_cidr(who.substr(4), out.network);
    if (error != CidrError::kNone) return bad_who(who, to_string(error));
    out.kind = AccessWhoKind::udp;
    return std::nullopt;
  }
  return bad_who(who, "is none of these");
}

bool is_command_name(std::string_view name) noexcept {
  return !name.empty() && name.size() <= core::kMaxCommandName &&
         std::all_of(name.begin(), name.end(), protocol::text::is_command_char);
}

// One ITEM of a WHAT list other than all/none.
Message add_item(std::string_view item, AccessWhat& out) {
  if (item == "read") {
    out.read = true;
  } else if (item == "write") {
    out.write = true;
  } else if (item == "all" || item == "none") {
    return "WHAT: " + std::string(item) + " stands alone, not in a list";
  } else if (is_command_name(item)) {
    out.commands.emplace_back(item);
  } else {
    return "WHAT must be all, none, or a comma-separated list of read, write and command "
           "names; " +
           quote_for_message(item) + " is none of these";
  }
  return std::nullopt;
}

Message parse_what(std::string_view what, AccessWhat& out) {
  out = AccessWhat{};
  if (what == "all") {
    out.read = out.write = true;
    return std::nullopt;
  }
  if (what == "none") return std::nullopt;
  while (true) {
    const std::size_t comma = what.find(',');
    if (Message m = add_item(protocol::text::trim_blanks(what.substr(0, comma)), out)) return m;
    if (comma == std::string_view::npos) return std::nullopt;
    what.remove_prefix(comma + 1);
  }
}

std::string format_who(const AccessWho& who) {
  switch (who.kind) {
    case AccessWhoKind::anyone:
      return "*";
    case AccessWhoKind::udp:
      return "udp:" + format_cidr(who.network);
    case AccessWhoKind::uid:
    case AccessWhoKind::gid:
      break;
  }
  const bool uid = who.kind == AccessWhoKind::uid;
  if (who.principal.id) return (uid ? "uid:" : "gid:") + std::to_string(*who.principal.id);
  return (uid ? "user:" : "group:") + who.principal.text;
}

std::string format_what(const AccessWhat& what) {
  if (what.commands.empty() && what.read && what.write) return "all";
  if (what.commands.empty() && !what.read && !what.write) return "none";
  std::string out;
  const auto add = [&out](std::string_view item) {
    if (!out.empty()) out += ',';
    out += item;
  };
  if (what.read) add("read");
  if (what.write) add("write");
  for (const std::string& command : what.commands) add(command);
  return out;
}

}  // namespace

std::optional<std::string> parse_access_rule(std::string_view value, unsigned line,
                                             AccessRule& out) {
  value = protocol::text::trim_blanks(value);
  const std::size_t blank = value.find_first_of(" \t");
  if (value.empty() || blank == std::string_view::npos) {
    return "must be WHO WHAT (e.g. \"uid:0 all\", \"group:adm read\"), got " +
           quote_for_message(value);
  }
  AccessRule rule;
  if (Message m = parse_who(value.substr(0, blank), line, rule.who)) return m;
  if (Message m = parse_what(protocol::text::trim_blanks(value.substr(blank)), rule.what)) return m;
  out = std::move(rule);
  return std::nullopt;
}

std::string format_access_rule(const AccessRule& rule) {
  return format_who(rule.who) + " " + format_what(rule.what);
}

}  // namespace mid::config

#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"

// The text of one `access` line's value, "WHO WHAT" (docs/CONFIGURATION.md):
//
//   WHO   = '*' | "uid:" N | "user:" NAME | "gid:" N | "group:" NAME
//         | "udp:" ADDRESS ['/' PREFIX]
//   WHAT  = "all" | "none" | ITEM (',' ITEM)*      blanks around ',' allowed
//   ITEM  = "read" | "write" | COMMAND             a command-name (PROTOCOL.md)
//
// N is a strict decimal from 0 to kMaxId; NAME an account name as
// `user`/`group` take it (a number after user:/group: is the id); ADDRESS
// and PREFIX as `allow_from` takes them (no host bits past the prefix).
// `all` and `none` stand alone. Pure, linear in the value's size.
namespace mid::config {

// Fills `out` from `value` (already unquoted). Nullopt on success, or the
// message of the error, without file, line or key (the caller adds them).
// `line` is kept with a user or group name for load_config's errors.
[[nodiscard]] std::optional<std::string> parse_access_rule(std::string_view value, unsigned line,
                                                           AccessRule& out);

// The value text of `rule`, which parse_access_rule reads back to an equal
// rule (apart from the line of a name). A name load_config has resolved is
// written as its number (uid:N, gid:N); a network in canonical form.
[[nodiscard]] std::string format_access_rule(const AccessRule& rule);

}  // namespace mid::config

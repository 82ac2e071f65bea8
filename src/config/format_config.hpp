#pragma once

#include <string>

#include "config/config.hpp"

namespace mid::config {

// Writes `config` as configuration text: one `key = "value"` line per
// setting, every key of setting_names() in that order (`access`: one line
// per rule, in order; none: a comment), values quoted and
// escaped (\" \\ \t) so parse_config reads them back unchanged.
// A list too long for that form within kMaxConfigLine is written
// compactly (`key=a,b`), never longer than the line it was read from.
//
// Round trip: for every Config c produced by parse_config,
// parse_config(format_config(c)) succeeds and equals c, except that `line`
// fields of principals are renumbered. Settings still unset (no
// socket_name, an unset user) are written as comments. Used by
// `mi-datagramd --check-config` to show the effective configuration and by
// the property tests. Pure; linear in the size of the result.
[[nodiscard]] std::string format_config(const Config& config);

// `"value"` with '"' and '\\' escaped and tabs written as \t.
[[nodiscard]] std::string quote_value(std::string_view value);

}  // namespace mid::config

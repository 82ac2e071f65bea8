#pragma once

#include <string>
#include <string_view>

// The line syntax of mi-datagramd.conf, separate from what the settings
// mean (settings.hpp) so each can be fuzzed and tested alone.
//
//   line      = blank | comment | setting | modparam
//   comment   = ws* '#' any*
//   setting   = ws* NAME ws* '=' ws* value ws* trailer
//   modparam  = ws* "modparam" ws* '(' ws* QUOTED ws* ',' ws* QUOTED ws* ','
//               ws* (QUOTED | TOKEN) ws* ')' ws* ';'? ws* trailer
//   value     = QUOTED | unquoted
//   unquoted  = any* up to a '#' that follows white space, trailing ws cut
//   trailer   = ('#' any*)?
//   NAME      = [A-Za-z0-9_.-]+        TOKEN = [^ \t,)"#;]+
//   QUOTED    = '"' (char | '\"' | '\\' | '\t')* '"'
//   ws        = ' ' | '\t'
// Control bytes other than tab (0x00-0x1f, 0x7f) are refused anywhere; the
// caller has already split lines on '\n' and removed one trailing '\r'.
namespace mid::config {

struct ConfigLine {
  enum class Kind { blank, setting, error } kind = Kind::blank;
  // setting: the name; modparam: the parameter name. error: the name when
  // one was read before the error, else "".
  std::string key;
  // setting: the value with quotes removed and escapes resolved.
  // error: what is wrong (the message of a ConfigError).
  std::string text;
  // For a modparam line whose module is not mi_datagram: the module.
  std::string foreign_module;
};

// Pure, linear in line.size(), no recursion; reads only `line`.
// std::bad_alloc terminates (the line is bounded by the caller).
[[nodiscard]] ConfigLine parse_config_line(std::string_view line) noexcept;

}  // namespace mid::config

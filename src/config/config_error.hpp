#pragma once

#include <string>
#include <string_view>

// A configuration error, reported as `FILE:LINE: key: what is wrong`.
namespace mid::config {

struct ConfigError {
  std::string file;     // the file name as given, or "command line"
  unsigned line = 0;    // 1-based; 0 = about the whole file (printed without ":LINE")
  std::string key;      // the setting's name; "" when the line has none (syntax)
  std::string message;  // what is wrong, starting in lower case, no final period
  friend bool operator==(const ConfigError&, const ConfigError&) = default;
};

// "FILE:LINE: key: message"; without ":LINE" when line == 0 and without
// "key: " when key is empty. Exactly what the daemon prints before it exits 2.
[[nodiscard]] std::string to_string(const ConfigError& error);

// A value as it appears in an error message: in double quotes, with '"',
// '\\', tab as \t and every other control or non-ASCII byte as \xNN (so an
// error never writes raw control bytes to a terminal or log), cut after
// kMaxQuoted bytes of the value with "..." before the closing quote.
inline constexpr std::size_t kMaxQuoted = 80;
[[nodiscard]] std::string quote_for_message(std::string_view value);

}  // namespace mid::config

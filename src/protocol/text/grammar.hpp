#pragma once

#include <array>
#include <cstddef>
#include <string_view>

// Character classes of the wire grammar (docs/PROTOCOL.md), shared by the
// parsers and the printers so the two sides cannot drift apart.
namespace mid::protocol::text {

// Command names: ASCII letters, digits, '_', '-' and '.'. A table, as the
// parser asks it of every byte of every command name.
inline constexpr auto kCommandChars = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
  }
  return table;
}();
[[nodiscard]] constexpr bool is_command_char(char c) noexcept {
  return kCommandChars[static_cast<unsigned char>(c)];
}

// White space that is trimmed around unquoted names and values.
[[nodiscard]] constexpr bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

[[nodiscard]] constexpr std::string_view trim_blanks(std::string_view s) noexcept {
  std::size_t begin = 0;
  std::size_t end = s.size();
  while (begin < end && is_blank(s[begin])) ++begin;
  while (end > begin && is_blank(s[end - 1])) --end;
  return s.substr(begin, end - begin);
}

// A reply_indent is a run of spaces and tabs no longer than kMaxIndent,
// so indentation can never be mistaken for a name or a value.
[[nodiscard]] bool is_valid_indent(std::string_view indent) noexcept;

}  // namespace mid::protocol::text

#pragma once

#include <array>
#include <cstddef>
#include <string_view>

// Control bytes (below 0x20, and 0x7f) and how replies write them. A
// request may carry any of them; a terminal acts on them (ESC starts a
// sequence that can retitle the window or remap keys), so no reply line
// carries one raw (docs/PROTOCOL.md, "Escapes in replies"), and the
// client shows them visibly when it writes to a terminal. Pure, constant
// tables only.
namespace mid::core {

[[nodiscard]] constexpr bool is_control_byte(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

namespace detail {

// "\n", "\r", "\t" for LF, CR and tab; "\xHH" (lowercase hex) for every
// other control byte; empty for the rest. Four bytes and a length each.
struct ControlEscape {
  std::array<char, 4> text{};
  std::size_t size = 0;
};

inline constexpr auto kControlEscapes = [] {
  std::array<ControlEscape, 256> table{};
  constexpr std::string_view kHex = "0123456789abcdef";
  for (std::size_t byte = 0; byte < table.size(); ++byte) {
    ControlEscape& escape = table[byte];
    if (!is_control_byte(static_cast<char>(byte))) continue;
    escape.text[0] = '\\';
    escape.size = 2;
    if (byte == '\n') {
      escape.text[1] = 'n';
    } else if (byte == '\r') {
      escape.text[1] = 'r';
    } else if (byte == '\t') {
      escape.text[1] = 't';
    } else {
      escape.text = {'\\', 'x', kHex[byte >> 4U], kHex[byte & 0xfU]};
      escape.size = 4;
    }
  }
  return table;
}();

}  // namespace detail

// The escape of `c` (2 or 4 bytes, starting with '\\') when it is a
// control byte; an empty view otherwise. The view is static.
[[nodiscard]] constexpr std::string_view control_escape(char c) noexcept {
  const detail::ControlEscape& escape = detail::kControlEscapes[static_cast<unsigned char>(c)];
  return {escape.text.data(), escape.size};
}

}  // namespace mid::core

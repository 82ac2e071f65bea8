#pragma once

#include <string>
#include <string_view>

// How mi-datagram writes a reply (mi-datagram(1)).
namespace mid::app {

// The reply as a terminal should show it: every control byte (below 0x20,
// and 0x7f) but LF and tab written as its escape (\r, \x1b, \x7f ...), so
// a reply cannot move the cursor, retitle the window or hide text. Our
// server never sends one raw (its tabs are indentation); another server
// may. Every other byte is kept.
[[nodiscard]] std::string terminal_text(std::string_view reply);

}  // namespace mid::app

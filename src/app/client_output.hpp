#pragma once

#include <string>
#include <string_view>

// How mi-datagram writes a reply (mi-datagram(1)).
namespace mid::app {

// The reply as a terminal should show it, so that it cannot move the
// cursor, retitle the window or hide text: every control byte (below
// 0x20, and 0x7f) but LF and tab is written as its escape (\r, \x1b,
// \x7f ...), and so is each byte of a C1 control (U+0080 to U+009F, which
// terminals act on as ESC sequences: "\xc2\x9b" is CSI) and any byte that
// is not part of valid UTF-8 (a lone 0x9b is CSI to an 8-bit terminal).
// Printable UTF-8 text is kept as it is. Our server never sends a control
// byte raw (its tabs are indentation); another server may.
[[nodiscard]] std::string terminal_text(std::string_view reply);

}  // namespace mid::app

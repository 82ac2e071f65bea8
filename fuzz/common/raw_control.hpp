#pragma once

#include <string_view>

// The reply invariant of docs/PROTOCOL.md ("Escapes in replies"): no line
// carries a control byte (below 0x20, or 0x7f) raw but its own LF. Only
// the indentation may hold tabs: it is `reply_indent` from the
// configuration, never bytes of the request. Shared by the request-path
// harness and the properties.
namespace mid::fuzz {

inline bool is_raw_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7f;
}

// True when every line of `reply`, after its leading repetitions of a
// non-empty `indent`, holds no control byte before its LF.
inline bool has_no_raw_control_byte(std::string_view reply, std::string_view indent) noexcept {
  while (!reply.empty()) {
    const std::size_t end = reply.find('\n');
    std::string_view line = reply.substr(0, end);
    while (!indent.empty() && line.starts_with(indent)) line.remove_prefix(indent.size());
    for (const char c : line) {
      if (is_raw_control(c)) return false;
    }
    if (end == std::string_view::npos) return true;
    reply.remove_prefix(end + 1);
  }
  return true;
}

}  // namespace mid::fuzz

#include "app/client_output.hpp"

#include <cstddef>

#include "core/control_bytes.hpp"
#include "core/utf8.hpp"

namespace mid::app {
namespace {

unsigned byte_at(std::string_view text, std::size_t i) noexcept {
  return static_cast<unsigned char>(text[i]);
}

void append_hex_escape(std::string& out, unsigned byte) {
  constexpr std::string_view kHex = "0123456789abcdef";
  out.append("\\x");
  out.push_back(kHex[byte >> 4U]);
  out.push_back(kHex[byte & 0xfU]);
}

// Appends the bytes from text[i] on that form one character or one
// escaped byte; returns how many were consumed.
std::size_t append_one(std::string& out, std::string_view text, std::size_t i) {
  const char c = text[i];
  const std::string_view escape = core::control_escape(c);
  if (!escape.empty() && c != '\n' && c != '\t') {
    out.append(escape);
    return 1;
  }
  if (byte_at(text, i) < 0x80) {
    out.push_back(c);
    return 1;
  }
  const std::size_t length = core::utf8_sequence_length(text, i);
  const bool c1_control = length == 2 && byte_at(text, i) == 0xc2 && byte_at(text, i + 1) < 0xa0;
  if (length == 0 || c1_control) {
    append_hex_escape(out, byte_at(text, i));
    return 1;
  }
  out.append(text.substr(i, length));
  return length;
}

}  // namespace

std::string terminal_text(std::string_view reply) {
  std::string out;
  out.reserve(reply.size());
  for (std::size_t i = 0; i < reply.size();) i += append_one(out, reply, i);
  return out;
}

}  // namespace mid::app

#include "app/client_output.hpp"

#include <cstddef>

#include "core/control_bytes.hpp"

namespace mid::app {
namespace {

unsigned byte_at(std::string_view text, std::size_t i) noexcept {
  return static_cast<unsigned char>(text[i]);
}

// The length (2..4) of the well-formed UTF-8 sequence at text[i], or 0:
// no overlong form, no surrogate, nothing above U+10FFFF.
std::size_t utf8_length(std::string_view text, std::size_t i) noexcept {
  const unsigned lead = byte_at(text, i);
  const std::size_t length = lead >= 0xf0 && lead <= 0xf4   ? 4
                             : lead >= 0xe0 && lead <= 0xef ? 3
                             : lead >= 0xc2 && lead <= 0xdf ? 2
                                                            : 0;
  if (length == 0 || length > text.size() - i) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte_at(text, i + k) & 0xc0U) != 0x80U) return 0;
  }
  const unsigned second = byte_at(text, i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second >= 0xa0) ||
      (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second >= 0x90)) {
    return 0;
  }
  return length;
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
  const std::size_t length = utf8_length(text, i);
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

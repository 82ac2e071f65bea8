#pragma once

#include <cstddef>
#include <string>

#include "core/limits.hpp"

namespace mid::fuzz {

// A valid reply_indent chosen by one input byte: 0..16 blanks (the low
// five bits, modulo 17), tabs or spaces (bit 5), alternating from the
// other blank when bit 6 is set. Covers "", "\t", "  ", " \t" ... "\t"x16.
inline std::string indent_from_byte(unsigned char byte) {
  const std::size_t length = (byte & 0x1fU) % (core::kMaxIndent + 1);
  const char first = (byte & 0x20U) != 0 ? '\t' : ' ';
  const char other = first == '\t' ? ' ' : '\t';
  std::string indent;
  for (std::size_t i = 0; i < length; ++i) {
    indent.push_back((byte & 0x40U) != 0 && i % 2 == 1 ? other : first);
  }
  return indent;
}

}  // namespace mid::fuzz

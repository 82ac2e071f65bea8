#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

// Well-formed UTF-8 (Unicode Table 3-7: no overlong forms, no surrogates,
// nothing over U+10FFFF, no truncated sequence). Pure, header-only, no
// table: for the JSON reader's check of a datagram, the client's request
// printer and reply reader, and what the client shows on a terminal.
namespace mid::core {

// The length (1..4) of the well-formed UTF-8 sequence that starts at
// text[i] (1 for any ASCII byte), or 0 when none starts there.
// Precondition: i < text.size().
[[nodiscard]] constexpr std::size_t utf8_sequence_length(std::string_view text,
                                                         std::size_t i) noexcept {
  const auto byte = [&text](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned lead = byte(i);
  if (lead < 0x80) return 1;
  const std::size_t length = lead >= 0xf0 && lead <= 0xf4   ? 4
                             : lead >= 0xe0 && lead <= 0xef ? 3
                             : lead >= 0xc2 && lead <= 0xdf ? 2
                                                            : 0;
  if (length == 0 || length > text.size() - i) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xc0U) != 0x80U) return 0;
  }
  const unsigned second = byte(i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second >= 0xa0) ||
      (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second >= 0x90)) {
    return 0;
  }
  return length;
}

// The offset of the first byte that is not part of well-formed UTF-8, or
// text.size() when all of it is. Linear; at run time ASCII is skipped
// eight bytes at a time (a request is mostly ASCII: this check costs the
// JSON parser a fraction of RapidJSON's own, per byte through its stream).
[[nodiscard]] constexpr std::size_t utf8_invalid_at(std::string_view text) noexcept {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  for (std::size_t i = 0; i < text.size();) {
    if (!std::is_constant_evaluated() && text.size() - i >= sizeof(std::uint64_t)) {
      std::uint64_t word = 0;
      std::memcpy(&word, text.data() + i, sizeof word);
      if ((word & kHighBits) == 0) {
        i += sizeof word;
        continue;
      }
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return text.size();
}

[[nodiscard]] constexpr bool is_utf8(std::string_view text) noexcept {
  return utf8_invalid_at(text) == text.size();
}

static_assert(is_utf8("caf\xc3\xa9") && !is_utf8("\xc0\x80") && !is_utf8("\xed\xa0\x80") &&
              !is_utf8("\xf4\x90\x80\x80") && !is_utf8("\xe2\x82"));

}  // namespace mid::core

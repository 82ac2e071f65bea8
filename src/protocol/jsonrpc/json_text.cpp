#include "protocol/jsonrpc/json_text.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "core/utf8.hpp"

namespace mid::protocol::jsonrpc {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";

// An escape of at most six bytes ("\u00xx"), made at compile time.
struct Escape {
  std::array<char, 6> text{};
  std::size_t size = 0;
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {text.data(), size}; }
};

constexpr Escape unicode_escape(unsigned byte) noexcept {
  return Escape{{'\\', 'u', '0', '0', kHex[byte >> 4U], kHex[byte & 0xfU]}, 6};
}

constexpr Escape kReplacement{{'\\', 'u', 'f', 'f', 'f', 'd'}, 6};

// The escape of an ASCII byte, or size 0 when it is written as it is.
constexpr std::array<Escape, 128> kAsciiEscapes = [] {
  std::array<Escape, 128> table{};
  for (unsigned byte = 0; byte < 0x20; ++byte) table[byte] = unicode_escape(byte);
  table[0x7f] = unicode_escape(0x7f);
  table['"'] = Escape{{'\\', '"'}, 2};
  table['\\'] = Escape{{'\\', '\\'}, 2};
  table['\b'] = Escape{{'\\', 'b'}, 2};
  table['\f'] = Escape{{'\\', 'f'}, 2};
  table['\n'] = Escape{{'\\', 'n'}, 2};
  table['\r'] = Escape{{'\\', 'r'}, 2};
  table['\t'] = Escape{{'\\', 't'}, 2};
  return table;
}();

// The bytes a string cannot copy blindly: ASCII escapes and every
// non-ASCII byte (checked as UTF-8).
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> table{};
  for (unsigned byte = 0; byte < table.size(); ++byte) {
    table[byte] = byte >= 0x80 || kAsciiEscapes[byte].size != 0;
  }
  return table;
}();

std::uint8_t byte_at(std::string_view text, std::size_t i) noexcept {
  return static_cast<std::uint8_t>(text[i]);
}

// The first special byte at or after `from` (text.size() if none).
std::size_t find_special(std::string_view text, std::size_t from) noexcept {
  const std::string_view rest = text.substr(from);
  const auto found = std::find_if(rest.begin(), rest.end(),
                                  [](char c) { return kSpecial[static_cast<unsigned char>(c)]; });
  return from + static_cast<std::size_t>(std::distance(rest.begin(), found));
}

// What the special byte at text[i] becomes: `length` bytes of the text
// replaced by `escape`, or copied as they are when `escape` is empty (a
// well-formed non-ASCII sequence other than a C1 control).
struct Special {
  std::size_t length = 1;
  Escape escape;
};

Special classify(std::string_view text, std::size_t i) noexcept {
  const std::uint8_t byte = byte_at(text, i);
  if (byte < 0x80) return Special{1, kAsciiEscapes[byte]};
  const std::size_t length = core::utf8_sequence_length(text, i);
  if (length == 0) return Special{1, kReplacement};
  if (byte == 0xc2 && byte_at(text, i + 1) < 0xa0) {  // a C1 control, U+0080..U+009F
    return Special{2, unicode_escape(byte_at(text, i + 1))};
  }
  return Special{length, Escape{}};
}

}  // namespace

void put_string(core::BoundedWriter& out, std::string_view text) noexcept {
  out.put('"');
  std::size_t run = 0;  // the first byte not yet written
  for (std::size_t i = find_special(text, 0); i < text.size();) {
    const Special special = classify(text, i);
    if (special.escape.size != 0) {
      out.put(text.substr(run, i - run));
      out.put(special.escape.view());
      run = i + special.length;
    }
    i = find_special(text, i + special.length);
  }
  out.put(text.substr(run));
  out.put('"');
}

bool is_json_integer(std::string_view text) noexcept {
  if (text.starts_with('-')) text.remove_prefix(1);
  if (text.empty() || (text.front() == '0' && text.size() > 1)) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void put_integer(core::BoundedWriter& out, long value) noexcept {
  if (value < 0) out.put('-');
  // The magnitude as unsigned: -LONG_MIN does not fit a long.
  const auto magnitude =
      value < 0 ? 0 - static_cast<unsigned long>(value) : static_cast<unsigned long>(value);
  out.put_unsigned(magnitude);
}

void put_id(core::BoundedWriter& out, std::string_view id) noexcept {
  std::size_t run = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const auto byte = static_cast<unsigned char>(id[i]);
    const bool del = byte == 0x7f;
    const bool c1 = byte == 0xc2 && i + 1 < id.size() &&
                    static_cast<unsigned char>(id[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(id[i + 1]) <= 0x9f;
    if (!del && !c1) continue;
    out.put(id.substr(run, i - run));
    const auto code = del ? 0x7fU : static_cast<unsigned char>(id[i + 1]);
    const std::array<char, 6> escape{'\\', 'u', '0', '0', kHex[code >> 4U], kHex[code & 0xfU]};
    out.put(std::string_view(escape.data(), escape.size()));
    i += c1 ? 1 : 0;
    run = i + 1;
  }
  out.put(id.substr(run));
}

}  // namespace mid::protocol::jsonrpc

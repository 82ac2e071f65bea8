#include "config/config_error.hpp"

namespace mid::config {

std::string to_string(const ConfigError& error) {
  std::string out = error.file;
  if (error.line != 0) {
    out += ':';
    out += std::to_string(error.line);
  }
  out += ": ";
  if (!error.key.empty()) {
    out += error.key;
    out += ": ";
  }
  out += error.message;
  return out;
}

std::string quote_for_message(std::string_view value) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out = "\"";
  const std::size_t shown = value.size() > kMaxQuoted ? kMaxQuoted : value.size();
  for (std::size_t i = 0; i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte == '"' || byte == '\\') {
      out += '\\';
      out += static_cast<char>(byte);
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte >= 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4U];
      out += kHex[byte & 0xFU];
    } else {
      out += static_cast<char>(byte);
    }
  }
  if (shown < value.size()) out += "...";
  out += '"';
  return out;
}

}  // namespace mid::config

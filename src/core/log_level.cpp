#include "core/log_level.hpp"

#include <array>

namespace mid::core {
namespace {

constexpr std::array<std::string_view, 5> kNames = {"error", "warning", "notice", "info", "debug"};

}  // namespace

bool parse_log_level(std::string_view text, LogLevel& out) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (text == kNames[i] || (text.size() == 1 && text[0] == static_cast<char>('0' + i))) {
      out = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

std::string_view to_string(LogLevel level) noexcept {
  const auto index = static_cast<std::size_t>(level);
  return index < kNames.size() ? kNames[index] : "notice";
}

}  // namespace mid::core

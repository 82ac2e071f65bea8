#pragma once

#include <string_view>

// Log levels, shared by the logger (OS layer), the configuration and the
// log_level MI command (pure layer).
namespace mid::core {

enum class LogLevel : int { error = 0, warning = 1, notice = 2, info = 3, debug = 4 };

// Parses "error", "warning", "notice", "info", "debug" or a digit 0..4.
[[nodiscard]] bool parse_log_level(std::string_view text, LogLevel& out) noexcept;
[[nodiscard]] std::string_view to_string(LogLevel level) noexcept;

}  // namespace mid::core

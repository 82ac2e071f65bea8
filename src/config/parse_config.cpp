#include "config/parse_config.hpp"

#include "config/config_syntax.hpp"
#include "config/settings.hpp"

namespace mid::config {
namespace {

ConfigError make_error(std::string_view file, unsigned line, std::string key, std::string message) {
  return ConfigError{std::string(file), line, std::move(key), std::move(message)};
}

// Applies one line; nullopt on success (blank lines included).
std::optional<ConfigError> apply_line(Config& config, std::string_view line, unsigned number,
                                      std::string_view file) {
  if (line.size() > kMaxConfigLine) {
    return make_error(file, number, "", "line is longer than 4096 bytes");
  }
  ConfigLine parsed = parse_config_line(line);
  switch (parsed.kind) {
    case ConfigLine::Kind::blank:
      return std::nullopt;
    case ConfigLine::Kind::error:
      return make_error(file, number, std::move(parsed.key), std::move(parsed.text));
    case ConfigLine::Kind::setting:
      break;
  }
  if (auto message = apply_setting(config, parsed.key, parsed.text, number)) {
    return make_error(file, number, std::move(parsed.key), std::move(*message));
  }
  return std::nullopt;
}

}  // namespace

ConfigResult parse_config_settings(std::string_view text, std::string_view file_name) noexcept {
  if (text.size() > kMaxConfigFile) {
    return make_error(file_name, 0, "", "file is larger than 1048576 bytes (1 MiB)");
  }
  Config config;
  unsigned number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++number;
    if (auto error = apply_line(config, line, number, file_name)) return std::move(*error);
  }
  return config;
}

ConfigResult parse_config(std::string_view text, std::string_view file_name) noexcept {
  ConfigResult result = parse_config_settings(text, file_name);
  if (!result) return result;
  if (auto error = check_complete(result.value(), file_name)) return std::move(*error);
  return result;
}

std::optional<ConfigError> check_complete(const Config& config, std::string_view file_name) {
  if (config.socket_name) return std::nullopt;
  return make_error(file_name, 0, "socket_name",
                    "required setting is missing (a UNIX socket path or udp:HOST:PORT)");
}

}  // namespace mid::config

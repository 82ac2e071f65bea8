#include "config/config_syntax.hpp"

#include <cstddef>

#include "config/config_error.hpp"

namespace mid::config {
namespace {

constexpr std::string_view kModparam = "modparam";
constexpr std::string_view kModule = "mi_datagram";
constexpr std::string_view kModparamShape =
    "expected modparam(\"mi_datagram\", \"NAME\", VALUE) with NAME and the module in double "
    "quotes";

[[nodiscard]] bool is_ws(char c) noexcept {
  return c == ' ' || c == '\t';
}
[[nodiscard]] bool is_control(char c) noexcept {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && byte != '\t') || byte == 0x7f;
}
[[nodiscard]] bool is_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}
[[nodiscard]] bool is_token_char(char c) noexcept {
  return !is_ws(c) && c != ',' && c != ')' && c != '"' && c != '#' && c != ';';
}

[[nodiscard]] bool all_name_chars(std::string_view s) noexcept {
  for (const char c : s) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

// A byte for an error message: itself when printable ASCII, else xNN
// (after the caller's backslash, so "\xff").
std::string shown_byte(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte > 0x20 && byte < 0x7f) return std::string(1, c);
  static constexpr std::string_view kHex = "0123456789abcdef";
  return std::string("x") + kHex[byte >> 4U] + kHex[byte & 0xFU];
}

ConfigLine error_line(std::string key, std::string message) {
  ConfigLine out;
  out.kind = ConfigLine::Kind::error;
  out.key = std::move(key);
  out.text = std::move(message);
  return out;
}

class LineReader {
 public:
  explicit LineReader(std::string_view line) noexcept : in_(line) {}
  ConfigLine read();

 private:
  [[nodiscard]] bool at_end() const noexcept { return pos_ >= in_.size(); }
  [[nodiscard]] char peek() const noexcept { return at_end() ? '\0' : in_[pos_]; }
  void skip_ws() noexcept {
    while (!at_end() && is_ws(in_[pos_])) ++pos_;
  }
  bool accept(char c) noexcept {
    if (at_end() || in_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  [[nodiscard]] bool at_trailer() noexcept {
    skip_ws();
    return at_end() || peek() == '#';
  }
  std::string_view read_while(bool (*pred)(char)) noexcept {
    const std::size_t start = pos_;
    while (!at_end() && pred(in_[pos_])) ++pos_;
    return in_.substr(start, pos_ - start);
  }
  bool read_quoted(std::string& out, std::string& error);
  std::string read_unquoted();
  ConfigLine read_setting();
  ConfigLine read_modparam();
  bool read_modparam_names(std::string& module, std::string& key);
  bool read_modparam_tail(std::string& value, std::string& error);

  std::string_view in_;
  std::size_t pos_ = 0;
};

ConfigLine LineReader::read() {
  for (std::size_t i = 0; i < in_.size(); ++i) {
    if (is_control(in_[i])) {
      return error_line("", "control character " + quote_for_message(in_.substr(i, 1)) +
                                " at byte " + std::to_string(i + 1) + " of the line");
    }
  }
  if (at_trailer()) return ConfigLine{};
  if (in_.substr(pos_, kModparam.size()) == kModparam) {
    const std::size_t word_end = pos_;
    pos_ += kModparam.size();
    skip_ws();
    if (peek() == '(') return read_modparam();
    pos_ = word_end;
  }
  return read_setting();
}

// Opening quote at pos_; leaves pos_ after the closing quote.
bool LineReader::read_quoted(std::string& out, std::string& error) {
  ++pos_;
  while (!at_end()) {
    const char c = in_[pos_++];
    if (c == '"') return true;
    if (c != '\\') {
      out += c;
      continue;
    }
    const char escaped = peek();
    if (escaped == '"' || escaped == '\\') {
      out += escaped;
    } else if (escaped == 't') {
      out += '\t';
    } else {
      error = at_end() ? "unterminated quoted value"
                       : "invalid escape \\" + shown_byte(escaped) +
                             " in quoted value (only \\\", \\\\ and \\t are allowed)";
      return false;
    }
    ++pos_;
  }
  error = "unterminated quoted value";
  return false;
}

// Up to a '#' that follows white space (or starts the value), trailing ws cut.
std::string LineReader::read_unquoted() {
  const std::size_t start = pos_;
  std::size_t end = in_.size();
  for (std::size_t i = start; i < in_.size(); ++i) {
    if (in_[i] == '#' && (i == start || is_ws(in_[i - 1]))) {
      end = i;
      break;
    }
  }
  while (end > start && is_ws(in_[end - 1])) --end;
  pos_ = in_.size();
  return std::string(in_.substr(start, end - start));
}

ConfigLine LineReader::read_setting() {
  const std::string key(read_while(is_name_char));
  if (key.empty()) {
    return error_line("", "expected NAME = VALUE or modparam(\"mi_datagram\", \"NAME\", VALUE)");
  }
  skip_ws();
  if (!accept('=')) return error_line(key, "expected '=' after the setting name");
  skip_ws();
  ConfigLine out;
  out.kind = ConfigLine::Kind::setting;
  out.key = key;
  if (peek() != '"') {
    out.text = read_unquoted();
    return out;
  }
  std::string error;
  if (!read_quoted(out.text, error)) return error_line(key, error);
  if (!at_trailer()) return error_line(key, "unexpected text after the closing quote");
  return out;
}

// ( "MODULE" , "NAME"  with both quoted. False on any other shape (a bad
// quote included: the caller reports the shape, not the escape).
bool LineReader::read_modparam_names(std::string& module, std::string& key) {
  std::string error;
  skip_ws();
  if (peek() != '"' || !read_quoted(module, error)) return false;
  skip_ws();
  if (!accept(',')) return false;
  skip_ws();
  return peek() == '"' && read_quoted(key, error);
}

// , VALUE ) [;]  to the end of the line (or a comment); VALUE quoted or a
// bare token. False with `error` set otherwise.
bool LineReader::read_modparam_tail(std::string& value, std::string& error) {
  skip_ws();
  if (!accept(',')) {
    error = kModparamShape;
    return false;
  }
  skip_ws();
  if (peek() == '"') {
    if (!read_quoted(value, error)) return false;
  } else {
    value = std::string(read_while(is_token_char));
    if (value.empty()) {
      error = "missing value in modparam(...)";
      return false;
    }
  }
  skip_ws();
  if (!accept(')')) {
    error = "expected ')' after the modparam value";
    return false;
  }
  skip_ws();
  accept(';');
  if (at_trailer()) return true;
  error = "unexpected text after modparam(...)";
  return false;
}

// After "modparam ("; pos_ is at '('.
ConfigLine LineReader::read_modparam() {
  ++pos_;
  std::string module, key, value, error;
  if (!read_modparam_names(module, key)) return error_line("", std::string(kModparamShape));
  if (key.empty() || !all_name_chars(key)) {
    // Never echo the raw name: the error goes to terminals and logs.
    return error_line("", "invalid parameter name " + quote_for_message(key) + " in modparam(...)");
  }
  if (!read_modparam_tail(value, error)) return error_line(key, error);
  if (module != kModule) {
    ConfigLine out = error_line(key, "modparam for module " + quote_for_message(module) +
                                         ": this file configures only \"mi_datagram\"");
    out.foreign_module = module;
    return out;
  }
  ConfigLine out;
  out.kind = ConfigLine::Kind::setting;
  out.key = std::move(key);
  out.text = std::move(value);
  return out;
}

}  // namespace

ConfigLine parse_config_line(std::string_view line) noexcept {
  return LineReader(line).read();
}

}  // namespace mid::config

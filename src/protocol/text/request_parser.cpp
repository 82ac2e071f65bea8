#include "protocol/text/request_parser.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>

#include "protocol/text/grammar.hpp"

namespace mid::protocol::text {
namespace {

using core::Errc;
using core::Error;

// The bytes each scan must stop at; every other byte is taken in a tight
// loop (the parser spends its time here on large requests).
using StopTable = std::array<bool, 256>;
constexpr StopTable stop_table(std::string_view stops) noexcept {
  StopTable table{};
  for (const char c : stops) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr StopTable kUnquotedStops = stop_table(std::string_view("\n\r\":\0", 5));
constexpr StopTable kQuotedStops = stop_table(std::string_view("\"\\\0", 3));

// A NUL or a CR without its LF is named as such wherever it stops the
// parse, so "NUL anywhere is nul_byte" holds after quotes, after the
// command and after the blank line too.
Errc stray_byte_code(char c, Errc otherwise) noexcept {
  if (c == '\0') return Errc::nul_byte;
  if (c == '\r') return Errc::bare_cr;
  return otherwise;
}

// Reads one request; `pos` only moves forward and every access is checked
// against the view's size, so nothing past the datagram is ever read.
class RequestReader {
 public:
  RequestReader(std::string_view in, RequestScratch& scratch) noexcept
      : in_(in), scratch_(scratch) {}

  core::Result<Request> read() noexcept;

 private:
  struct Piece {  // one argument name or value, raw or unescaped
    std::string_view text;
    bool ok = true;
  };

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= in_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const noexcept {
    return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0';
  }
  [[nodiscard]] bool at_line_end() const noexcept {
    return at_end() || peek() == '\n' || (peek() == '\r' && peek(1) == '\n');
  }
  void skip_line_end() noexcept { pos_ += at_end() ? 0U : (peek() == '\r' ? 2U : 1U); }
  void skip_plain(const StopTable& stops) noexcept {
    while (pos_ < in_.size() && !stops[static_cast<unsigned char>(in_[pos_])]) ++pos_;
  }
  void skip_blanks() noexcept {
    while (!at_end() && is_blank(peek())) ++pos_;
  }
  Error fail(Errc code, std::size_t offset) noexcept {
    error_ = Error{code, offset};
    return error_;
  }
  Piece fail_piece(Errc code, std::size_t offset) noexcept {
    fail(code, offset);
    return Piece{{}, false};
  }

  core::Status read_first_line() noexcept;
  core::Status read_argument(std::size_t line_start) noexcept;
  core::Status read_after_blank_line() noexcept;
  Piece read_unquoted(bool stop_at_separator) noexcept;
  Piece read_quoted() noexcept;
  core::Status expect_line_end_after_quote() noexcept;

  std::string_view in_;
  RequestScratch& scratch_;
  std::size_t pos_ = 0;
  std::size_t argument_count_ = 0;
  std::size_t unescaped_used_ = 0;
  std::string_view command_;
  Error error_{Errc::empty_request, 0};
};

core::Result<Request> RequestReader::read() noexcept {
  if (in_.size() > core::kMaxDatagram) return Error{Errc::request_too_large, core::kMaxDatagram};
  if (in_.empty()) return Error{Errc::empty_request, 0};
  if (auto first = read_first_line(); !first) return first.error();
  while (!at_end()) {
    const std::size_t line_start = pos_;
    skip_blanks();
    if (at_line_end()) {
      skip_line_end();
      if (auto rest = read_after_blank_line(); !rest) return rest.error();
      break;
    }
    if (auto argument = read_argument(line_start); !argument) return argument.error();
  }
  return Request{command_, std::span<const Argument>(scratch_.arguments.data(), argument_count_)};
}

core::Status RequestReader::read_first_line() noexcept {
  if (peek() != ':') return fail(Errc::missing_leading_colon, 0);
  // One byte past the longest name is enough to tell that it is too long.
  const std::string_view name_bytes = in_.substr(1, core::kMaxCommandName + 1);
  const auto name_end = std::find_if_not(name_bytes.begin(), name_bytes.end(), is_command_char);
  const auto name_size = static_cast<std::size_t>(std::distance(name_bytes.begin(), name_end));
  if (name_size > core::kMaxCommandName) {
    return fail(Errc::command_too_long, 1 + core::kMaxCommandName);
  }
  pos_ = 1 + name_size;
  command_ = in_.substr(1, name_size);
  if (at_line_end()) return fail(Errc::unterminated_command, pos_);
  if (peek() != ':') return fail(stray_byte_code(peek(), Errc::bad_command_char), pos_);
  if (command_.empty()) return fail(Errc::empty_command, pos_);
  ++pos_;
  if (!at_line_end()) return fail(stray_byte_code(peek(), Errc::unterminated_command), pos_);
  skip_line_end();
  return {};
}

// A blank line ends the request; only more blank lines may follow it.
core::Status RequestReader::read_after_blank_line() noexcept {
  while (!at_end()) {
    skip_blanks();
    if (!at_line_end()) return fail(stray_byte_code(peek(), Errc::data_after_blank_line), pos_);
    skip_line_end();
  }
  return {};
}

core::Status RequestReader::read_argument(std::size_t line_start) noexcept {
  if (argument_count_ == core::kMaxArguments) return fail(Errc::too_many_arguments, line_start);
  Argument argument;
  if (peek() == '"') {
    const Piece value = read_quoted();
    if (!value.ok) return error_;
    argument.value = value.text;
    if (auto end = expect_line_end_after_quote(); !end) return end;
  } else {
    const Piece first = read_unquoted(true);
    if (!first.ok) return error_;
    const bool named = !at_end() && peek() == ':';  // stopped at "::"
    if (!named) {
      argument.value = first.text;
      skip_line_end();
    } else {
      if (first.text.empty()) return fail(Errc::empty_arg_name, pos_);
      argument.name = first.text;
      pos_ += 2;
      skip_blanks();
      const Piece value = peek() == '"' ? read_quoted() : read_unquoted(false);
      if (!value.ok) return error_;
      argument.value = value.text;
      if (auto end = expect_line_end_after_quote(); !end) return end;
    }
  }
  scratch_.arguments[argument_count_++] = argument;
  return {};
}

// Reads up to the line end (or, for names, up to the first "::"), trimming
// blanks. Stops on the line end without consuming it.
RequestReader::Piece RequestReader::read_unquoted(bool stop_at_separator) noexcept {
  const std::size_t begin = pos_;
  while (!at_end()) {
    skip_plain(kUnquotedStops);
    if (at_end()) break;
    const char c = peek();
    if (c == '\n') break;
    if (c == '\r') {
      if (peek(1) == '\n') break;
      return fail_piece(Errc::bare_cr, pos_);
    }
    if (c == '"') return fail_piece(Errc::quote_in_unquoted, pos_);
    if (c == '\0') return fail_piece(Errc::nul_byte, pos_);
    if (stop_at_separator && c == ':' && peek(1) == ':') break;
    ++pos_;
  }
  return Piece{trim_blanks(in_.substr(begin, pos_ - begin)), true};
}

// Reads a quoted string starting at its opening quote; leaves pos_ just
// past the closing quote. Only \" and \\ are escapes; raw CR and LF are
// kept. A value without escapes is a view into the datagram; one with
// escapes is copied, unescaped, into the scratch (never longer than its
// raw form, so the scratch cannot overflow).
RequestReader::Piece RequestReader::read_quoted() noexcept {
  const std::size_t open = pos_++;
  const std::size_t begin = pos_;
  const std::size_t out_begin = unescaped_used_;
  bool escaped = false;
  for (;;) {
    if (!escaped) skip_plain(kQuotedStops);
    if (at_end()) return fail_piece(Errc::unterminated_quote, open);
    const char c = peek();
    if (c == '\0') return fail_piece(Errc::nul_byte, pos_);
    if (c == '"') break;
    if (c == '\\') {
      const char next = peek(1);
      if (pos_ + 1 >= in_.size()) return fail_piece(Errc::unterminated_quote, open);
      if (next != '"' && next != '\\') return fail_piece(Errc::bad_escape, pos_);
      if (!escaped) {
        escaped = true;
        const std::size_t copied = pos_ - begin;
        std::memcpy(scratch_.unescaped.data() + unescaped_used_, in_.data() + begin, copied);
        unescaped_used_ += copied;
      }
      scratch_.unescaped[unescaped_used_++] = next;
      pos_ += 2;
      continue;
    }
    if (escaped) scratch_.unescaped[unescaped_used_++] = c;
    ++pos_;
  }
  const std::size_t end = pos_++;
  if (!escaped) return Piece{in_.substr(begin, end - begin), true};
  return Piece{std::string_view(scratch_.unescaped.data() + out_begin, unescaped_used_ - out_begin),
               true};
}

core::Status RequestReader::expect_line_end_after_quote() noexcept {
  skip_blanks();
  if (!at_line_end()) return fail(stray_byte_code(peek(), Errc::data_after_quote), pos_);
  skip_line_end();
  return {};
}

}  // namespace

core::Result<Request> parse_request(std::string_view datagram, RequestScratch& scratch) noexcept {
  RequestReader reader(datagram, scratch);
  return reader.read();
}

}  // namespace mid::protocol::text

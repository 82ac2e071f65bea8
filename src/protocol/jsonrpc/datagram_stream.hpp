#pragma once

#include <cstddef>
#include <string_view>

// The input stream the JSON-RPC parsers hand to their JSON reader when
// numbers beyond a double's range must pass (the RapidJSON stream concept:
// Peek, Take, Tell), over (pointer, length). The request parser reads
// in situ first and through this one only after the reader refused a
// number as too big; the client's reply reader always uses it.
// Internal to the parsers; pure and header-only.
namespace mid::protocol::jsonrpc {

// Where the JSON number starting at `at` ends (RFC 8259 section 6:
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?), and whether the
// bytes from `at` form one. An invalid number ends where the grammar failed.
struct NumberToken {
  std::size_t end = 0;
  bool valid = false;
  bool exponent = false;  // a valid number that ends in its exponent
};
[[nodiscard]] NumberToken scan_number(std::string_view in, std::size_t at) noexcept;

// Reads the datagram byte by byte. Nothing relies on a NUL terminator:
// past the end Peek and Take give '\0' (the reader's end mark) and Tell
// stays at the size, so an embedded NUL byte is seen by the caller as
// Tell() < size.
//
// Numbers: the reader computes every number's value even when it only
// reports its text, and refuses one beyond a double's range (1e400, a
// 400-digit integer) although RFC 8259 allows it. The stream shows every
// valid number outside strings as one of the same length whose value is
// tiny: "0", "-0", "0e0...", "0.0..."; the parser takes the text from
// the datagram by position. Each stand-in accepts as its next byte only
// bytes the real number accepts too (a stand-in ends in its exponent when
// the number does), so the reader ends it where the number ends, and a
// number glued to the next ("-00", "1e5e3") is refused as it should be;
// a number start glued to a number is never replaced (see glued()).
// An invalid number is shown as it is, so the reader refuses it where the
// grammar fails. The stream tracks strings (quotes, backslash escapes)
// itself: it sees every byte the reader takes, in order.
class DatagramStream {
 public:
  using Ch = char;

  explicit DatagramStream(std::string_view in) noexcept : in_(in) {}

  [[nodiscard]] char Peek() const noexcept {
    if (pos_ >= in_.size()) return '\0';
    // Inside a string (most bytes of a request) no number is planned.
    if (in_string_) return in_[pos_];
    if (pos_ >= token_end_ && starts_number(in_[pos_]) && !glued()) plan_token();
    return pos_ < token_end_ ? shown(pos_) : in_[pos_];
  }
  char Take() noexcept {
    if (in_string_ && pos_ < in_.size()) {
      const char c = in_[pos_];
      advance_in_string(c);
      return c;
    }
    const char c = Peek();
    if (pos_ < in_.size()) advance(in_[pos_]);
    return c;
  }
  [[nodiscard]] std::size_t Tell() const noexcept { return pos_; }
  [[nodiscard]] std::string_view input() const noexcept { return in_; }

  // Output half of the concept: used only by in-situ parsing, never here.
  static char* PutBegin() noexcept { return nullptr; }
  static void Put(char /*unused*/) noexcept {}
  static void Flush() noexcept {}
  static std::size_t PutEnd(char* /*unused*/) noexcept { return 0; }

 private:
  static bool starts_number(char c) noexcept { return c == '-' || (c >= '0' && c <= '9'); }

  // A number start right where the last number ended (or where an invalid
  // one failed) is shown as it is: the reader refuses it there, as in the
  // datagram, instead of reading on into a stand-in ("0.5-1e400" must not
  // read as "0.0" + "0e000").
  [[nodiscard]] bool glued() const noexcept { return token_end_ != 0 && pos_ == token_end_; }

  void plan_token() const noexcept {
    const NumberToken token = scan_number(in_, pos_);
    token_begin_ = pos_;
    token_end_ = token.end;
    token_valid_ = token.valid;
    token_exponent_ = token.exponent;
  }

  [[nodiscard]] char shown(std::size_t at) const noexcept {
    if (!token_valid_) return in_[at];
    const std::size_t i = at - token_begin_;
    const std::size_t length = token_end_ - token_begin_;
    if (length == 1) return '0';
    if (length == 2) return i == 0 ? '-' : '0';
    if (i == 1) return token_exponent_ ? 'e' : '.';
    return '0';
  }

  void advance_in_string(char raw) noexcept {
    if (escaped_) {
      escaped_ = false;
    } else if (raw == '\\') {
      escaped_ = true;
    } else if (raw == '"') {
      in_string_ = false;
    }
    ++pos_;
  }

  void advance(char raw) noexcept {
    if (in_string_) {
      advance_in_string(raw);
      return;
    }
    if (raw == '"') in_string_ = true;
    ++pos_;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  // The number token under the read position, planned on its first Peek.
  mutable std::size_t token_begin_ = 0;
  mutable std::size_t token_end_ = 0;
  mutable bool token_valid_ = false;
  mutable bool token_exponent_ = false;
};

inline NumberToken scan_number(std::string_view in, std::size_t at) noexcept {
  std::size_t pos = at;
  const auto is_digit = [&in](std::size_t p) {
    return p < in.size() && in[p] >= '0' && in[p] <= '9';
  };
  const auto digits = [&](std::size_t p) {
    while (is_digit(p)) ++p;
    return p;
  };
  if (pos < in.size() && in[pos] == '-') ++pos;
  if (!is_digit(pos)) return {pos, false, false};
  pos = in[pos] == '0' ? pos + 1 : digits(pos);
  if (pos < in.size() && in[pos] == '.') {
    if (!is_digit(++pos)) return {pos, false, false};
    pos = digits(pos);
  }
  if (pos < in.size() && (in[pos] == 'e' || in[pos] == 'E')) {
    ++pos;
    if (pos < in.size() && (in[pos] == '+' || in[pos] == '-')) ++pos;
    if (!is_digit(pos)) return {pos, false, false};
    return {digits(pos), true, true};
  }
  return {pos, true, false};
}

}  // namespace mid::protocol::jsonrpc

#pragma once

#include <cstddef>
#include <string_view>

// The datagram as the JSON reader sees it on the usual path: byte for
// byte (the RapidJSON stream concept: Peek, Take, Tell). Internal to the
// parsers; pure and header-only.
//
// Nothing relies on a NUL terminator: past the end Peek and Take give
// '\0' (the reader's end mark) and Tell stays at the size, so an embedded
// NUL byte is seen by the caller as Tell() < size.
//
// The reader refuses a number beyond a double's range (1e400), which RFC
// 8259 allows; only then does the parser read the datagram again through
// DatagramStream, which shows such numbers as stand-ins. Keeping that
// bookkeeping off this stream halves the reader's cost per byte.
namespace mid::protocol::jsonrpc {

class ByteStream {
 public:
  using Ch = char;

  explicit ByteStream(std::string_view in) noexcept : in_(in) {}

  [[nodiscard]] char Peek() const noexcept { return pos_ < in_.size() ? in_[pos_] : '\0'; }
  char Take() noexcept { return pos_ < in_.size() ? in_[pos_++] : '\0'; }
  [[nodiscard]] std::size_t Tell() const noexcept { return pos_; }
  [[nodiscard]] std::string_view input() const noexcept { return in_; }

  // Output half of the concept: used only by in-situ parsing, never here.
  static char* PutBegin() noexcept { return nullptr; }
  static void Put(char /*unused*/) noexcept {}
  static void Flush() noexcept {}
  static std::size_t PutEnd(char* /*unused*/) noexcept { return 0; }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace mid::protocol::jsonrpc

#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "protocol/text/reply.hpp"

namespace mid::protocol::text {

// The one place where an Error becomes wire text. The reason names the
// part of the request, the byte offset and the problem:
//   "400 bad argument at byte 17: unterminated quote"
class ErrorReply {
 public:
  explicit ErrorReply(core::Error error) noexcept;
  [[nodiscard]] Reply reply() const noexcept { return Reply{code_, reason(), nullptr}; }
  [[nodiscard]] std::string_view reason() const noexcept { return {text_.data(), size_}; }

 private:
  std::array<char, 128> text_{};
  std::size_t size_ = 0;
  unsigned code_ = 500;
};

}  // namespace mid::protocol::text

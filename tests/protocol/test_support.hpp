#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/errc.hpp"
#include "core/result.hpp"

// Shared helpers for the protocol tests: readable gtest output for error
// values, and exact-size heap copies so ASan sees any read past the input.
namespace mid::core {

inline void PrintTo(Errc code, std::ostream* os) {
  *os << to_string(code);
}

inline void PrintTo(const Error& error, std::ostream* os) {
  *os << "Error{" << to_string(error.code) << ", offset " << error.offset << "}";
}

// Every Errc, found from the enum's contiguous values (to_string's switch
// is exhaustive, so the first value past the end reads "unknown error").
inline std::vector<Errc> all_errc() {
  std::vector<Errc> codes;
  for (unsigned value = 0; value < 256; ++value) {
    const auto code = static_cast<Errc>(value);
    if (to_string(code) == "unknown error") break;
    codes.push_back(code);
  }
  return codes;
}

}  // namespace mid::core

namespace mid::test {

// An input held in a heap block of exactly its size: a read one byte past
// the end is a heap-buffer-overflow under ASan instead of a silent read.
class ExactCopy {
 public:
  explicit ExactCopy(std::string_view text) : bytes_(text.begin(), text.end()) {}
  [[nodiscard]] std::string_view view() const noexcept { return {bytes_.data(), bytes_.size()}; }

 private:
  std::vector<char> bytes_;
};

inline std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out.append(piece);
  return out;
}

}  // namespace mid::test

#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <span>
#include <string_view>

// The only way printers write output. The capacity check is
// `n > capacity - used` (it never adds, so it cannot overflow), and the
// writer stays failed after the first refusal, so a printer can write a
// whole reply and check once at the end.
namespace mid::core {

class BoundedWriter {
 public:
  explicit BoundedWriter(std::span<char> out) noexcept : out_(out) {}

  bool put(std::string_view s) noexcept {
    if (failed_ || s.size() > out_.size() - used_) {
      failed_ = true;
      return false;
    }
    if (!s.empty()) std::memcpy(out_.subspan(used_).data(), s.data(), s.size());
    used_ += s.size();
    return true;
  }

  bool put(char c) noexcept { return put(std::string_view(&c, 1)); }

  // Writes `value` in decimal.
  bool put_unsigned(unsigned long long value) noexcept {
    std::array<char, 20> digits{};
    std::size_t n = 0;
    do {
      digits[digits.size() - 1 - n] = static_cast<char>('0' + value % 10);
      value /= 10;
      ++n;
    } while (value != 0);
    return put(std::string_view(digits.data(), digits.size()).substr(digits.size() - n));
  }

  [[nodiscard]] bool failed() const noexcept { return failed_; }
  [[nodiscard]] std::size_t size() const noexcept { return used_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return out_.size(); }
  [[nodiscard]] std::string_view view() const noexcept { return {out_.data(), used_}; }

 private:
  std::span<char> out_;
  std::size_t used_ = 0;
  bool failed_ = false;
};

}  // namespace mid::core

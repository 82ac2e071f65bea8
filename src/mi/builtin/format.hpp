#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

// Small fixed-size text for reply values: numbers and dates.
namespace mid::mi::builtin {

class NumberText {
 public:
  explicit NumberText(std::uint64_t value) noexcept;
  [[nodiscard]] std::string_view view() const noexcept {
    return {text_.data() + begin_, 20 - begin_};
  }

 private:
  std::array<char, 20> text_{};
  std::size_t begin_ = 20;
};

// "Thu Nov 26 12:13:55 2026 UTC": the original printed ctime(); we print
// UTC so every process and every reader agrees, and say so.
class DateText {
 public:
  explicit DateText(std::int64_t seconds_since_epoch) noexcept;
  [[nodiscard]] std::string_view view() const noexcept { return {text_.data(), size_}; }

 private:
  std::array<char, 48> text_{};
  std::size_t size_ = 0;
};

// The DateText of the last second asked for: `uptime` shows the time now
// on every request, and its text changes once a second.
class DateCache {
 public:
  [[nodiscard]] std::string_view text(std::int64_t seconds_since_epoch) noexcept {
    if (seconds_since_epoch != seconds_) {
      seconds_ = seconds_since_epoch;
      text_ = DateText(seconds_);
    }
    return text_.view();
  }

 private:
  std::int64_t seconds_ = 0;
  DateText text_{0};
};

}  // namespace mid::mi::builtin

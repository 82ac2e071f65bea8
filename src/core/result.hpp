#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

#include "core/errc.hpp"

// Errors as values for the pure layer. libstdc++ 12 has no std::expected
// in C++20, so this is the small subset we need: a value or an Error that
// carries the code and the byte offset where processing stopped.
namespace mid::core {

struct Error {
  Errc code;
  std::size_t offset = 0;  // byte offset in the input where processing stopped
  friend bool operator==(const Error&, const Error&) = default;
};

template <class T>
class [[nodiscard]] Result {
  static_assert(std::is_nothrow_move_constructible_v<T>);

 public:
  Result(T value) noexcept : value_(std::move(value)) {}       // NOLINT: implicit by design
  Result(Error error) noexcept : error_(error), ok_(false) {}  // NOLINT: implicit by design

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  // Precondition: ok(). Checked by _GLIBCXX_ASSERTIONS-style contract in debug.
  [[nodiscard]] const T& value() const& noexcept { return value_; }
  [[nodiscard]] T& value() & noexcept { return value_; }
  [[nodiscard]] T&& value() && noexcept { return std::move(value_); }
  // Precondition: !ok().
  [[nodiscard]] Error error() const noexcept { return error_; }

 private:
  T value_{};
  Error error_{Errc::empty_request, 0};
  bool ok_ = true;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() noexcept = default;
  Result(Error error) noexcept : error_(error), ok_(false) {}  // NOLINT: implicit by design
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  [[nodiscard]] Error error() const noexcept { return error_; }

 private:
  Error error_{Errc::empty_request, 0};
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace mid::core

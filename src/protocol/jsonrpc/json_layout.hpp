#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "core/bounded_writer.hpp"
#include "core/limits.hpp"

// Writes one JSON value again from its parse events, for the client's
// readable view of a reply (reply_reader.hpp). Pure, noexcept, no
// allocation; output only through the BoundedWriter.
namespace mid::protocol::jsonrpc {

// The deepest nesting a reply may have (core/limits.hpp).
using core::kMaxReplyDepth;

// Layouts:
//   indented  "{" or "[", then each member or element on its own line,
//             indented by two spaces per level of nesting, a member as
//             "KEY": VALUE; "," after all but the last; the closing
//             bracket on its own line at the container's indentation. An
//             empty container is "{}" or "[]". No trailing newline.
//   compact   no whitespace at all.
// Strings and keys are written by put_string (json_text.hpp): valid JSON
// without a raw control byte, DEL or C1 control; numbers and literals as
// given. The output is a JSON value with the same tokens as the input.
//
// The caller feeds the events of one value (scalar, or a container and
// everything in it) and guarantees they nest properly, at most
// kMaxReplyDepth levels deep (deeper opens are ignored: the caller stops
// before). done() is true once that value is complete.
class JsonLayout {
 public:
  JsonLayout() noexcept = default;

  // Starts a new value written to `out`.
  void begin(core::BoundedWriter& out, bool indented) noexcept;

  void open(bool object) noexcept;
  void close(bool object) noexcept;
  void key(std::string_view decoded) noexcept;
  void string(std::string_view decoded) noexcept;
  // A number as written, or a literal (true, false, null).
  void raw(std::string_view text) noexcept;

  [[nodiscard]] bool done() const noexcept { return started_ && depth_ == 0; }

 private:
  void before_value() noexcept;
  void new_line(std::size_t depth) noexcept;

  core::BoundedWriter* out_ = nullptr;
  bool indented_ = false;
  bool started_ = false;
  bool after_key_ = false;
  std::size_t depth_ = 0;
  std::array<bool, kMaxReplyDepth + 1> has_items_{};
};

}  // namespace mid::protocol::jsonrpc

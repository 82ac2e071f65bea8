#include "protocol/jsonrpc/json_layout.hpp"

#include <algorithm>
#include <array>

#include "protocol/jsonrpc/json_text.hpp"

namespace mid::protocol::jsonrpc {

void JsonLayout::begin(core::BoundedWriter& out, bool indented) noexcept {
  out_ = &out;
  indented_ = indented;
  started_ = false;
  after_key_ = false;
  depth_ = 0;
}

namespace {

// A line break and the deepest indentation, written in one piece.
constexpr std::array<char, 1 + 2 * kMaxReplyDepth> kBreak = [] {
  std::array<char, 1 + 2 * kMaxReplyDepth> text{};
  text.fill(' ');
  text[0] = '\n';
  return text;
}();

}  // namespace

void JsonLayout::new_line(std::size_t depth) noexcept {
  if (!indented_) return;
  out_->put(std::string_view(kBreak.data(), 1 + 2 * std::min(depth, kMaxReplyDepth)));
}

// Inside a container, an element starts after "," (but the first) on a
// new line; a member's value follows its key on the key's line.
void JsonLayout::before_value() noexcept {
  started_ = true;
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ == 0) return;
  if (has_items_[depth_]) out_->put(',');
  has_items_[depth_] = true;
  new_line(depth_);
}

void JsonLayout::open(bool object) noexcept {
  if (depth_ >= kMaxReplyDepth) return;
  before_value();
  out_->put(object ? '{' : '[');
  has_items_[++depth_] = false;
}

void JsonLayout::close(bool object) noexcept {
  if (depth_ == 0) return;
  if (has_items_[depth_]) new_line(depth_ - 1);
  --depth_;
  out_->put(object ? '}' : ']');
}

void JsonLayout::key(std::string_view decoded) noexcept {
  before_value();
  put_string(*out_, decoded);
  out_->put(indented_ ? ": " : ":");
  after_key_ = true;
}

void JsonLayout::string(std::string_view decoded) noexcept {
  before_value();
  put_string(*out_, decoded);
}

void JsonLayout::raw(std::string_view text) noexcept {
  before_value();
  out_->put(text);
}

}  // namespace mid::protocol::jsonrpc

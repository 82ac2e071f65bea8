#include "protocol/jsonrpc/document_builder.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <span>

namespace mid::protocol::jsonrpc {
namespace {

// The texts name the bounds of request.hpp; keep them in step.
static_assert(kMaxJsonDepth == 16 && kMaxBatch == 64 && kMaxJsonParams == 4096 &&
              kMaxJsonElements == 4096);

constexpr std::uint8_t bit(unsigned member) noexcept {
  return static_cast<std::uint8_t>(1U << member);
}

bool is_json_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The reader decodes "\udc00" (a low surrogate escaped alone) to the
// 3-byte sequence ED B0 80, which is not UTF-8 (RapidJSON 1.1 checks only
// a high surrogate for its pair). Raw input bytes are validated before
// this, so ED A0..BF in a decoded string can only come from such an escape.
bool has_lone_surrogate(std::string_view text) noexcept {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) == 0xED &&
        static_cast<unsigned char>(text[i + 1]) >= 0xA0) {
      return true;
    }
  }
  return false;
}

}  // namespace

void DocumentBuilder::reset(std::string_view datagram, Strings strings) noexcept {
  in_ = datagram;
  strings_ = strings;
  // Without a backslash there is no escape, so no string to check for a
  // lone surrogate (has_lone_surrogate): most requests have none.
  escapes_ = datagram.find('\\') != std::string_view::npos;
  last_end_ = depth_ = calls_ = params_ = elements_ = arena_used_ = top_start_ = 0;
  batch_ = in_call_ = false;
  member_ = Member::ignored;
  seen_ = 0;
  name_ = {};
  name_from_ = 0;
  doc_error_ = syntax_error_ = RpcError{};
}

// Where the token after `from` (the end of the previous one) starts: the
// reader has validated the bytes between two events, only JSON whitespace
// and at most one ',' or ':'. Computed only when an offset is reported or
// kept (an error, an id), not for every event.
std::size_t DocumentBuilder::value_start(std::size_t from) const noexcept {
  std::size_t pos = from;
  const auto skip_space = [&] {
    while (pos < in_.size() && is_json_space(in_[pos])) ++pos;
  };
  skip_space();
  if (pos < in_.size() && (in_[pos] == ',' || in_[pos] == ':')) {
    ++pos;
    skip_space();
  }
  return pos;
}

bool DocumentBuilder::open(bool object, std::size_t at) noexcept {
  last_end_ = at + 1;
  if (depth_ == kMaxJsonDepth) {
    fail_document("nesting deeper than 16 levels", at);
    return false;
  }
  if (doc_error_.code != RpcCode::none) return push(Role::ignored);
  if (depth_ == 0) return open_top(object, at);
  switch (top()) {
    case Role::batch:
      return open_in_batch(object, at);
    case Role::call:
      return open_member(object, at);
    case Role::positional:
    case Role::named:
      return open_param(object, at);
    case Role::array_param:
      fail_call(RpcCode::invalid_params, "an array parameter holds an array or an object", at);
      return push(Role::ignored);
    case Role::ignored:
      break;
  }
  return push(Role::ignored);
}

bool DocumentBuilder::push(Role role, std::uint32_t index) noexcept {
  frames_[depth_++] = Frame{role, index};
  return true;
}

bool DocumentBuilder::open_top(bool object, std::size_t start) noexcept {
  top_start_ = start;
  if (!object) {
    batch_ = true;
    return push(Role::batch);
  }
  return start_call(start) ? push(Role::call, static_cast<std::uint32_t>(params_))
                           : push(Role::ignored);
}

bool DocumentBuilder::open_in_batch(bool object, std::size_t start) noexcept {
  if (!start_call(start)) return push(Role::ignored);
  if (!object) {
    fail_call(RpcCode::invalid_request, "a batch element is not an object", start);
    in_call_ = false;
    return push(Role::ignored);
  }
  return push(Role::call, static_cast<std::uint32_t>(params_));
}

bool DocumentBuilder::open_member(bool object, std::size_t start) noexcept {
  switch (member_) {
    case Member::params:
      call().shape = object ? ParamsShape::named : ParamsShape::positional;
      return push(object ? Role::named : Role::positional, static_cast<std::uint32_t>(params_));
    case Member::jsonrpc:
    case Member::method:
    case Member::id:
      scalar_member(ValueKind::array, {}, start, start);
      break;
    case Member::unknown:
    case Member::ignored:
      break;
  }
  return push(Role::ignored);
}

bool DocumentBuilder::open_param(bool object, std::size_t start) noexcept {
  if (object) {
    fail_call(RpcCode::invalid_params, "a parameter is an object", start);
    return push(Role::ignored);
  }
  if (!add_param(Value{ValueKind::array, {}, static_cast<std::uint32_t>(elements_), 0}, start)) {
    return push(Role::ignored);
  }
  return push(Role::array_param, static_cast<std::uint32_t>(params_ - 1));
}

bool DocumentBuilder::close(std::size_t at) noexcept {
  last_end_ = at + 1;
  const Frame frame = frames_[--depth_];
  if (doc_error_.code != RpcCode::none) return true;
  switch (frame.role) {
    case Role::call:
      call().params = std::span<const Param>(s_.params).subspan(frame.index, params_ - frame.index);
      close_call(at);
      break;
    case Role::named:
      check_duplicate_names(frame.index);
      break;
    case Role::batch:
      if (calls_ == 0) fail_document("empty batch", top_start_);
      break;
    case Role::positional:
    case Role::array_param:
    case Role::ignored:
      break;
  }
  return true;
}

void DocumentBuilder::close_call(std::size_t at) noexcept {
  if ((seen_ & bit(static_cast<unsigned>(Member::jsonrpc))) == 0) {
    fail_call(RpcCode::invalid_request, "missing member \"jsonrpc\"", at);
  }
  if ((seen_ & bit(static_cast<unsigned>(Member::method))) == 0) {
    fail_call(RpcCode::invalid_request, "missing member \"method\"", at);
  }
  in_call_ = false;
}

// Sorting the call's names (in place, no allocation) keeps the check
// O(n log n) for 4096 parameters, where comparing every pair would not be.
void DocumentBuilder::check_duplicate_names(std::uint32_t first) noexcept {
  const std::size_t count = params_ - first;
  if (count < 2) return;
  const std::span<std::uint16_t> order = std::span(s_.order).first(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = static_cast<std::uint16_t>(first + i);
  std::sort(order.begin(), order.end(), [this](std::uint16_t a, std::uint16_t b) {
    return s_.params[a].name < s_.params[b].name;
  });
  std::size_t offset = in_.size() + 1;
  for (std::size_t i = 1; i < count; ++i) {
    if (s_.params[order[i - 1]].name != s_.params[order[i]].name) continue;
    const std::size_t later = std::max(s_.key_offsets[order[i - 1]], s_.key_offsets[order[i]]);
    offset = std::min(offset, later);
  }
  if (offset <= in_.size()) {
    fail_call(RpcCode::invalid_params, "duplicate parameter name", value_start(offset));
  }
}

bool DocumentBuilder::key(std::string_view name, std::size_t at) noexcept {
  const std::size_t from = last_end_;
  last_end_ = at;
  if (escapes_ && has_lone_surrogate(name)) {
    syntax_error_ = {RpcCode::parse_error, "invalid JSON: a lone UTF-16 surrogate escape",
                     value_start(from)};
    return false;
  }
  if (doc_error_.code != RpcCode::none) return true;
  if (top() == Role::named) {
    name_ = store(name);
    name_from_ = from;
  } else if (top() == Role::call) {
    static constexpr std::array<std::string_view, 4> kMembers{"jsonrpc", "method", "id", "params"};
    const auto* found = std::find(kMembers.begin(), kMembers.end(), name);
    if (found == kMembers.end()) {
      fail_call(RpcCode::invalid_request,
                "unknown member (only jsonrpc, method, params and id are allowed)",
                value_start(from));
      member_ = Member::unknown;
      return true;
    }
    const auto member = static_cast<unsigned>(std::distance(kMembers.begin(), found));
    member_ = (seen_ & bit(member)) != 0 ? Member::ignored : static_cast<Member>(member);
    if (member_ == Member::ignored) {
      fail_call(RpcCode::invalid_request, "duplicate member", value_start(from));
    }
    seen_ = static_cast<std::uint8_t>(seen_ | bit(member));
  }
  return true;
}

bool DocumentBuilder::scalar(ValueKind kind, std::string_view text, std::size_t at) noexcept {
  const std::size_t from = last_end_;
  last_end_ = at;
  if (kind == ValueKind::string && escapes_ && has_lone_surrogate(text)) {
    syntax_error_ = {RpcCode::parse_error, "invalid JSON: a lone UTF-16 surrogate escape",
                     value_start(from)};
    return false;
  }
  if (doc_error_.code != RpcCode::none) return true;
  if (depth_ == 0) {
    fail_document("the top level is neither an object nor an array", value_start(from));
    return true;
  }
  switch (top()) {
    case Role::batch: {
      const std::size_t start = value_start(from);
      if (start_call(start)) {
        fail_call(RpcCode::invalid_request, "a batch element is not an object", start);
        in_call_ = false;
      }
      break;
    }
    case Role::call:
      scalar_member(kind, text, value_start(from), at);
      break;
    case Role::positional:
    case Role::named:
      add_param(Value{kind, kind == ValueKind::string ? store(text) : text}, from);
      break;
    case Role::array_param:
      add_element(kind, kind == ValueKind::string ? store(text) : text, from);
      break;
    case Role::ignored:
      break;
  }
  return true;
}

// A member's value; `kind` array stands for any container here.
void DocumentBuilder::scalar_member(ValueKind kind, std::string_view text, std::size_t start,
                                    std::size_t end) noexcept {
  switch (member_) {
    case Member::jsonrpc:
      if (kind != ValueKind::string || text != "2.0") {
        fail_call(RpcCode::invalid_request, "\"jsonrpc\" is not \"2.0\"", start);
      }
      break;
    case Member::method:
      if (kind != ValueKind::string) {
        fail_call(RpcCode::invalid_request, "\"method\" is not a string", start);
      } else {
        call().method = store(text);
      }
      break;
    case Member::id:
      if (kind == ValueKind::boolean || kind == ValueKind::array) {
        fail_call(RpcCode::invalid_request, "\"id\" is not a string, a number or null", start);
      } else {
        call().has_id = true;
        call().id = in_.substr(start, end - start);
      }
      break;
    case Member::params:
      fail_call(RpcCode::invalid_request, "\"params\" is neither an array nor an object", start);
      break;
    case Member::unknown:
    case Member::ignored:
      break;
  }
}

bool DocumentBuilder::start_call(std::size_t start) noexcept {
  if (calls_ == kMaxBatch) {
    fail_document("batch of more than 64 calls", start);
    return false;
  }
  s_.calls[calls_++] = Call{};
  in_call_ = true;
  seen_ = 0;
  member_ = Member::ignored;
  return true;
}

bool DocumentBuilder::add_param(Value value, std::size_t from) noexcept {
  if (params_ == kMaxJsonParams) {
    fail_document("more than 4096 parameters", value_start(from));
    return false;
  }
  const bool named = top() == Role::named;
  s_.params[params_] = Param{named ? name_ : std::string_view{}, value};
  s_.key_offsets[params_] = static_cast<std::uint32_t>(named ? name_from_ : from);
  ++params_;
  return true;
}

bool DocumentBuilder::add_element(ValueKind kind, std::string_view text,
                                  std::size_t from) noexcept {
  if (elements_ == kMaxJsonElements) {
    fail_document("more than 4096 array elements", value_start(from));
    return false;
  }
  s_.elements[elements_++] = Value{kind, text};
  ++s_.params[frames_[depth_ - 1].index].value.count;
  return true;
}

// Decoded strings are never longer than their source, so the arena (one
// datagram) holds every string of a datagram; the check is a backstop.
std::string_view DocumentBuilder::store(std::string_view text) noexcept {
  if (strings_ == Strings::in_arena) return text;
  if (text.size() > s_.arena.size() - arena_used_) {
    fail_document("decoded strings larger than the datagram", in_.size());
    return {};
  }
  const std::span<char> out = std::span(s_.arena).subspan(arena_used_, text.size());
  if (!text.empty()) std::memcpy(out.data(), text.data(), text.size());
  arena_used_ += text.size();
  return {out.data(), out.size()};
}

void DocumentBuilder::fail_document(std::string_view data, std::size_t offset) noexcept {
  if (doc_error_.code == RpcCode::none) doc_error_ = {RpcCode::invalid_request, data, offset};
}

void DocumentBuilder::fail_call(RpcCode code, std::string_view data, std::size_t offset) noexcept {
  if (in_call_ && call().error.code == RpcCode::none) call().error = {code, data, offset};
}

DocumentBuilder::Role DocumentBuilder::top() const noexcept {
  return depth_ == 0 ? Role::ignored : frames_[depth_ - 1].role;
}

RpcError DocumentBuilder::stop_error() const noexcept {
  return syntax_error_.code != RpcCode::none ? syntax_error_ : doc_error_;
}

Document DocumentBuilder::document() const noexcept {
  return Document{batch_, std::span<const Call>(s_.calls).first(calls_),
                  std::span<const Value>(s_.elements).first(elements_)};
}

}  // namespace mid::protocol::jsonrpc

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/limits.hpp"
#include "protocol/jsonrpc/request.hpp"

// Builds a Document from the events of a JSON reader (internal to
// RequestParser, free of any JSON library). Events come in document order
// with the datagram offsets the reader had reached; every check a request
// needs beyond JSON syntax is made here. Pure, noexcept, no allocation.
namespace mid::protocol::jsonrpc {

// The fixed tables one parse fills; about 400 KiB, allocated once.
struct JsonScratch {
  std::array<Call, kMaxBatch> calls;
  std::array<Param, kMaxJsonParams> params;
  // Where the token before a parameter (its name, if named) ended.
  std::array<std::uint32_t, kMaxJsonParams> key_offsets;
  std::array<std::uint16_t, kMaxJsonParams> order;  // for the duplicate-name check
  std::array<Value, kMaxJsonElements> elements;
  // Decoded strings (never longer than the datagram): the datagram decoded
  // in situ and the NUL after it (the reader's end mark); or the strings
  // copied one by one.
  std::array<char, core::kMaxDatagram + 1> arena;
};
static_assert(kMaxJsonParams <= UINT16_MAX + 1U, "order holds parameter indices in 16 bits");

class DocumentBuilder {
 public:
  explicit DocumentBuilder(JsonScratch& scratch) noexcept : s_(scratch) {}

  // Where the reader's decoded strings live: in the arena already (decoded
  // in situ), or in the reader's own stack until the next event (copied
  // into the arena).
  enum class Strings : std::uint8_t { in_arena, copied };

  // Starts a new document over `datagram` (at most kMaxDatagram bytes).
  void reset(std::string_view datagram, Strings strings) noexcept;

  // Events. `at` is the reader's offset when it reports the event: the
  // bracket itself for open and close, the byte after the token for a key
  // or a scalar. `text` is the decoded string, or the number as written.
  // A false return stops the reader (nesting over kMaxJsonDepth, or a
  // string that is not valid UTF-8): see stop_error().
  [[nodiscard]] bool open(bool object, std::size_t at) noexcept;
  [[nodiscard]] bool close(std::size_t at) noexcept;
  [[nodiscard]] bool key(std::string_view name, std::size_t at) noexcept;
  [[nodiscard]] bool scalar(ValueKind kind, std::string_view text, std::size_t at) noexcept;

  // Why the reader was stopped: a parse_error (a lone surrogate) or the
  // depth bound (invalid_request).
  [[nodiscard]] RpcError stop_error() const noexcept;
  // The first whole-document invalid_request seen (none: the document).
  [[nodiscard]] RpcError document_error() const noexcept { return doc_error_; }
  [[nodiscard]] Document document() const noexcept;

 private:
  enum class Role : std::uint8_t { batch, call, positional, named, array_param, ignored };
  enum class Member : std::uint8_t { jsonrpc, method, id, params, unknown, ignored };
  struct Frame {
    Role role = Role::ignored;
    std::uint32_t index = 0;  // the call's first param, or the array param
  };

  [[nodiscard]] std::size_t value_start(std::size_t from) const noexcept;
  bool push(Role role, std::uint32_t index = 0) noexcept;
  bool open_top(bool object, std::size_t start) noexcept;
  bool open_in_batch(bool object, std::size_t start) noexcept;
  bool open_member(bool object, std::size_t start) noexcept;
  bool open_param(bool object, std::size_t start) noexcept;
  void scalar_member(ValueKind kind, std::string_view text, std::size_t start,
                     std::size_t end) noexcept;
  void close_call(std::size_t at) noexcept;
  void check_duplicate_names(std::uint32_t first) noexcept;
  bool start_call(std::size_t start) noexcept;
  // `from`: where the previous token ended (value_start finds the value).
  bool add_param(Value value, std::size_t from) noexcept;
  bool add_element(ValueKind kind, std::string_view text, std::size_t from) noexcept;
  std::string_view store(std::string_view text) noexcept;
  void fail_document(std::string_view data, std::size_t offset) noexcept;
  void fail_call(RpcCode code, std::string_view data, std::size_t offset) noexcept;
  [[nodiscard]] Role top() const noexcept;
  [[nodiscard]] Call& call() noexcept { return s_.calls[calls_ - 1]; }

  JsonScratch& s_;
  std::string_view in_;
  std::size_t last_end_ = 0;  // where the last event's token ended
  std::array<Frame, kMaxJsonDepth> frames_{};
  std::size_t depth_ = 0;
  std::size_t calls_ = 0;
  std::size_t params_ = 0;
  std::size_t elements_ = 0;
  std::size_t arena_used_ = 0;
  std::size_t top_start_ = 0;
  Strings strings_ = Strings::copied;
  bool escapes_ = false;  // the datagram holds a backslash
  bool batch_ = false;
  bool in_call_ = false;
  Member member_ = Member::ignored;  // the call member whose value comes next
  std::uint8_t seen_ = 0;            // the call members seen, one bit each
  std::string_view name_;            // the named parameter whose value comes next
  std::size_t name_from_ = 0;        // where the token before that name ended
  RpcError doc_error_;
  RpcError syntax_error_;
};

}  // namespace mid::protocol::jsonrpc

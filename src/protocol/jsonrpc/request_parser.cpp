#include "protocol/jsonrpc/request_parser.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/limits.hpp"
#include "core/utf8.hpp"
#include "protocol/jsonrpc/datagram_stream.hpp"
#include "protocol/jsonrpc/document_builder.hpp"
#include "protocol/jsonrpc/rapidjson_reader.hpp"

namespace mid::protocol::jsonrpc {
namespace {

// Recursive, one frame per open container: the builder refuses the
// seventeenth level (kMaxJsonDepth) in StartObject/StartArray, which the
// reader calls before it reads the container's contents, so the reader
// never goes deeper than that, and it is cheaper than the iterative one
// (-350 instructions per request). Numbers as text: never converted, so
// none loses its digits. UTF-8 is checked over the whole datagram before
// the reader runs (core::utf8_invalid_at), not by the reader byte by byte
// inside strings (outside strings a non-ASCII byte is a syntax error).
constexpr unsigned kReaderFlags = rapidjson::kParseNumbersAsStringsFlag;

constexpr std::string_view kInvalidUtf8 = "invalid UTF-8";

// The reader's stack holds, at most, one decoded string or number (never
// longer than the datagram, plus its NUL), and only when it reads with
// stand-ins: in situ, strings are decoded where they stand, and the
// recursive reader keeps no containers there. Sized once so that it never
// grows during a parse.
constexpr std::size_t kReaderStack = core::kMaxDatagram + 1 + 64;

// Our texts for the reader's errors: plain words, one per error.
constexpr std::array<std::string_view, rapidjson::kParseErrorUnspecificSyntaxError + 1>
    kSyntaxTexts{
        "no error",
        "no JSON value: the datagram is empty or blank",
        "bytes after the JSON document",
        "invalid JSON: not a valid value",
        "invalid JSON: missing a member name",
        "invalid JSON: missing a ':' after a member name",
        "invalid JSON: missing a comma or '}' after an object member",
        "invalid JSON: missing a comma or ']' after an array element",
        "invalid JSON: a \\u escape without four hex digits",
        "invalid JSON: a UTF-16 surrogate escape without its pair",
        "invalid JSON: an invalid escape or a raw control character in a string",
        "invalid JSON: a string without its closing quote",
        "invalid UTF-8 in a string",
        "invalid JSON: an invalid number",
        "invalid JSON: a number without digits after its '.'",
        "invalid JSON: a number without digits in its exponent",
        "invalid JSON: parse stopped",
        "invalid JSON",
    };

// The reader's events, passed to the builder with the stream's offset.
// Numbers arrive as RawNumber only; the other number events never come.
template <typename Stream>
class Events : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Events<Stream>> {
 public:
  // The stream is not const: RapidJSON's in-situ stream has no const Tell().
  Events(DocumentBuilder& builder, Stream& in, std::string_view datagram) noexcept
      : builder_(builder), in_(in), datagram_(datagram) {}

  static bool Default() noexcept { return false; }
  // Literals too are views of the datagram (which holds them as written).
  bool Null() noexcept { return builder_.scalar(ValueKind::null, taken(4), in_.Tell()); }
  bool Bool(bool value) noexcept {
    return builder_.scalar(ValueKind::boolean, taken(value ? 4 : 5), in_.Tell());
  }
  // The text is taken from the datagram, where the number ends at Tell():
  // DatagramStream shows the reader a stand-in of the same length, and in
  // situ the reader does not end it with a NUL.
  bool RawNumber(const char* /*shown*/, rapidjson::SizeType length, bool /*copy*/) noexcept {
    return builder_.scalar(ValueKind::number, taken(length), in_.Tell());
  }
  bool String(const char* text, rapidjson::SizeType length, bool /*copy*/) noexcept {
    return builder_.scalar(ValueKind::string, {text, length}, in_.Tell());
  }
  bool Key(const char* text, rapidjson::SizeType length, bool /*copy*/) noexcept {
    return builder_.key({text, length}, in_.Tell());
  }
  // The reader has taken the bracket: the builder is told where it stands.
  bool StartObject() noexcept { return builder_.open(true, in_.Tell() - 1); }
  bool EndObject(rapidjson::SizeType /*members*/) noexcept {
    return builder_.close(in_.Tell() - 1);
  }
  bool StartArray() noexcept { return builder_.open(false, in_.Tell() - 1); }
  bool EndArray(rapidjson::SizeType /*elements*/) noexcept {
    return builder_.close(in_.Tell() - 1);
  }

 private:
  // The `length` bytes the reader has just taken, as the datagram holds
  // them (in situ the reader rewrites only the insides of strings).
  [[nodiscard]] std::string_view taken(std::size_t length) const noexcept {
    return datagram_.substr(in_.Tell() - length, length);
  }

  DocumentBuilder& builder_;
  Stream& in_;
  std::string_view datagram_;
};

ParseOutcome failed(RpcCode code, std::string_view data, std::size_t offset) noexcept {
  return ParseOutcome{Document{}, RpcError{code, data, offset}};
}

}  // namespace

struct RequestParser::Impl {
  JsonScratch scratch;
  DocumentBuilder builder{scratch};
  rapidjson::Reader reader{nullptr, kReaderStack};

  ParseOutcome run(std::string_view datagram) noexcept;
  rapidjson::ParseResult read_in_place(std::string_view datagram, std::size_t& end) noexcept;
  rapidjson::ParseResult read_with_stand_ins(std::string_view datagram, std::size_t& end) noexcept;
};

RequestParser::RequestParser() : impl_(std::make_unique<Impl>()) {
  // The reader allocates its stack on its first push, which only the
  // reading with stand-ins makes (in situ, strings stay where they are):
  // a number beyond a double takes that path, so the stack is allocated
  // now, at full size.
  (void)impl_->run("[1e400,\"\"]");
}

RequestParser::~RequestParser() = default;

ParseOutcome RequestParser::parse(std::string_view datagram) noexcept {
  if (datagram.size() > core::kMaxDatagram) {
    return failed(RpcCode::invalid_request, "datagram larger than 65457 bytes", core::kMaxDatagram);
  }
  return impl_->run(datagram);
}

std::span<const char> RequestParser::arena() const noexcept {
  return impl_->scratch.arena;
}

ParseOutcome RequestParser::Impl::run(std::string_view datagram) noexcept {
  static_assert(core::kMaxDatagram == 65457, "the oversize text names the bound");
  if (const std::size_t bad = core::utf8_invalid_at(datagram); bad != datagram.size()) {
    return failed(RpcCode::parse_error, kInvalidUtf8, bad);
  }
  std::size_t end = 0;
  rapidjson::ParseResult result = read_in_place(datagram, end);
  if (result.Code() == rapidjson::kParseErrorNumberTooBig) {
    result = read_with_stand_ins(datagram, end);
  }
  if (result.IsError()) {
    if (result.Code() == rapidjson::kParseErrorTermination) {
      const RpcError stop = builder.stop_error();
      return failed(stop.code, stop.data, stop.offset);
    }
    const auto code = static_cast<std::size_t>(result.Code());
    const std::string_view text = code < kSyntaxTexts.size() ? kSyntaxTexts[code] : "invalid JSON";
    return failed(RpcCode::parse_error, text, std::min(result.Offset(), datagram.size()));
  }
  // The reader takes a NUL byte for the end of its input.
  if (end != datagram.size()) return failed(RpcCode::parse_error, kSyntaxTexts[2], end);
  const RpcError error = builder.document_error();
  if (error.code != RpcCode::none) return failed(error.code, error.data, error.offset);
  return ParseOutcome{builder.document(), RpcError{}};
}

// The usual reading: the datagram is copied into the arena and NUL-ended
// (JsonScratch), and the reader decodes its strings where they
// stand, so the document's strings are views of the arena. `end` is where
// the reader stopped: before an embedded NUL, or at the size.
rapidjson::ParseResult RequestParser::Impl::read_in_place(std::string_view datagram,
                                                          std::size_t& end) noexcept {
  const std::span<char> copy = std::span(scratch.arena).first(datagram.size() + 1);
  if (!datagram.empty()) std::memcpy(copy.data(), datagram.data(), datagram.size());
  copy.back() = '\0';
  builder.reset(datagram, DocumentBuilder::Strings::in_arena);
  rapidjson::InsituStringStream in(copy.data());
  Events<rapidjson::InsituStringStream> events(builder, in, datagram);
  const rapidjson::ParseResult result =
      reader.Parse<kReaderFlags | rapidjson::kParseInsituFlag>(in, events);
  end = in.Tell();
  return result;
}

// The reading for a datagram with a number beyond a double's range: the
// reader sees stand-ins for its numbers (DatagramStream) and the builder
// copies the decoded strings into the arena.
rapidjson::ParseResult RequestParser::Impl::read_with_stand_ins(std::string_view datagram,
                                                                std::size_t& end) noexcept {
  builder.reset(datagram, DocumentBuilder::Strings::copied);
  DatagramStream in(datagram);
  Events<DatagramStream> events(builder, in, datagram);
  const rapidjson::ParseResult result = reader.Parse<kReaderFlags>(in, events);
  end = in.Tell();
  return result;
}

}  // namespace mid::protocol::jsonrpc

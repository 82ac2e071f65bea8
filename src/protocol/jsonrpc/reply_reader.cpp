#include "protocol/jsonrpc/reply_reader.hpp"

#include <rapidjson/error/en.h>

#include <array>
#include <charconv>
#include <vector>

#include "core/control_bytes.hpp"
#include "core/utf8.hpp"
#include "protocol/jsonrpc/datagram_stream.hpp"
#include "protocol/jsonrpc/json_text.hpp"
#include "protocol/jsonrpc/rapidjson_reader.hpp"

namespace mid::protocol::jsonrpc {
namespace {

// As the request parser: iterative, validated UTF-8, numbers as text.
constexpr unsigned kReaderFlags = rapidjson::kParseIterativeFlag |
                                  rapidjson::kParseValidateEncodingFlag |
                                  rapidjson::kParseNumbersAsStringsFlag;

// One decoded string (never longer than the reply) above two words per
// open container; the handler stops the reader one level past the bound.
constexpr std::size_t kReaderStack =
    core::kMaxDatagram + 1 + (kMaxReplyDepth + 1) * 2 * sizeof(rapidjson::SizeType) + 64;

// A string shown as text grows at most four times ("\x7f" for a raw DEL);
// data as compact JSON at most six times ("\u007f").
constexpr std::size_t kMessageCapacity = 4 * core::kMaxDatagram;
constexpr std::size_t kDataCapacity = 6 * core::kMaxDatagram;

// `text` (valid UTF-8) with every control byte, DEL and C1 control escaped.
void put_visible(core::BoundedWriter& out, std::string_view text) noexcept {
  constexpr std::string_view kHex = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view escape = core::control_escape(text[i]);
    const auto byte = static_cast<unsigned char>(text[i]);
    if (!escape.empty()) {
      out.put(escape);
    } else if (byte == 0xc2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) < 0xa0) {
      const auto second = static_cast<unsigned char>(text[++i]);
      out.put("\\xc2\\x");
      out.put(kHex[second >> 4U]);
      out.put(kHex[second & 0xfU]);
    } else {
      out.put(text[i]);
    }
  }
}

enum class Member : std::uint8_t { none, jsonrpc, result, error, id, code, message, data };

Member member_of(std::string_view name, bool in_error) noexcept {
  if (in_error) {
    return name == "code"      ? Member::code
           : name == "message" ? Member::message
           : name == "data"    ? Member::data
                               : Member::none;
  }
  return name == "jsonrpc"  ? Member::jsonrpc
         : name == "result" ? Member::result
         : name == "error"  ? Member::error
         : name == "id"     ? Member::id
                            : Member::none;
}

// What a reply held, filled by the events.
struct Envelope {
  std::array<bool, 8> seen{};  // by Member
  bool in_error = false;       // inside the error object
  bool top_scalar = false;     // the document is a scalar (judged once it is whole JSON)
  Member pending = Member::none;
  long code = 0;
  std::string_view id;
  [[nodiscard]] bool has(Member m) const noexcept { return seen[static_cast<std::size_t>(m)]; }
};

}  // namespace

struct ReplyReader::Impl {
  rapidjson::Reader reader{nullptr, kReaderStack};
  std::vector<char> message_storage = std::vector<char>(kMessageCapacity);
  std::vector<char> data_storage = std::vector<char>(kDataCapacity);

  ReplyOutcome run(std::string_view reply, std::string_view expected_id,
                   core::BoundedWriter& out) noexcept;
};

namespace {

// The reader's events. Outside a value being laid out (result, data), the
// events are the response's own structure; inside, they go to `layout`.
class Events : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Events> {
 public:
  Events(const DatagramStream& in, core::BoundedWriter& out, core::BoundedWriter& message,
         core::BoundedWriter& data) noexcept
      : in_(in), out_(out), message_(message), data_(data) {}

  static bool Default() noexcept { return false; }
  bool Null() noexcept { return scalar(false, taken(4)); }
  bool Bool(bool value) noexcept { return scalar(false, taken(value ? 4 : 5)); }
  bool RawNumber(const char* /*shown*/, rapidjson::SizeType length, bool /*copy*/) noexcept {
    return number(taken(length));
  }
  bool String(const char* text, rapidjson::SizeType length, bool /*copy*/) noexcept {
    const std::string_view decoded(text, length);
    if (!core::is_utf8(decoded))
      return fail(ReplyFault::not_json, "invalid UTF-8 in a string escape");
    return scalar(true, decoded);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool /*copy*/) noexcept;
  bool StartObject() noexcept { return open(true); }
  bool EndObject(rapidjson::SizeType /*members*/) noexcept { return close(true); }
  bool StartArray() noexcept { return open(false); }
  bool EndArray(rapidjson::SizeType /*elements*/) noexcept { return close(false); }

  [[nodiscard]] const Envelope& envelope() const noexcept { return envelope_; }
  [[nodiscard]] ReplyFault fault() const noexcept { return fault_; }
  [[nodiscard]] std::string_view problem() const noexcept { return problem_; }
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }

 private:
  [[nodiscard]] std::string_view taken(std::size_t length) const noexcept {
    return in_.input().substr(in_.Tell() - length, length);
  }
  bool fail(ReplyFault fault, std::string_view problem) noexcept {
    fault_ = fault;
    problem_ = problem;
    offset_ = in_.Tell();
    return false;
  }
  bool not_response(std::string_view problem) noexcept {
    return fail(ReplyFault::not_response, problem);
  }
  bool number(std::string_view text) noexcept;
  bool scalar(bool is_string, std::string_view text) noexcept;
  bool member_scalar(bool is_string, std::string_view text) noexcept;
  bool open(bool object) noexcept;
  bool close(bool object) noexcept;
  bool start_layout(core::BoundedWriter& out, bool indented, bool object) noexcept;
  void value_done() noexcept;

  const DatagramStream& in_;
  core::BoundedWriter& out_;
  core::BoundedWriter& message_;
  core::BoundedWriter& data_;
  Envelope envelope_;
  JsonLayout layout_;
  bool in_layout_ = false;
  std::size_t depth_ = 0;     // open containers, in the layout too
  std::string_view key_end_;  // the reply up to the end of the last key
  ReplyFault fault_ = ReplyFault::none;
  std::string_view problem_;
  std::size_t offset_ = 0;
};

bool Events::Key(const char* text, rapidjson::SizeType length, bool /*copy*/) noexcept {
  const std::string_view name(text, length);
  if (!core::is_utf8(name)) return fail(ReplyFault::not_json, "invalid UTF-8 in a string escape");
  if (in_layout_) {
    layout_.key(name);
    return true;
  }
  const Member member = member_of(name, envelope_.in_error);
  if (member == Member::none) {
    return not_response(envelope_.in_error ? "an error member other than code, message, data"
                                           : "a member other than jsonrpc, result, error, id");
  }
  if (envelope_.has(member)) return not_response("a member given twice");
  envelope_.seen[static_cast<std::size_t>(member)] = true;
  envelope_.pending = member;
  key_end_ = in_.input().substr(0, in_.Tell());
  return true;
}

void Events::value_done() noexcept {
  envelope_.pending = Member::none;
  in_layout_ = false;
}

bool Events::number(std::string_view text) noexcept {
  if (in_layout_ || envelope_.pending != Member::code) return scalar(false, text);
  long code = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), code);
  if (!is_json_integer(text) || ec != std::errc() || end != text.data() + text.size()) {
    return not_response("an error code that is not an integer");
  }
  envelope_.code = code;
  value_done();
  return true;
}

bool Events::scalar(bool is_string, std::string_view text) noexcept {
  if (in_layout_) {
    if (is_string) {
      layout_.string(text);
    } else {
      layout_.raw(text);
    }
    return true;
  }
  if (depth_ == 0) {
    envelope_.top_scalar = true;
    return true;
  }
  return member_scalar(is_string, text);
}

// A scalar as the value of a response or error member.
bool Events::member_scalar(bool is_string, std::string_view text) noexcept {
  switch (envelope_.pending) {
    case Member::jsonrpc:
      if (!is_string || text != "2.0") return not_response("\"jsonrpc\" is not \"2.0\"");
      break;
    case Member::id: {
      // The id's bytes as received: from after its key to here, less ':'.
      std::string_view raw = in_.input().substr(key_end_.size(), in_.Tell() - key_end_.size());
      raw.remove_prefix(std::min(raw.find_first_not_of(" \t\r\n:"), raw.size()));
      envelope_.id = raw;
      break;
    }
    case Member::result:
      layout_.begin(out_, true);
      is_string ? layout_.string(text) : layout_.raw(text);
      break;
    case Member::message:
      if (!is_string) return not_response("an error message that is not a string");
      put_visible(message_, text);
      break;
    case Member::data:
      if (is_string) {
        put_visible(data_, text);
      } else {
        layout_.begin(data_, false);
        layout_.raw(text);
      }
      break;
    default:
      return not_response(envelope_.pending == Member::code ? "an error code that is not an integer"
                                                            : "an error that is not an object");
  }
  value_done();
  return true;
}

bool Events::start_layout(core::BoundedWriter& out, bool indented, bool object) noexcept {
  layout_.begin(out, indented);
  layout_.open(object);
  in_layout_ = true;
  return true;
}

bool Events::open(bool object) noexcept {
  if (++depth_ > kMaxReplyDepth) return fail(ReplyFault::too_deep, "nested too deep");
  if (in_layout_) {
    layout_.open(object);
    return true;
  }
  if (depth_ == 1) return object || not_response("not a JSON object (a batch?)");
  switch (envelope_.pending) {
    case Member::result:
      return start_layout(out_, true, object);
    case Member::data:
      return start_layout(data_, false, object);
    case Member::error:
      if (!object) return not_response("an error that is not an object");
      envelope_.in_error = true;
      envelope_.pending = Member::none;
      return true;
    case Member::id:
      return not_response("an id that is not a string, number or null");
    default:
      return not_response("a member of the wrong type");
  }
}

bool Events::close(bool object) noexcept {
  --depth_;
  if (in_layout_) {
    layout_.close(object);
    if (layout_.done()) value_done();
    return true;
  }
  if (envelope_.in_error) {
    envelope_.in_error = false;
    if (!envelope_.has(Member::code) || !envelope_.has(Member::message)) {
      return not_response("an error without its code or message");
    }
  }
  return true;
}

}  // namespace

std::string_view to_string(ReplyFault fault) noexcept {
  switch (fault) {
    case ReplyFault::none:
      return "no fault";
    case ReplyFault::too_large:
      return "the reply is larger than 65457 bytes";
    case ReplyFault::not_json:
      return "the reply is not JSON";
    case ReplyFault::too_deep:
      return "the reply is nested too deep";
    case ReplyFault::not_response:
      return "the reply is not a JSON-RPC 2.0 response";
    case ReplyFault::id_mismatch:
      return "the reply's id is not the request's";
    case ReplyFault::output_too_large:
      return "the reply's readable text does not fit";
  }
  return "unknown fault";
}

namespace {

ReplyOutcome refused(ReplyFault fault, std::string_view problem, std::size_t offset) noexcept {
  ReplyOutcome outcome;
  outcome.fault = fault;
  outcome.problem = problem;
  outcome.offset = offset;
  return outcome;
}

// The envelope of a complete document: one response, or why not.
ReplyOutcome judge(const Envelope& envelope, std::string_view expected_id,
                   std::size_t size) noexcept {
  if (envelope.top_scalar) return refused(ReplyFault::not_response, "not a JSON object", size);
  if (!envelope.has(Member::jsonrpc))
    return refused(ReplyFault::not_response, "no \"jsonrpc\"", size);
  if (!envelope.has(Member::id)) return refused(ReplyFault::not_response, "no \"id\"", size);
  const bool result = envelope.has(Member::result);
  const bool error = envelope.has(Member::error);
  if (result == error) {
    return refused(ReplyFault::not_response,
                   result ? "both \"result\" and \"error\"" : "neither \"result\" nor \"error\"",
                   size);
  }
  if (!expected_id.empty() && envelope.id != expected_id) {
    return refused(ReplyFault::id_mismatch, "another request's id", size);
  }
  ReplyOutcome outcome;
  outcome.offset = size;
  outcome.is_error = error;
  outcome.code = envelope.code;
  outcome.id = envelope.id;
  return outcome;
}

}  // namespace

ReplyOutcome ReplyReader::Impl::run(std::string_view reply, std::string_view expected_id,
                                    core::BoundedWriter& out) noexcept {
  core::BoundedWriter message(message_storage);
  core::BoundedWriter data(data_storage);
  DatagramStream in(reply);
  Events events(in, out, message, data);
  const rapidjson::ParseResult result = reader.Parse<kReaderFlags>(in, events);
  if (result.IsError()) {
    if (events.fault() != ReplyFault::none) {
      return refused(events.fault(), events.problem(), events.offset());
    }
    return refused(ReplyFault::not_json, rapidjson::GetParseError_En(result.Code()),
                   std::min(result.Offset(), reply.size()));
  }
  // The reader takes a NUL byte for the end of its input.
  if (in.Tell() != reply.size()) {
    return refused(ReplyFault::not_json, "bytes after the JSON document", in.Tell());
  }
  ReplyOutcome outcome = judge(events.envelope(), expected_id, reply.size());
  if (outcome.fault != ReplyFault::none) return outcome;
  if (outcome.is_error) {
    put_integer(out, outcome.code);
    out.put(' ');
    out.put(message.view());
    if (events.envelope().has(Member::data)) {
      out.put(": ");
      out.put(data.view());
    }
  }
  out.put('\n');
  if (out.failed() || message.failed() || data.failed()) {
    return refused(ReplyFault::output_too_large, "the readable text does not fit", reply.size());
  }
  return outcome;
}

ReplyReader::ReplyReader() : impl_(std::make_unique<Impl>()) {
  // The reader allocates its stack on first use: do it now, at full size.
  std::array<char, 64> scratch{};
  core::BoundedWriter out(scratch);
  (void)impl_->run(R"({"jsonrpc":"2.0","result":[""],"id":1})", "", out);
}

ReplyReader::~ReplyReader() = default;

ReplyOutcome ReplyReader::read(std::string_view reply, std::string_view expected_id,
                               core::BoundedWriter& out) noexcept {
  if (reply.size() > core::kMaxDatagram) {
    return refused(ReplyFault::too_large, "larger than 65457 bytes", core::kMaxDatagram);
  }
  return impl_->run(reply, expected_id, out);
}

}  // namespace mid::protocol::jsonrpc

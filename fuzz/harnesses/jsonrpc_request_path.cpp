// Harness: the whole request path in-process over JSON-RPC 2.0, as a
// worker runs it per datagram: parse, match the declared forms, run the
// real built-in commands over the daemon's own statistics, print
// (request::handle_datagram; no sockets). Byte 0 picks the layout (bit 0:
// pretty_printing = yes); the rest is the datagram.
// Invariants: no reply is deferred (no async here); a reply is at most
// kMaxDatagram bytes; when the datagram speaks JSON (first non-blank byte
// '{' or '['), a non-empty reply is one valid JSON value in valid UTF-8
// (RapidJSON, kParseValidateEncodingFlag) with no raw control byte (pretty:
// but its LF and TAB); it holds one response per call that gets one
// (JSON-RPC 2.0: every call with an id, and an invalid call without one),
// in order, each echoing its call's id byte for byte (null when the id is
// unknown; an id may hold DEL or C1 raw, the rest of the reply may not); a batch is answered by an
// array unless its replies did not fit; Outcome::no_reply exactly when no call gets a response (a
// notification, or a batch of them). A text datagram still gets a reply.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

#include "builtin_world.hpp"
#include "common/harness.hpp"
#include "common/json_tokens.hpp"
#include "core/limits.hpp"
#include "protocol/jsonrpc/request_parser.hpp"
#include "stats/statistics.hpp"
#include "transport/server_statistics.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace request = mid::request;
namespace jsonrpc = mid::protocol::jsonrpc;
namespace stats = mid::stats;

// The daemon's commands and statistics (as app::Runtime builds them), with
// `kill` enabled so its path runs too (it only raises a shared flag); a
// compact and a pretty workspace; a parser of our own to know the calls.
struct Server {
  mid::support::BuiltinWorld world;
  request::Workspace pretty{true};
  jsonrpc::RequestParser parser;

  Server() {
    stats::Statistics& statistics = world.statistics;
    check(mid::transport::define_server_statistics(statistics).ok(), "server statistics");
    check(statistics.define("dialog", "active_dialogs", stats::Kind::gauge).ok(), "dialog stat");
    check(statistics.define("tm", "UAS_transactions", stats::Kind::counter).ok(), "tm stat");
    world.environment.kill_enabled = true;
    check(world.start("mi-datagram fuzz"), "built-in commands");
  }
};

bool speaks_json(std::string_view datagram) {
  const auto first = datagram.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (datagram[first] == '{' || datagram[first] == '[');
}

// A text read in place, '\0' past its end: unlike rapidjson::StringStream
// it asks for no local copy (StreamTraits' copyOptimization is off), so
// Tell() inside a handler call is the position just after the token
// reported.
struct TrackedStream {
  using Ch = char;
  std::string_view text;
  std::size_t at = 0;
  [[nodiscard]] Ch Peek() const { return at < text.size() ? text[at] : '\0'; }
  Ch Take() { return at < text.size() ? text[at++] : '\0'; }
  [[nodiscard]] std::size_t Tell() const { return at; }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch /*c*/) {}
  void Flush() {}
  std::size_t PutEnd(Ch* /*begin*/) { return 0; }
};

// The top-level responses of a reply as RapidJSON reads it: whether the
// root is an array, and the raw bytes of each response's "id" value (the
// reader's stream position before and after the value).
class Responses : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Responses> {
 public:
  explicit Responses(const TrackedStream& stream) : stream_(stream) {}

  bool Null() { return value(); }
  bool Bool(bool /*value*/) { return value(); }
  bool RawNumber(const char* /*text*/, rapidjson::SizeType /*length*/, bool /*copy*/) {
    return value();
  }
  bool String(const char* /*text*/, rapidjson::SizeType /*length*/, bool /*copy*/) {
    return value();
  }
  bool Key(const char* text, rapidjson::SizeType length, bool /*copy*/) {
    id_next_ = at_response_level() && std::string_view(text, length) == "id";
    value_start_ = stream_.Tell();
    return true;
  }
  bool StartObject() {
    id_next_ = false;
    if (containers_.empty() || (containers_.size() == 1 && root_array_)) ++responses_;
    containers_.push_back('{');
    return true;
  }
  bool EndObject(rapidjson::SizeType /*members*/) {
    containers_.pop_back();
    return true;
  }
  bool StartArray() {
    id_next_ = false;
    if (containers_.empty()) root_array_ = true;
    containers_.push_back('[');
    return true;
  }
  bool EndArray(rapidjson::SizeType /*elements*/) {
    containers_.pop_back();
    return true;
  }
  bool Default() { return value(); }

  [[nodiscard]] bool root_array() const { return root_array_; }
  [[nodiscard]] std::size_t responses() const { return responses_; }
  [[nodiscard]] const std::vector<std::pair<std::size_t, std::size_t>>& ids() const { return ids_; }

 private:
  // Inside a response object itself (not its result or error).
  [[nodiscard]] bool at_response_level() const {
    return containers_.size() == (root_array_ ? 2U : 1U) && containers_.back() == '{';
  }
  bool value() {
    if (id_next_) ids_.emplace_back(value_start_, stream_.Tell());
    id_next_ = false;
    return true;
  }

  const TrackedStream& stream_;
  std::vector<char> containers_;
  bool root_array_ = false;
  bool id_next_ = false;
  std::size_t value_start_ = 0;
  std::size_t responses_ = 0;
  std::vector<std::pair<std::size_t, std::size_t>> ids_;
};

// What RapidJSON reads of a reply: the top level, the number of
// responses, and where each response's id value lies ([start, end) of
// the reply, the ':' and blanks before the value included).
struct ReplyShape {
  bool root_array = false;
  std::size_t responses = 0;
  std::vector<std::pair<std::size_t, std::size_t>> id_spans;
};

// Aborts unless `reply` is one valid JSON value in valid UTF-8 without a
// duplicate key.
ReplyShape read_reply(const std::string& reply) {
  check(reply.find('\0') == std::string::npos, "a NUL in a JSON reply");
  TrackedStream stream{reply};
  Responses handler(stream);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseIterativeFlag;
  check(!reader.Parse<kFlags>(stream, handler).IsError(), "a JSON reply that is not valid JSON");
  check(mid::fuzz::json_tokens(reply).has_value(), "a duplicate key in a JSON reply");
  return ReplyShape{handler.root_array(), handler.responses(), handler.ids()};
}

bool is_number_id(std::string_view id) {
  return !id.empty() && (id[0] == '-' || (id[0] >= '0' && id[0] <= '9'));
}

// RapidJSON 1.1 refuses a number beyond a double (kParseErrorNumberTooBig)
// although JSON allows it, and the request path echoes a numeric id as
// sent (1e400 too): blank out each numeric id the reply must echo, where
// it stands as a response's id, keeping its length (blanks, then "0") so
// that positions in the copy are positions in the reply.
std::string without_number_ids(std::string reply, const std::vector<std::string>& expected) {
  for (const std::string& id : expected) {
    if (!is_number_id(id)) continue;
    for (const std::string key : {"\"id\":", "\"id\":\t"}) {
      const std::string pattern = key + id;
      for (std::size_t at = reply.find(pattern); at != std::string::npos;
           at = reply.find(pattern, at + 1)) {
        const std::size_t end = at + pattern.size();
        if (end < reply.size() && (reply[end] == '}' || reply[end] == '\n')) {
          reply.replace(at + key.size(), id.size(), std::string(id.size() - 1, ' ') + "0");
        }
      }
    }
  }
  return reply;
}

// JSON-RPC 2.0: a valid call gets a response when it has an id; an invalid
// one also without an id when it is an Invalid Request (its id is unknown).
bool gets_response(const jsonrpc::Call& call) {
  if (call.error.code == jsonrpc::RpcCode::none) return call.has_id;
  return call.has_id || call.error.code == jsonrpc::RpcCode::invalid_request;
}

// An id as a response echoes it: byte for byte, but DEL and the C1
// controls (which a JSON string may hold raw) as \u00xx.
std::string echoed(std::string_view id) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const auto byte = static_cast<unsigned char>(id[i]);
    unsigned code = 0;
    if (byte == 0x7f) code = 0x7f;
    if (byte == 0xc2 && i + 1 < id.size() && static_cast<unsigned char>(id[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(id[i + 1]) <= 0x9f) {
      code = static_cast<unsigned char>(id[++i]);
    }
    if (code == 0) {
      out += id[i];
    } else {
      out += "\\u00";
      out += kHex[code >> 4U];
      out += kHex[code & 0xfU];
    }
  }
  return out;
}

// The ids the responses must echo, in order ("null" for an unknown one).
std::vector<std::string> expected_ids(const jsonrpc::ParseOutcome& parsed) {
  if (parsed.error.code != jsonrpc::RpcCode::none) return {"null"};
  std::vector<std::string> ids;
  for (const jsonrpc::Call& call : parsed.document.calls) {
    if (gets_response(call)) ids.emplace_back(call.has_id ? echoed(call.id) : "null");
  }
  return ids;
}

void check_json_reply(Server& server, std::string_view datagram, const request::Handled& handled,
                      bool pretty) {
  const jsonrpc::ParseOutcome parsed = server.parser.parse(datagram);
  std::vector<std::string> expected = expected_ids(parsed);
  const bool batch = parsed.error.code == jsonrpc::RpcCode::none && parsed.document.batch;
  check((handled.outcome == request::Outcome::no_reply) == expected.empty(),
        "no_reply for a call that needs a response, or a response to notifications");
  if (expected.empty()) {
    check(handled.reply.empty(), "bytes sent for notifications");
    return;
  }
  check(!handled.reply.empty(), "no reply to a call that needs one");
  const bool too_large = handled.outcome == request::Outcome::reply_too_large;
  if (batch && too_large) expected = {"null"};
  const std::string reply(handled.reply);
  const ReplyShape shape = read_reply(without_number_ids(reply, expected));
  check(shape.root_array == (batch && !too_large),
        "a batch not answered by an array, or a call by one");
  check(shape.responses == expected.size(), "not one response per call that needs one");
  std::vector<std::string> ids;
  for (const auto& [start, end] : shape.id_spans) {
    std::string text = reply.substr(start, end - start);
    text.erase(0, text.find_first_not_of(":\t\n "));
    ids.push_back(text);
  }
  check(ids == expected, "an id not echoed byte for byte (its controls escaped)");
  // Nowhere, ids included, a raw control byte.
  check(mid::fuzz::has_no_raw_control(reply, pretty ? "\n\t" : ""), "a raw control byte");
}

void run(std::string_view input) {
  static Server& server = *new Server;
  if (input.empty()) return;
  server.world.reset_shared();  // each input starts from the same state
  const bool pretty = (static_cast<unsigned char>(input[0]) & 1U) != 0;
  const std::string_view datagram = input.substr(1);
  request::Workspace& workspace = pretty ? server.pretty : *server.world.workspace;
  const request::Handled handled =
      request::handle_datagram(datagram, server.world.registry, workspace, "\t");
  check(handled.outcome != request::Outcome::deferred, "a reply was deferred without async");
  check(handled.reply.size() <= core::kMaxDatagram, "reply size");
  if (!speaks_json(datagram)) {
    check(!handled.reply.empty(), "a text request without a reply");
    return;
  }
  check_json_reply(server, datagram, handled, pretty);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

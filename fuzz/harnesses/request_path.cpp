// Harness: the whole request path in-process, as a worker runs it per
// datagram: parse, dispatch to the real built-in commands over the
// daemon's own statistics, print (request::handle_datagram; no sockets).
// Byte 0 picks reply_indent (common/indent.hpp); the rest is the datagram.
// Invariants: every datagram gets exactly one reply (no command here
// defers) of at most kMaxDatagram bytes, which the client's parser reads;
// its status agrees with the outcome; no line of it carries a control
// byte raw but its LF (common/raw_control.hpp); a datagram over kMaxDatagram is
// rejected whole with the same reply whether seen whole or through the
// server's kReceiveBuffer.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "builtin_world.hpp"
#include "common/harness.hpp"
#include "common/indent.hpp"
#include "common/raw_control.hpp"
#include "core/limits.hpp"
#include "protocol/text/error_reply.hpp"
#include "protocol/text/reply_parser.hpp"
#include "stats/statistics.hpp"
#include "transport/server_statistics.hpp"

namespace {

using mid::fuzz::check;
namespace core = mid::core;
namespace mi = mid::mi;
namespace tree = mid::tree;
namespace request = mid::request;
namespace protocol = mid::protocol;
namespace stats = mid::stats;

// The daemon's commands and statistics (as app::Runtime builds them), with
// `kill` enabled so its path runs too (it only raises a shared flag), and
// a few statistics in the groups the seed's examples use; and the
// client's reader.
struct Server {
  mid::support::BuiltinWorld world;
  tree::Tree tree;
  protocol::text::ReplyScratch scratch;

  Server() {
    stats::Statistics& statistics = world.statistics;
    check(mid::transport::define_server_statistics(statistics).ok(), "server statistics");
    check(statistics.define("dialog", "active_dialogs", stats::Kind::gauge).ok(), "dialog stat");
    check(statistics.define("tm", "UAS_transactions", stats::Kind::counter).ok(), "tm stat");
    world.environment.kill_enabled = true;
    check(world.start("mi-datagram fuzz"), "built-in commands");
  }
};

bool code_matches(request::Outcome outcome, unsigned code) {
  switch (outcome) {
    case request::Outcome::ok:
      return code >= 200 && code <= 299;
    case request::Outcome::command_failed:
      return code < 200 || code > 299;
    case request::Outcome::bad_request:
    case request::Outcome::request_too_large:
      return code == 400;
    case request::Outcome::unknown_command:
      return code == 404;
    case request::Outcome::reply_too_large:
    case request::Outcome::reply_invalid:
      return code == 500;
    case request::Outcome::deferred:
    case request::Outcome::no_reply:  // JSON only: never for a text request
      return false;
  }
  return false;
}

void check_oversize(Server& server, std::string_view datagram, const std::string& indent,
                    std::string_view reply) {
  const protocol::text::ErrorReply expected({core::Errc::request_too_large, core::kMaxDatagram});
  check(reply == "400 " + std::string(expected.reason()) + "\n", "oversize reply text");
  const std::string whole(reply);
  const auto received = server.world.handle(datagram.substr(0, core::kReceiveBuffer), indent);
  check(received.reply == whole, "oversize datagram seen through the receive buffer");
}

void run(std::string_view input) {
  static Server& server = *new Server;
  if (input.empty()) return;
  server.world.reset_shared();  // each input starts from the same state
  const std::string indent = mid::fuzz::indent_from_byte(static_cast<unsigned char>(input[0]));
  const std::string_view datagram = input.substr(1);
  // A datagram that opens with '{' or '[' (after blanks) speaks JSON-RPC:
  // the jsonrpc_request_path harness checks those replies.
  const auto first = datagram.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (datagram[first] == '{' || datagram[first] == '[')) {
    return;
  }
  const request::Handled handled = server.world.handle(datagram, indent);
  check(handled.outcome != request::Outcome::deferred, "a reply was deferred without async");
  check(!handled.reply.empty() && handled.reply.size() <= core::kMaxDatagram, "reply size");
  const auto status =
      protocol::text::parse_reply(handled.reply, indent, server.tree, server.scratch);
  check(status.ok(), "the client cannot read the reply");
  check(mid::fuzz::has_no_raw_control_byte(handled.reply, indent), "a raw control byte in a reply");
  check(code_matches(handled.outcome, status.value().code), "status disagrees with outcome");
  if (datagram.size() > core::kMaxDatagram) {
    check(handled.outcome == request::Outcome::request_too_large, "oversize datagram accepted");
    check_oversize(server, datagram, indent, handled.reply);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

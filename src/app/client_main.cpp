// mi-datagram: build one request, send it, print the reply, and exit with
// a status that says what happened (mi-datagram(1)).

#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/client_json.hpp"
#include "app/client_options.hpp"
#include "app/client_output.hpp"
#include "config/socket_address.hpp"
#include "core/limits.hpp"
#include "core/version.hpp"
#include "protocol/jsonrpc/reply_reader.hpp"
#include "protocol/text/reply_parser.hpp"
#include "protocol/text/request_printer.hpp"
#include "transport/client_socket.hpp"
#include "tree/tree.hpp"

using namespace mid;

namespace {

using Datagram = std::array<char, core::kReceiveBuffer>;

int fail(int status, const std::string& message) {
  (void)std::fprintf(stderr, "mi-datagram: %s\n", message.c_str());
  return status;
}

// Reads standard input whole; more than the limit is an error, not a cut.
bool read_raw_request(Datagram& buffer, std::size_t& size) {
  size = 0;
  while (size < buffer.size()) {
    const ssize_t n = read(STDIN_FILENO, buffer.data() + size, buffer.size() - size);
    if (n < 0) return false;
    if (n == 0) return true;
    size += static_cast<std::size_t>(n);
  }
  return true;
}

bool build_request(const app::ClientOptions& options, Datagram& buffer, std::size_t& size,
                   std::string& error) {
  std::vector<tree::Argument> arguments;
  for (const std::string& word : options.arguments) {
    const std::string_view text = word;
    const std::size_t separator = text.find("::");
    if (separator != std::string_view::npos && separator > 0) {
      arguments.push_back({text.substr(0, separator), text.substr(separator + 2)});
    } else {
      arguments.push_back({{}, text});
    }
  }
  auto printed = protocol::text::print_request(options.command, arguments,
                                               std::span<char>(buffer).first(core::kMaxDatagram));
  if (!printed) {
    error = printed.error().code == core::Errc::request_too_large
                ? "the request is larger than 65457 bytes"
                : "cannot write this command or argument as a request (see docs/PROTOCOL.md)";
    return false;
  }
  size = printed.value();
  return true;
}

int exit_status_of(std::string_view reply) {
  auto tree = std::make_unique<tree::Tree>();
  auto scratch = std::make_unique<protocol::text::ReplyScratch>();
  // Indentation is the server's choice; read the reply flat to check it.
  auto parsed = protocol::text::parse_reply(reply, "", *tree, *scratch);
  if (!parsed) {
    (void)std::fprintf(stderr, "mi-datagram: malformed reply at byte %zu: %s\n",
                       parsed.error().offset, core::to_string(parsed.error().code).data());
    return app::kExitErrorReply;
  }
  const unsigned code = parsed.value().code;
  return code >= 200 && code <= 299 ? app::kExitSuccess : app::kExitErrorReply;
}

// To a terminal, control bytes are shown as escapes unless --raw.
bool write_reply(std::string_view text, bool raw) {
  if (!raw && isatty(STDOUT_FILENO) == 1) {
    const std::string shown = app::terminal_text(text);
    return std::fwrite(shown.data(), 1, shown.size(), stdout) == shown.size();
  }
  return std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
}

// The request from standard input or the command line, in the protocol
// chosen; false with `status` set when it cannot be made.
bool make_request(const app::ClientOptions& options, Datagram& buffer, app::JsonRequest& request,
                  int& status) {
  std::string error;
  if (options.request_from_stdin) {
    if (!read_raw_request(buffer, request.size)) {
      status = fail(app::kExitUsage, "cannot read standard input");
      return false;
    }
    if (request.size > core::kMaxDatagram) {
      status = fail(app::kExitUsage, "the request on standard input is larger than 65457 bytes");
      return false;
    }
    if (options.json) app::expect_reply_to({buffer.data(), request.size}, request);
    return true;
  }
  const std::span<char> out = std::span<char>(buffer).first(core::kMaxDatagram);
  const bool made = options.json
                        ? app::build_json_request(options, static_cast<std::uint64_t>(getpid()),
                                                  out, request, error)
                        : build_request(options, buffer, request.size, error);
  if (!made) status = fail(app::kExitUsage, error);
  return made;
}

// A JSON reply: readable (or raw with -r), and its exit status.
int show_json_reply(std::string_view reply, const protocol::jsonrpc::ReplyOutcome& outcome,
                    std::string_view readable, bool raw) {
  using protocol::jsonrpc::ReplyFault;
  if (outcome.fault != ReplyFault::none) {
    if (!write_reply(reply, raw)) return app::kExitErrorReply;
    (void)std::fprintf(stderr, "mi-datagram: malformed reply at byte %zu: %s: %s\n", outcome.offset,
                       protocol::jsonrpc::to_string(outcome.fault).data(),
                       std::string(outcome.problem).c_str());
    return app::kExitErrorReply;
  }
  if (!write_reply(raw ? reply : readable, true)) return app::kExitErrorReply;
  // An error object of any code (4xx, 5xx, JSON-RPC's -32xxx, which are
  // 400-class) exits as a 4xx or 5xx text reply does.
  return outcome.is_error ? app::kExitErrorReply : app::kExitSuccess;
}

// Receives until the reply comes (for JSON: one with our id; another id
// is dropped and counted, as a datagram from another sender is).
struct Exchange {
  int status = -1;  // set when the exchange failed
  std::size_t size = 0;
  std::size_t other_ids = 0;
  protocol::jsonrpc::ReplyOutcome outcome;
  std::string_view readable;  // the reader's text, in the caller's storage
};

Exchange receive_reply(transport::ClientSocket& socket, const app::ClientOptions& options,
                       const app::JsonRequest& request, Datagram& reply,
                       protocol::jsonrpc::ReplyReader* reader, std::span<char> readable_storage) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  Exchange exchange;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const auto received = socket.receive(reply, static_cast<int>(std::max<long>(left.count(), 0)));
    if (received.status == transport::ClientSocket::Status::timeout) {
      exchange.status =
          fail(app::kExitTimeout, "no reply within " + std::to_string(options.timeout_ms) + " ms");
      return exchange;
    }
    if (received.status != transport::ClientSocket::Status::ok) {
      exchange.status = fail(app::kExitUnreachable, received.error);
      return exchange;
    }
    if (received.truncated || received.size > core::kMaxDatagram) {
      exchange.status = fail(app::kExitErrorReply, "the reply is larger than 65457 bytes");
      return exchange;
    }
    exchange.size = received.size;
    if (reader == nullptr) return exchange;
    core::BoundedWriter readable(readable_storage);
    exchange.outcome = reader->read({reply.data(), received.size}, request.expected_id, readable);
    exchange.readable = readable.view();
    if (exchange.outcome.fault != protocol::jsonrpc::ReplyFault::id_mismatch) return exchange;
    ++exchange.other_ids;
  }
}

// With --json, made before anything is sent: the reply is read without
// allocating.
struct JsonReading {
  explicit JsonReading(bool json)
      : reader(json ? std::make_unique<protocol::jsonrpc::ReplyReader>() : nullptr),
        text(json ? protocol::jsonrpc::kReadableCapacity : 0) {}
  std::unique_ptr<protocol::jsonrpc::ReplyReader> reader;
  std::vector<char> text;
};

// What was dropped on the way to the reply, on standard error.
void report_ignored(std::size_t other_senders, std::size_t other_ids) {
  if (other_senders > 0) {
    (void)std::fprintf(stderr, "mi-datagram: ignored %zu datagram%s not sent by the server\n",
                       other_senders, other_senders == 1 ? "" : "s");
  }
  if (other_ids > 0) {
    (void)std::fprintf(stderr, "mi-datagram: ignored %zu repl%s to another request id\n", other_ids,
                       other_ids == 1 ? "y" : "ies");
  }
}

}  // namespace

int main(int argc, char** argv) {
  app::ClientOptions options;
  std::string error;
  if (!app::parse_client_options(argc, argv, options, error)) {
    (void)std::fprintf(stderr, "mi-datagram: %s\n%s", error.c_str(), app::client_usage());
    return app::kExitUsage;
  }
  if (options.help) return std::fputs(app::client_usage(), stdout) < 0 ? 1 : 0;
  if (options.version) return std::printf("mi-datagram %s\n", core::kVersion) < 0 ? 1 : 0;

  auto request = std::make_unique<Datagram>();
  app::JsonRequest made;
  int status = 0;
  if (!make_request(options, *request, made, status)) return status;
  JsonReading json(options.json);

  auto address = config::parse_socket_address(options.socket);
  if (!address) return fail(app::kExitUsage, "invalid socket name: " + options.socket);
  transport::ClientSocket socket = transport::connect_client(address.value(), error);
  if (!socket.valid()) return fail(app::kExitUnreachable, error);
  if (!socket.send(std::span<const char>(request->data(), made.size), error)) {
    return fail(app::kExitUnreachable, error);
  }
  if (made.notification) {
    (void)std::fprintf(stderr, "mi-datagram: sent a notification (no id): no reply comes\n");
    return app::kExitSuccess;
  }
  auto reply = std::make_unique<Datagram>();
  const Exchange exchange =
      receive_reply(socket, options, made, *reply, json.reader.get(), json.text);
  report_ignored(socket.ignored(), exchange.other_ids);
  if (exchange.status >= 0) return exchange.status;
  const std::string_view text(reply->data(), exchange.size);
  if (options.json) {
    return show_json_reply(text, exchange.outcome, exchange.readable, options.raw_output);
  }
  if (!write_reply(text, options.raw_output)) return app::kExitErrorReply;
  return exit_status_of(text);
}

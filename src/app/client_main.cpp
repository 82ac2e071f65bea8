// mi-datagram: build one request, send it, print the reply, and exit with
// a status that says what happened (mi-datagram(1)).

#include <unistd.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/client_options.hpp"
#include "app/client_output.hpp"
#include "config/socket_address.hpp"
#include "core/limits.hpp"
#include "core/version.hpp"
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
  std::size_t request_size = 0;
  if (options.request_from_stdin) {
    if (!read_raw_request(*request, request_size))
      return fail(app::kExitUsage, "cannot read standard input");
    if (request_size > core::kMaxDatagram) {
      return fail(app::kExitUsage, "the request on standard input is larger than 65457 bytes");
    }
  } else if (!build_request(options, *request, request_size, error)) {
    return fail(app::kExitUsage, error);
  }

  auto address = config::parse_socket_address(options.socket);
  if (!address) return fail(app::kExitUsage, "invalid socket name: " + options.socket);
  transport::ClientSocket socket = transport::connect_client(address.value(), error);
  if (!socket.valid()) return fail(app::kExitUnreachable, error);
  if (!socket.send(std::span<const char>(request->data(), request_size), error)) {
    return fail(app::kExitUnreachable, error);
  }
  auto reply = std::make_unique<Datagram>();
  const auto received = socket.receive(*reply, options.timeout_ms);
  if (received.status == transport::ClientSocket::Status::timeout) {
    return fail(app::kExitTimeout, "no reply within " + std::to_string(options.timeout_ms) + " ms");
  }
  if (received.status != transport::ClientSocket::Status::ok)
    return fail(app::kExitUnreachable, received.error);
  if (received.truncated || received.size > core::kMaxDatagram) {
    return fail(app::kExitErrorReply, "the reply is larger than 65457 bytes");
  }
  if (socket.ignored() > 0) {
    (void)std::fprintf(stderr, "mi-datagram: ignored %zu datagram%s not sent by the server\n",
                       socket.ignored(), socket.ignored() == 1 ? "" : "s");
  }
  const std::string_view text(reply->data(), received.size);
  if (!write_reply(text, options.raw_output)) return app::kExitErrorReply;
  return exit_status_of(text);
}

#pragma once

#include <string>
#include <vector>

// mi-datagram's command line (mi-datagram(1)).
namespace mid::app {

inline constexpr const char* kDefaultSocket = "/run/mi-datagram/mi-datagramd.sock";
inline constexpr int kDefaultClientTimeoutMs = 5000;

// Exit statuses, documented in mi-datagram(1).
enum ClientExit : int {
  kExitSuccess = 0,      // a 2xx reply; with --json, a result
  kExitErrorReply = 1,   // a 4xx or 5xx reply, a JSON-RPC error (or a malformed reply)
  kExitUsage = 2,        // bad command line, or a request that cannot be written
  kExitTimeout = 3,      // no reply within the timeout
  kExitUnreachable = 4,  // the server's socket could not be reached
};

struct ClientOptions {
  std::string socket;  // -s, else $MI_DATAGRAM_SOCKET, else kDefaultSocket
  int timeout_ms = kDefaultClientTimeoutMs;
  bool request_from_stdin = false;  // "-": the request is read from standard input as it is
  bool raw_output = false;          // --raw: the reply's bytes as received, even to a terminal
  bool json = false;                // --json: a JSON-RPC 2.0 request (mi-datagram(1))
  bool help = false;
  bool version = false;
  std::string command;
  // "name::value" is a named argument; with --json, "name=value"
  std::vector<std::string> arguments;
};

[[nodiscard]] bool parse_client_options(int argc, char** argv, ClientOptions& options,
                                        std::string& error);
[[nodiscard]] const char* client_usage() noexcept;

}  // namespace mid::app

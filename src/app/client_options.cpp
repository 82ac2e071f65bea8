#include "app/client_options.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace mid::app {
namespace {

// The value of -s/--socket or -t/--timeout.
bool take_value(std::string_view flag, std::string_view value, ClientOptions& options,
                std::string& error) {
  if (flag == "-s" || flag == "--socket") {
    options.socket = std::string(value);
    return true;
  }
  const char* const end_of_value = value.data() + value.size();
  const auto [end, ec] = std::from_chars(value.data(), end_of_value, options.timeout_ms);
  if (ec != std::errc() || end != end_of_value || options.timeout_ms < 1 ||
      options.timeout_ms > 3600000) {
    error = "the timeout must be 1..3600000 milliseconds, got \"" + std::string(value) + "\"";
    return false;
  }
  return true;
}

// A flag without a value (-r, -j); false when `arg` is none of them.
bool take_flag(std::string_view arg, ClientOptions& options) {
  if (arg == "-r" || arg == "--raw") {
    options.raw_output = true;
  } else if (arg == "-j" || arg == "--json") {
    options.json = true;
  } else {
    return false;
  }
  return true;
}

// What follows the options (from argv[first]): the command and its
// arguments, or nothing after '-'.
bool take_command(int argc, char** argv, int first, ClientOptions& options, std::string& error) {
  if (options.request_from_stdin) {
    if (first < argc) {
      error = "'-' reads the whole request from standard input: no command after it";
      return false;
    }
    return true;
  }
  if (first >= argc) {
    error = "no command given";
    return false;
  }
  options.command = argv[first];
  for (int i = first + 1; i < argc; ++i) options.arguments.emplace_back(argv[i]);
  return true;
}

}  // namespace

bool parse_client_options(int argc, char** argv, ClientOptions& options, std::string& error) {
  const char* env_socket = std::getenv("MI_DATAGRAM_SOCKET");
  options.socket = env_socket != nullptr && *env_socket != '\0' ? env_socket : kDefaultSocket;
  int i = 1;
  for (; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      options.help = true;
      return true;
    }
    if (arg == "-V" || arg == "--version") {
      options.version = true;
      return true;
    }
    if (take_flag(arg, options)) continue;
    if (arg == "-s" || arg == "--socket" || arg == "-t" || arg == "--timeout") {
      if (i + 1 >= argc) {
        error = std::string(arg) + " needs a value";
        return false;
      }
      if (!take_value(arg, argv[++i], options, error)) return false;
      continue;
    }
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "-") {
      options.request_from_stdin = true;
      ++i;
      break;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      error = "unknown option: " + std::string(arg);
      return false;
    }
    break;
  }
  return take_command(argc, argv, i, options, error);
}

const char* client_usage() noexcept {
  return "Usage: mi-datagram [-r] [-j] [-s SOCKET] [-t TIMEOUT_MS] COMMAND [ARG]...\n"
         "       mi-datagram [-r] [-j] [-s SOCKET] [-t TIMEOUT_MS] -\n"
         "Send one Management Interface command to mi-datagramd and print the reply.\n"
         "\n"
         "  -s, --socket SOCKET   a UNIX socket path or udp:HOST:PORT (default "
         "$MI_DATAGRAM_SOCKET,\n"
         "                        else /run/mi-datagram/mi-datagramd.sock)\n"
         "  -t, --timeout MS      how long to wait for the reply (default 5000)\n"
         "  -j, --json            speak JSON-RPC 2.0 instead of the 1.x text protocol\n"
         "  -r, --raw             write the reply's bytes as received; without it, a\n"
         "                        control byte (ESC...) in a reply written to a terminal\n"
         "                        is shown as its escape, e.g. \\x1b, and a JSON reply\n"
         "                        is shown readably (see below)\n"
         "  -                     send standard input as the raw request (with -j: one\n"
         "                        JSON document, sent as it is)\n"
         "  -h, --help            show this help and exit\n"
         "  -V, --version         show the version and exit\n"
         "\n"
         "An ARG of the form NAME::VALUE is sent as a named argument, any other\n"
         "as a positional one; values are quoted when the protocol needs it.\n"
         "With -j, an ARG NAME=VALUE is a named parameter (a NAME given twice\n"
         "makes an array: statistics=all statistics=tm: -> {\"statistics\":[\"all\",\n"
         "\"tm:\"]}), any other a positional one, all strings; the two kinds do\n"
         "not mix. The request's id is the client's process id. A result is\n"
         "printed as JSON indented by two spaces, one member per line; an error\n"
         "as CODE MESSAGE[: DATA].\n"
         "Exit status: 0 2xx reply or JSON-RPC result, 1 4xx/5xx reply or JSON-RPC\n"
         "error (any code, -32xxx included) or a malformed reply, 2 usage error,\n"
         "3 timeout, 4 server unreachable.\n";
}

}  // namespace mid::app

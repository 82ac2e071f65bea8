#include "load/load_options.hpp"

#include <cstdlib>
#include <string_view>

namespace mid::bench {
namespace {

constexpr const char* kUsage =
    "Usage: mi-load --socket NAME [OPTION]...\n"
    "Closed-loop load: K clients, one request in flight each; prints one line of\n"
    "key=value results (requests/s, p50 and p99 latency, server CPU per request).\n"
    "  -s, --socket NAME      UNIX path or udp:HOST:PORT\n"
    "  -k, --clients K        clients (threads; default 8)\n"
    "  -d, --duration SEC     measured seconds (default 3)\n"
    "  -r, --requests N       measure N requests in total instead\n"
    "  -w, --warmup SEC       unmeasured load first (default 0.5)\n"
    "  -q, --request TEXT     the request; \\n \\t \\\\ are escapes (default :version:\\n)\n"
    "  -p, --server-pid PID   the server's master: adds its and its children's CPU\n"
    "  -c, --check MODE       ok (a 2xx or a JSON-RPC result, default), echo, none\n"
    "  -t, --timeout MS       per-request timeout, counted as an error (default 2000)\n"
    "  -R, --rate N           pace the clients to N requests/s in total (default: unpaced)\n"
    "  -S, --versus NAME      a second server: the clients alternate between the two\n"
    "  -P, --versus-pid PID   its master (as --server-pid)\n"
    "  -C, --versus-check MODE  its check (as --check; default ok)\n"
    "  -Q, --versus-request TEXT  its request (as --request; default the same)\n"
    "  -l, --slice SEC        seconds on one server before switching (default 0.2)\n"
    "With --versus, one line per server, the first starting \"server=1\", the other\n"
    "\"server=2\"; each server's requests/s counts its share of the window only.\n";

bool parse_check(const std::string& value, LoadOptions::Check& check) {
  if (value == "ok")
    check = LoadOptions::Check::ok;
  else if (value == "echo")
    check = LoadOptions::Check::echo;
  else if (value == "none")
    check = LoadOptions::Check::none;
  else
    return false;
  return true;
}

bool set(LoadOptions& o, std::string_view flag, const std::string& value, std::string& error) {
  if (flag == "-s" || flag == "--socket")
    o.socket = value;
  else if (flag == "-k" || flag == "--clients")
    o.clients = static_cast<unsigned>(std::stoul(value));
  else if (flag == "-d" || flag == "--duration")
    o.duration_s = std::stod(value);
  else if (flag == "-r" || flag == "--requests")
    o.requests = std::stoull(value);
  else if (flag == "-w" || flag == "--warmup")
    o.warmup_s = std::stod(value);
  else if (flag == "-q" || flag == "--request")
    o.request = unescape(value);
  else if (flag == "-p" || flag == "--server-pid")
    o.server_pid = static_cast<pid_t>(std::stol(value));
  else if (flag == "-R" || flag == "--rate")
    o.rate = std::stod(value);
  else if (flag == "-t" || flag == "--timeout")
    o.timeout_ms = std::stoi(value);
  else if (flag == "-S" || flag == "--versus")
    o.versus_socket = value;
  else if (flag == "-Q" || flag == "--versus-request")
    o.versus_request = unescape(value);
  else if (flag == "-P" || flag == "--versus-pid")
    o.versus_pid = static_cast<pid_t>(std::stol(value));
  else if (flag == "-l" || flag == "--slice")
    o.slice_s = std::stod(value);
  else if (flag == "-c" || flag == "--check") {
    if (!parse_check(value, o.check)) return error = "--check: ok, echo or none", false;
  } else if (flag == "-C" || flag == "--versus-check") {
    if (!parse_check(value, o.versus_check)) {
      return error = "--versus-check: ok, echo or none", false;
    }
  } else {
    return error = "unknown option: " + std::string(flag), false;
  }
  return true;
}

}  // namespace

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char next = text[++i];
    out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
  }
  return out;
}

bool parse_load_options(int argc, char** argv, LoadOptions& options, std::string& error) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "-h" || flag == "--help") return error = kUsage, false;
    if (i + 1 >= argc) return error = std::string(flag) + " needs a value", false;
    try {
      if (!set(options, flag, argv[++i], error)) return false;
    } catch (const std::exception&) {
      return error = "bad value for " + std::string(flag), false;
    }
  }
  if (options.socket.empty()) return error = "--socket is required", false;
  if (options.clients == 0) return error = "--clients must be at least 1", false;
  if (!(options.slice_s > 0)) return error = "--slice must be positive", false;
  if (!options.versus_socket.empty() && options.requests != 0) {
    return error = "--versus measures a --duration, not --requests", false;
  }
  return true;
}

}  // namespace mid::bench

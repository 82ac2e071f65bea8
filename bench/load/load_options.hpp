#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

// mi-load's command line.
namespace mid::bench {

struct LoadOptions {
  std::string socket;          // a UNIX path or udp:HOST:PORT, as mi-datagramd takes
  unsigned clients = 8;        // closed-loop clients, one request in flight each
  double duration_s = 3.0;     // measured window (unless `requests` is set)
  std::uint64_t requests = 0;  // total measured requests instead of a duration
  double warmup_s = 0.5;       // load before the window opens, not measured
  std::string request = ":version:\n";
  pid_t server_pid = 0;  // the server's master: CPU of it and its children
  enum class Check { none, ok, echo } check = Check::ok;
  int timeout_ms = 2000;
  // Total requests per second across the clients (0: as fast as replies
  // come). Paced load keeps the server below saturation, so its CPU per
  // request is not lowered by batching when the machine is contended.
  double rate = 0;
  // A second server (--versus): the clients switch between the two every
  // `slice_s` seconds through the window, so both are measured on the same
  // machine at the same moments; each gets its own line of results. A
  // server waiting for requests costs no CPU, so each server's CPU over the
  // whole window is the CPU of its own requests.
  std::string versus_socket;
  pid_t versus_pid = 0;
  Check versus_check = Check::ok;
  std::optional<std::string> versus_request;  // its request (default: --request)
  double slice_s = 0.2;
};

// Parses argv; on error returns false with `error` set. --help sets
// `error` to the usage text and returns false too.
bool parse_load_options(int argc, char** argv, LoadOptions& options, std::string& error);

// "\n", "\t", "\\" in `text` become the bytes they name.
std::string unescape(const std::string& text);

}  // namespace mid::bench

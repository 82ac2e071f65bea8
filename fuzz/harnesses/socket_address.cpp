// Harness: the socket_name parser (config::parse_socket_address).
// Invariants: an error's offset lies within the input; what is accepted
// obeys the documented forms (path 1..107 bytes without control bytes;
// UDP host non-empty, port 1..65535); and it round trips: parsing the
// formatted address gives the same address, and formatting is a fixed
// point.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/harness.hpp"
#include "config/socket_address.hpp"

namespace {

using mid::fuzz::check;
namespace config = mid::config;

bool has_control_byte(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

void run(std::string_view input) {
  const auto parsed = config::parse_socket_address(input);
  if (!parsed) {
    check(parsed.error().offset <= input.size(), "error offset past the input");
    return;
  }
  const config::SocketAddress& address = parsed.value();
  if (address.kind == config::SocketAddress::Kind::unix_path) {
    check(!address.path.empty() && address.path.size() <= 107, "path length");
    check(!has_control_byte(address.path), "control byte in an accepted path");
  } else {
    check(!address.host.empty() && address.port != 0, "udp host and port");
    check(!has_control_byte(address.host), "control byte in an accepted host");
  }
  const std::string text = config::format_socket_address(address);
  const auto again = config::parse_socket_address(text);
  check(again.ok() && again.value() == address, "format-parse changed the address");
  check(config::format_socket_address(again.value()) == text, "format is not a fixed point");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); });
  return 0;
}

// Harness: the configuration file parser (config::parse_config), on any
// bytes a file could hold. Invariants: a file over kMaxConfigFile is
// refused whole (line 0); an error names a line of the input and its text
// holds no raw control or non-ASCII byte (it goes to terminals and logs);
// an accepted configuration round trips through format_config (equal but
// for the principals' line numbers, and formatting is a fixed point).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/harness.hpp"
#include "config/config_error.hpp"
#include "config/format_config.hpp"
#include "config/parse_config.hpp"

namespace {

using mid::fuzz::check;
namespace config = mid::config;

// A configuration file may be 16 times a datagram; its worst inputs
// measured ~8 ms of CPU against ~1.3 ms for the datagram harnesses
// (fuzz/README.md), so it gets four times their bound.
constexpr long kTimeScale = 4;

bool printable_ascii(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f) return false;
  }
  return true;
}

std::size_t line_count(std::string_view text) {
  std::size_t lines = 1;
  for (const char c : text) lines += c == '\n' ? 1 : 0;
  return lines;
}

void clear_lines(config::Config& c) {
  for (config::Principal* p : {&c.unix_socket_user, &c.unix_socket_group, &c.user, &c.group}) {
    p->line = 0;
  }
  for (auto* names : {&c.allowed_uid_names, &c.allowed_gid_names}) {
    for (config::Principal& p : *names) p.line = 0;
  }
  for (config::AccessRule& rule : c.access) rule.who.principal.line = 0;
}

void check_round_trip(config::Config parsed) {
  const std::string text = config::format_config(parsed);
  auto again = config::parse_config(text, "formatted");
  check(again.ok(), "formatted configuration does not parse");
  check(config::format_config(again.value()) == text, "format_config is not a fixed point");
  clear_lines(parsed);
  clear_lines(again.value());
  check(again.value() == parsed, "format-parse changed the configuration");
}

void run(std::string_view input) {
  const auto parsed = config::parse_config(input, "fuzz.conf");
  if (!parsed) {
    const config::ConfigError& error = parsed.error();
    check(error.line <= line_count(input), "error line past the input");
    if (input.size() > config::kMaxConfigFile) check(error.line == 0, "oversize file line");
    check(printable_ascii(config::to_string(error)), "raw byte in an error message");
    return;
  }
  check(input.size() <= config::kMaxConfigFile, "oversize file accepted");
  check(parsed.value().socket_name.has_value(), "accepted without socket_name");
  check_round_trip(parsed.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mid::fuzz::Input input(data, size);
  mid::fuzz::run_bounded([&input] { run(input.view()); }, kTimeScale);
  return 0;
}

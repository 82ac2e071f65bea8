#pragma once

#include <cstddef>
#include <string>

#include "core/limits.hpp"
#include "tree/tree.hpp"

// Benchmark inputs built at start (allocation is free there).
namespace mid::bench {

// A request just under 64 KiB of more than 1000 argument lines: a mix of
// positional, named, quoted and escaped values.
inline std::string large_request() {
  std::string request = ":get_statistics:\n";
  for (std::size_t i = 0; request.size() < 64 * 1024 - 128; ++i) {
    const std::string n = std::to_string(i);
    switch (i % 4) {
      case 0:
        request += "group_" + n + ":statistic_name_" + n + "\n";
        break;
      case 1:
        request += "name_" + n + "::value number " + n + " of the line\n";
        break;
      case 2:
        request += "quoted_" + n + "::\"a quoted value: with colons " + n + "\"\n";
        break;
      default:
        request += "\"escaped \\\"value\\\" \\\\ number " + n + "\"\n";
        break;
    }
  }
  return request;
}

// Fills `tree` with statistic lines ("group_7:statistic_42:: 123456789")
// until the printed reply is close to 64 KiB (a few thousand lines).
inline void fill_large_reply(tree::Tree& tree) {
  tree.clear();
  std::size_t printed = 7;  // "200 OK\n"
  for (std::size_t i = 0; printed < 64 * 1024 - 256; ++i) {
    const std::string name = "group_" + std::to_string(i % 16) + ":statistic_" + std::to_string(i);
    const std::string value = std::to_string(1'000'000 + i * 7919);
    if (!tree.add_kid(tree::kRoot, name, value)) return;
    printed += name.size() + 3 + value.size() + 1;
  }
}

}  // namespace mid::bench

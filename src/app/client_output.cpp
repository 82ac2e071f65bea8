#include "app/client_output.hpp"

#include "core/control_bytes.hpp"

namespace mid::app {

std::string terminal_text(std::string_view reply) {
  std::string out;
  out.reserve(reply.size());
  for (const char c : reply) {
    const std::string_view escape = core::control_escape(c);
    if (escape.empty() || c == '\n' || c == '\t') {
      out.push_back(c);
    } else {
      out.append(escape);
    }
  }
  return out;
}

}  // namespace mid::app

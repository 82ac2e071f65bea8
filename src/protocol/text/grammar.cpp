#include "protocol/text/grammar.hpp"

#include "core/limits.hpp"

namespace mid::protocol::text {

bool is_valid_indent(std::string_view indent) noexcept {
  if (indent.size() > core::kMaxIndent) return false;
  for (const char c : indent) {
    if (!is_blank(c)) return false;
  }
  return true;
}

}  // namespace mid::protocol::text

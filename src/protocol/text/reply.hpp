#pragma once

#include <string_view>

#include "tree/tree.hpp"

namespace mid::protocol::text {

// A reply as printed on the wire: "CODE REASON\n" then the tree's lines.
struct Reply {
  unsigned code = 200;               // 100..999
  std::string_view reason = "OK";    // no CR, LF or NUL
  const tree::Tree* tree = nullptr;  // null: no lines after the status line
};

}  // namespace mid::protocol::text

#pragma once

#include <string_view>

// One argument of a call, as every protocol delivers it to a command: a
// name (empty when given by position) and a value. The views point into
// the request or its parser's scratch, so an Argument lives no longer than
// both.
namespace mid::tree {

struct Argument {
  std::string_view name;   // empty for a positional argument
  std::string_view value;  // empty for `name::` with nothing after it
  friend bool operator==(const Argument&, const Argument&) = default;
};

}  // namespace mid::tree

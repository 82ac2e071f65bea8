#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "core/limits.hpp"
#include "tree/argument.hpp"

// A parsed request: the command name and its arguments in order. All views
// point either into the datagram or into the RequestScratch the parser was
// given, so a Request lives no longer than both.
namespace mid::protocol::text {

using tree::Argument;

struct Request {
  std::string_view command;
  std::span<const Argument> arguments;
};

// Fixed storage for one parse: the argument table and room for values
// whose escapes had to be removed (never longer than the datagram).
// About 200 KiB: allocate once per worker, reuse for every request.
struct RequestScratch {
  std::array<Argument, core::kMaxArguments> arguments;
  std::array<char, core::kMaxDatagram> unescaped;
};

}  // namespace mid::protocol::text

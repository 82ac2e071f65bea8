#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bounded_writer.hpp"
#include "tree/argument.hpp"

// How a command declares its parameters, and the one check both protocols
// run against the declaration before the handler sees a call.
namespace mid::mi {

// One parameter: its name, and whether it takes a list of values (a JSON
// array; in text, the name repeated or every remaining positional value).
struct Param {
  std::string name;
  bool array = false;
};

// One accepted form of a call: the parameters given together, in order.
// A command lists every form it accepts, e.g. log_level: (), (level),
// (level, pid). No forms at all: the command checks its own arguments and
// gets them exactly as sent (the 1.x behaviour, for embedders' commands).
using ParamForm = std::vector<Param>;

// A parameter as a call gives it, before matching. Text gives one per
// argument line; JSON one per member (named) or element (positional), an
// array parameter holding its elements as `values`.
struct GivenParam {
  std::string_view name;  // empty: given by position
  std::span<const tree::Argument> values;
  bool as_array = false;  // given as a JSON array (always false in text)
};

// Why a call matches no form, as the words after "bad arguments: " (text)
// or the `data` of -32602 (JSON).
enum class ParamsMismatch : std::uint8_t {
  none,
  no_form,          // no form has these names / this many values
  ambiguous,        // several forms of this many positional values
  mixed,            // named and positional in one call
  array_for_value,  // a JSON array for a parameter that takes one value
  empty_array,      // an array parameter given no value
  repeated_name,    // a parameter named twice (not an array parameter)
};

// Matches `given` against `forms` and writes the arguments the handler
// gets into `out`: in the form's order, each named by its parameter, an
// array parameter as one argument per value. Returns the count written,
// or the mismatch and (in `which`) the parameter it is about. `out` must
// hold every value given (the caller sizes it by the request's bound).
struct ParamsMatch {
  std::size_t count = 0;
  ParamsMismatch mismatch = ParamsMismatch::none;
  std::string_view which;  // the parameter named in the mismatch, if any
};
[[nodiscard]] ParamsMatch match_params(std::span<const ParamForm> forms,
                                       std::span<const GivenParam> given,
                                       std::span<tree::Argument> out) noexcept;

// "expected (), (level) or (level, pid)" and the like: what a mismatch
// says, written into `out`.
void describe_mismatch(core::BoundedWriter& out, std::span<const ParamForm> forms,
                       const ParamsMatch& match) noexcept;

}  // namespace mid::mi

#pragma once

#include <array>

#include "core/limits.hpp"
#include "mi/command.hpp"
#include "mi/params.hpp"
#include "protocol/jsonrpc/reply_printer.hpp"
#include "protocol/jsonrpc/request_parser.hpp"
#include "protocol/text/request.hpp"
#include "tree/tree.hpp"

// What the request path keeps between requests: every codec's scratch,
// the reply tree and the reply bytes. Internal to src/request/.
namespace mid::request {

// A JSON call gives at most kMaxJsonParams parameters and kMaxJsonElements
// elements; each becomes one value for the handler.
inline constexpr std::size_t kMaxCallValues =
    protocol::jsonrpc::kMaxJsonParams + protocol::jsonrpc::kMaxJsonElements;
static_assert(kMaxCallValues >= core::kMaxArguments, "a text request's arguments must fit");

struct WorkspaceParts {
  explicit WorkspaceParts(bool pretty_json) noexcept : json_style{pretty_json} {}

  protocol::text::RequestScratch text_request;
  protocol::jsonrpc::RequestParser json_parser;
  protocol::jsonrpc::ReplyPrinter json_printer;
  protocol::jsonrpc::Style json_style;
  tree::Tree tree;
  mi::ReasonText reason;
  std::array<mi::GivenParam, kMaxCallValues> given;
  std::array<mi::GivenParam, core::kMaxArguments> unnamed;  // a text call's, by position
  std::array<tree::Argument, kMaxCallValues> values;        // a JSON call's values as sent
  std::array<tree::Argument, kMaxCallValues> arguments;     // matched to a form, for the handler
  std::array<char, core::kMaxDatagram> reply;
};

}  // namespace mid::request

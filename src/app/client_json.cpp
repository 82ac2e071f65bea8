#include "app/client_json.hpp"

#include "core/errc.hpp"
#include "protocol/jsonrpc/request_parser.hpp"
#include "protocol/jsonrpc/request_printer.hpp"

namespace mid::app {

namespace rpc = protocol::jsonrpc;

SplitArgument split_json_argument(std::string_view argument) noexcept {
  const std::size_t equals = argument.find('=');
  if (equals == std::string_view::npos || equals == 0) return {{}, argument};
  return {argument.substr(0, equals), argument.substr(equals + 1)};
}

namespace {

std::string unprintable_text(const ClientOptions& options, std::size_t at) {
  if (at == 0) return "the command is empty or not valid UTF-8: cannot send it as JSON";
  return "argument " + std::to_string(at) + " (\"" + options.arguments[at - 1] +
         "\") is not valid UTF-8: cannot send it as JSON";
}

}  // namespace

bool build_json_request(const ClientOptions& options, std::uint64_t id, std::span<char> out,
                        JsonRequest& request, std::string& error) {
  std::vector<rpc::RequestParam> params;
  params.reserve(options.arguments.size());
  for (const std::string& argument : options.arguments) {
    const SplitArgument split = split_json_argument(argument);
    params.push_back({split.name, split.value});
    if (params.front().name.empty() != split.name.empty()) {
      error = "NAME=VALUE and positional arguments cannot be mixed in one JSON-RPC request";
      return false;
    }
  }
  auto printed = rpc::print_request(options.command, params, id, out);
  if (!printed) {
    error = printed.error().code == core::Errc::request_too_large
                ? "the request is larger than 65457 bytes"
                : unprintable_text(options, printed.error().offset);
    return false;
  }
  request.size = printed.value();
  request.expected_id = std::to_string(id);
  return true;
}

void expect_reply_to(std::string_view document, JsonRequest& request) {
  rpc::RequestParser parser;
  const rpc::ParseOutcome parsed = parser.parse(document);
  request.expected_id = "null";
  request.notification = false;
  if (parsed.error.code != rpc::RpcCode::none) return;
  if (parsed.document.batch) {
    request.expected_id.clear();
    return;
  }
  const rpc::Call& call = parsed.document.calls.front();
  if (call.has_id) {
    request.expected_id = std::string(call.id);
  } else if (call.error.code == rpc::RpcCode::none) {
    request.notification = true;
  }
}

}  // namespace mid::app

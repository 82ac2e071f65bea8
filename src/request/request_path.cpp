#include "request/request_path.hpp"

#include <algorithm>

#include "request/protocol_paths.hpp"
#include "request/status.hpp"

namespace mid::request {
namespace {

// JSON-RPC when the first byte that is not JSON whitespace opens an object
// or an array; a 1.x request starts with ':'.
bool speaks_json(std::string_view datagram) noexcept {
  const auto first = datagram.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && (datagram[first] == '{' || datagram[first] == '[');
}

}  // namespace

Workspace::Workspace(bool pretty_json) : parts_(std::make_unique<WorkspaceParts>(pretty_json)) {}
Workspace::~Workspace() = default;

Handled handle_datagram(std::string_view datagram, const mi::Registry& registry,
                        Workspace& workspace, std::string_view indent, mi::AsyncReply* async,
                        const AccessGate* gate) noexcept {
  WorkspaceParts& parts = workspace.parts();
  if (speaks_json(datagram)) return handle_json(datagram, registry, parts, async, gate);
  return handle_text(datagram, registry, parts, indent, async, gate);
}

Deferred keep(const Handled& handled) noexcept {
  Deferred deferred{handled.command, handled.command_class, handled.json, 0, {}};
  // The JSON path defers only calls whose id fits (json_path.cpp).
  const std::size_t size = std::min(handled.id.size(), deferred.id.size());
  handled.id.copy(deferred.id.data(), size);
  deferred.id_size = static_cast<std::uint8_t>(size);
  return deferred;
}

Handled complete(const Deferred& deferred, mi::AsyncReply::Completion& completion,
                 Workspace& workspace, std::string_view indent) noexcept {
  WorkspaceParts& parts = workspace.parts();
  mi::CommandReply status = run_completion(completion, parts);
  if (status.code == mi::kDeferred) {
    status = mi::CommandReply{static_cast<unsigned>(status::kCommandFailed.code),
                              status::kCommandFailed.reason};
  }
  Handled handled = deferred.json
                        ? print_json_reply(status, {deferred.id.data(), deferred.id_size}, parts)
                        : print_text_reply(status, parts, indent);
  handled.command = deferred.command;
  handled.command_class = deferred.command_class;
  return handled;
}

std::string_view refuse_peer(std::string_view datagram, Workspace& workspace) noexcept {
  WorkspaceParts& parts = workspace.parts();
  core::BoundedWriter out(parts.reply);
  if (speaks_json(datagram)) {
    parts.json_printer.put_error(out, status::kPeerForbidden.code, status::kPeerForbidden.reason,
                                 {}, {}, parts.json_style);
  } else {
    out.put_unsigned(static_cast<unsigned>(status::kPeerForbidden.code));
    out.put(' ');
    out.put(status::kPeerForbidden.reason);
    out.put('\n');
  }
  return out.view();
}

}  // namespace mid::request

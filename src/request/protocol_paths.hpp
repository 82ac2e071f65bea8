#pragma once

#include <string_view>

#include "request/call_runner.hpp"

// The request path of each protocol (text_path.cpp, json_path.cpp), called
// by request_path.cpp once it knows which one a datagram speaks.
namespace mid::request {

[[nodiscard]] Handled handle_text(std::string_view datagram, const mi::Registry& registry,
                                  WorkspaceParts& parts, std::string_view indent,
                                  mi::AsyncReply* async, const AccessGate* gate) noexcept;
[[nodiscard]] Handled print_text_reply(mi::CommandReply status, WorkspaceParts& parts,
                                       std::string_view indent) noexcept;

[[nodiscard]] Handled handle_json(std::string_view datagram, const mi::Registry& registry,
                                  WorkspaceParts& parts, mi::AsyncReply* async,
                                  const AccessGate* gate) noexcept;
[[nodiscard]] Handled print_json_reply(mi::CommandReply status, std::string_view id,
                                       WorkspaceParts& parts) noexcept;

}  // namespace mid::request

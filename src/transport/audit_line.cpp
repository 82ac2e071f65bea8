#include "transport/audit_line.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/bounded_writer.hpp"

namespace mid::transport {
namespace {

void put_escaped(core::BoundedWriter& out, std::string_view name) noexcept {
  static constexpr std::string_view kHex = "0123456789abcdef";
  const std::string_view kept = name.substr(0, AuditLine::kMaxAuditName);
  for (const char c : kept) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte > 0x20 && byte < 0x7f && c != '\\') {
      out.put(c);
      continue;
    }
    const std::array<char, 4> escape = {'\\', 'x', kHex[byte >> 4U], kHex[byte & 0xfU]};
    out.put(std::string_view(escape.data(), escape.size()));
  }
  if (kept.size() < name.size()) out.put("...");
}

// inet_ntop formats without I/O or allocation; the buffer fits any address.
void put_address(core::BoundedWriter& out, const PeerIdentity& peer) noexcept {
  std::array<char, INET6_ADDRSTRLEN> text{};
  const char* written = inet_ntop(peer.v6 ? AF_INET6 : AF_INET, peer.address.data(), text.data(),
                                  static_cast<socklen_t>(text.size()));
  if (peer.v6) out.put('[');
  out.put(written != nullptr ? std::string_view(written) : std::string_view("?"));
  if (peer.v6) out.put(']');
}

}  // namespace

AuditLine::AuditLine(std::string_view command, unsigned status, const PeerIdentity& peer) noexcept {
  core::BoundedWriter out(text_);
  out.put("audit: command=");
  put_escaped(out, command);
  out.put(" status=");
  out.put_unsigned(status);
  if (peer.is_udp) {
    out.put(" from=");
    put_address(out, peer);
    out.put(':');
    out.put_unsigned(peer.port);
  } else {
    out.put(" uid=");
    out.put_unsigned(peer.uid);
    out.put(" gid=");
    out.put_unsigned(peer.gid);
    out.put(" pid=");
    out.put_unsigned(static_cast<unsigned long long>(peer.pid < 0 ? 0 : peer.pid));
  }
  size_ = out.view().size();
}

}  // namespace mid::transport

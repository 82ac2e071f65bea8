#include "transport/socket_setup.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "log/log.hpp"
#include "transport/access.hpp"
#include "transport/socket_options.hpp"

namespace mid::transport {
namespace {

using detail::errno_text;
using os::UniqueFd;

bool parse_literal(const config::SocketAddress& address, sockaddr_storage& out,
                   socklen_t& length) noexcept {
  out = sockaddr_storage{};
  sockaddr_in v4{};
  if (!address.host_is_v6_literal && inet_pton(AF_INET, address.host.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(address.port);
    std::memcpy(&out, &v4, sizeof v4);
    length = sizeof v4;
    return true;
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, address.host.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(address.port);
    std::memcpy(&out, &v6, sizeof v6);
    length = sizeof v6;
    return true;
  }
  return false;
}

bool resolve_name(const config::SocketAddress& address, sockaddr_storage& out, socklen_t& length,
                  std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  const int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0 || found == nullptr) {
    error = "cannot resolve UDP host " + address.host + ": " +
            (rc == EAI_SYSTEM ? errno_text(errno) : std::string(gai_strerror(rc)));
    return false;
  }
  const bool usable = (found->ai_family == AF_INET || found->ai_family == AF_INET6) &&
                      found->ai_addrlen <= sizeof out;
  if (usable) {
    out = sockaddr_storage{};
    std::memcpy(&out, found->ai_addr, found->ai_addrlen);
    length = found->ai_addrlen;
  } else {
    error = "UDP host " + address.host + " resolved to an address that is not IPv4 or IPv6";
  }
  freeaddrinfo(found);
  return usable;
}

bool set_udp_options(int fd, int family, const config::Config& config, std::string& error) {
  const int off = 0;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &off, sizeof off) != 0) {
    error = "cannot clear SO_REUSEADDR: " + errno_text(errno);
    return false;
  }
  const int on = 1;
  if (family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) {
    error = "cannot set IPV6_V6ONLY: " + errno_text(errno);
    return false;
  }
  return detail::set_common_options(fd, config, error);
}

void log_udp_bound(const sockaddr_storage& bound) {
  const std::string text = format_ip_address(bound);
  MID_LOG(notice, "listening on UDP %s", text.c_str());
  bool v6 = false;
  IpBytes bytes{};
  if (!ip_bytes_of(bound, v6, bytes) || !is_loopback(v6, bytes)) {
    MID_LOG(warning,
            "UDP socket %s is not bound to a loopback address: the management interface is "
            "reachable from the network (restrict it with allow_from and a firewall)",
            text.c_str());
  }
}

}  // namespace

void ListeningSocket::close() noexcept {
  fd_.reset();
  file_.directory.reset();
}

ListeningSocket ListeningSocket::adopt_unix(os::UniqueFd fd, UnixFile file) noexcept {
  ListeningSocket socket;
  socket.fd_ = std::move(fd);
  socket.kind_ = Kind::unix_path;
  socket.file_ = std::move(file);
  return socket;
}

ListeningSocket ListeningSocket::adopt_udp(os::UniqueFd fd, const sockaddr_storage& address,
                                           socklen_t length) noexcept {
  ListeningSocket socket;
  socket.fd_ = std::move(fd);
  socket.kind_ = Kind::udp;
  socket.address_ = address;
  socket.address_length_ = length;
  return socket;
}

bool ListeningSocket::remove_unix_path(std::string& error) noexcept {
  if (kind_ != Kind::unix_path) return true;
  const int dir = file_.directory.get();
  struct stat st {};
  if (fstatat(dir, file_.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return true;
    error = "cannot stat " + file_.path + ": " + errno_text(errno);
    return false;
  }
  if (!S_ISSOCK(st.st_mode) || st.st_dev != file_.dev || st.st_ino != file_.ino) {
    error = file_.path + " is no longer our socket; left untouched";
    return false;
  }
  if (unlinkat(dir, file_.name.c_str(), 0) != 0 && errno != ENOENT) {
    error = "cannot remove " + file_.path + ": " + errno_text(errno);
    return false;
  }
  return true;
}

bool resolve_udp_address(const config::SocketAddress& address, sockaddr_storage& out,
                         socklen_t& length, std::string& error) {
  if (parse_literal(address, out, length)) return true;
  if (address.host_is_v6_literal) {
    error = "UDP host [" + address.host + "] is not an IPv6 address";
    return false;
  }
  return resolve_name(address, out, length, error);
}

bool ip_bytes_of(const sockaddr_storage& address, bool& v6,
                 std::array<uint8_t, 16>& bytes) noexcept {
  bytes = {};
  if (address.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address, sizeof v4);
    std::memcpy(bytes.data(), &v4.sin_addr, 4);
    v6 = false;
    return true;
  }
  if (address.ss_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address, sizeof in6);
    std::memcpy(bytes.data(), &in6.sin6_addr, 16);
    v6 = true;
    return true;
  }
  return false;
}

std::string format_ip_address(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address, sizeof v4);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(v4.sin_port));
  }
  if (address.ss_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &address, sizeof v6);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(v6.sin6_port));
  }
  return "(address family " + std::to_string(address.ss_family) + ")";
}

BindResult bind_udp_socket(const config::Config& config) {
  BindResult result;
  sockaddr_storage address{};
  socklen_t length = 0;
  if (!resolve_udp_address(*config.socket_name, address, length, result.error)) return result;
  UniqueFd fd(socket(address.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    result.error = "cannot create UDP socket: " + errno_text(errno);
    return result;
  }
  if (!set_udp_options(fd.get(), address.ss_family, config, result.error)) return result;
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), length) != 0) {
    result.error = "cannot bind UDP " + format_ip_address(address) + ": " + errno_text(errno);
    return result;
  }
  sockaddr_storage bound{};
  socklen_t bound_length = sizeof bound;
  if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &bound_length) != 0) {
    result.error = "getsockname on UDP socket: " + errno_text(errno);
    return result;
  }
  log_udp_bound(bound);
  result.socket = ListeningSocket::adopt_udp(std::move(fd), bound, bound_length);
  return result;
}

BindResult bind_listening_socket(const config::Config& config) {
  if (!config.socket_name) {
    BindResult result;
    result.error = "socket_name is not set";
    return result;
  }
  if (config.socket_name->kind == config::SocketAddress::Kind::udp) return bind_udp_socket(config);
  return bind_unix_socket(config);
}

ListeningSocket bind_listening_socket_or_die(const config::Config& config) {
  BindResult result = bind_listening_socket(config);
  if (!result.ok()) {
    MID_LOG(error, "%s", result.error.c_str());
    std::exit(1);
  }
  return std::move(result.socket);
}

}  // namespace mid::transport

#include "transport/socket_activation.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "log/log.hpp"
#include "os/unique_fd.hpp"
#include "transport/access.hpp"
#include "transport/socket_options.hpp"

namespace mid::transport {
namespace {

using detail::errno_text;

constexpr int kMaxListenFds = 1024;

// Strict decimal, no sign, at most `max`.
std::optional<long> decimal(const char* text, long max) noexcept {
  if (text == nullptr) return std::nullopt;
  const std::string_view digits(text);
  if (digits.empty()) return std::nullopt;
  long value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > max) return std::nullopt;
  }
  return value;
}

[[noreturn]] void refuse(const std::string& what) {
  MID_LOG(error, "socket activation: %s", what.c_str());
  std::exit(1);
}

int int_option(int fd, int option, const char* name) {
  int value = 0;
  socklen_t length = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, option, &value, &length) != 0) {
    refuse(std::string("getsockopt(") + name + ") on descriptor 3: " + errno_text(errno));
  }
  return value;
}

// The path a UNIX socket is bound to; "" for an unbound or abstract one.
std::string bound_path(const sockaddr_storage& address, socklen_t length) {
  const auto* un = reinterpret_cast<const sockaddr_un*>(&address);
  const std::size_t offset = offsetof(sockaddr_un, sun_path);
  if (length <= offset || un->sun_path[0] == '\0') return {};
  const std::size_t size = std::min<std::size_t>(length - offset, sizeof un->sun_path);
  return std::string(un->sun_path, strnlen(un->sun_path, size));
}

void check_unix_address(const config::Config& config, const sockaddr_storage& bound,
                        socklen_t length) {
  const std::string& wanted = config.socket_name->path;
  const std::string path = bound_path(bound, length);
  if (path != wanted) {
    refuse("the socket passed is bound to " + (path.empty() ? "no path" : path) +
           ", but socket_name is " + wanted);
  }
}

std::uint16_t port_of(const sockaddr_storage& address) noexcept {
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
}

void check_udp_address(const config::Config& config, const sockaddr_storage& bound) {
  sockaddr_storage wanted{};
  socklen_t wanted_length = 0;
  std::string error;
  if (!resolve_udp_address(*config.socket_name, wanted, wanted_length, error)) refuse(error);
  bool bound_v6 = false;
  bool wanted_v6 = false;
  IpBytes bound_ip{};
  IpBytes wanted_ip{};
  const bool same = ip_bytes_of(bound, bound_v6, bound_ip) &&
                    ip_bytes_of(wanted, wanted_v6, wanted_ip) && bound_v6 == wanted_v6 &&
                    bound_ip == wanted_ip && port_of(bound) == port_of(wanted);
  if (!same) {
    refuse("the socket passed is bound to " + format_ip_address(bound) + ", but socket_name " +
           config::format_socket_address(*config.socket_name) + " is " + format_ip_address(wanted));
  }
}

// A datagram socket of the family socket_name names, bound where it says.
void check_socket(const config::Config& config, int fd, sockaddr_storage& bound,
                  socklen_t& length) {
  struct stat st {};
  if (fstat(fd, &st) != 0) refuse("descriptor 3: " + errno_text(errno));
  if (!S_ISSOCK(st.st_mode)) refuse("descriptor 3 is not a socket");
  if (int_option(fd, SO_TYPE, "SO_TYPE") != SOCK_DGRAM) {
    refuse("the socket passed is not a datagram socket (use ListenDatagram=)");
  }
  const int family = int_option(fd, SO_DOMAIN, "SO_DOMAIN");
  const bool is_unix = config.socket_name->kind == config::SocketAddress::Kind::unix_path;
  if (is_unix ? family != AF_UNIX : family != AF_INET && family != AF_INET6) {
    refuse(std::string("the socket passed is ") + (family == AF_UNIX ? "a UNIX" : "an IP") +
           " socket, but socket_name is " + config::format_socket_address(*config.socket_name));
  }
  length = sizeof bound;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    refuse("getsockname on descriptor 3: " + errno_text(errno));
  }
  if (is_unix) {
    check_unix_address(config, bound, length);
  } else {
    check_udp_address(config, bound);
  }
}

// Raises a buffer to `wanted` bytes as the kernel counts them (twice what
// is set) when it is smaller and the process may force it; never lowers it.
void raise_buffer(int fd, int force_option, int option, unsigned wanted, const char* name) {
  const int before = int_option(fd, option, name);
  if (before >= 0 && static_cast<unsigned>(before) >= wanted) return;
  const int half = static_cast<int>(wanted / 2);
  if (setsockopt(fd, SOL_SOCKET, force_option, &half, sizeof half) == 0) return;
  MID_LOG(warning,
          "socket activation: %s of the socket passed is %d bytes, below the %u configured, and "
          "cannot be raised (%s); set it in the socket unit",
          name, before, wanted, errno_text(errno).c_str());
}

void prepare_socket(const config::Config& config, int fd, bool is_unix) {
  const int flags = fcntl(fd, F_GETFL);
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || flags < 0 ||
      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    refuse("fcntl on descriptor 3: " + errno_text(errno));
  }
  const int on = 1;
  if (is_unix && setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) != 0) {
    refuse("setsockopt(SO_PASSCRED) on descriptor 3: " + errno_text(errno));
  }
  std::string error;
  if (!detail::set_receive_wait_bound(fd, error)) refuse(error + " on descriptor 3");
  raise_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, 2 * config.socket_buf_size, "SO_RCVBUF");
  raise_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, config.socket_send_buffer, "SO_SNDBUF");
}

}  // namespace

std::optional<int> parse_listen_fds(const char* listen_pid, const char* listen_fds,
                                    pid_t self) noexcept {
  const std::optional<long> pid = decimal(listen_pid, 0x7fffffffL);
  if (listen_fds == nullptr || !pid || *pid != static_cast<long>(self)) return 0;
  const std::optional<long> count = decimal(listen_fds, kMaxListenFds);
  if (!count) return std::nullopt;
  return static_cast<int>(*count);
}

std::optional<int> take_listen_fds() noexcept {
  static bool taken = false;
  static std::optional<int> passed;
  if (taken) return passed;
  taken = true;
  passed = parse_listen_fds(std::getenv("LISTEN_PID"), std::getenv("LISTEN_FDS"), getpid());
  for (const char* name : {"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"}) (void)unsetenv(name);
  return passed;
}

ListeningSocket adopt_activated_socket_or_die(const config::Config& config, int passed) {
  if (passed < 0) refuse("LISTEN_FDS is not a number of sockets from 0 to 1024");
  if (passed != 1) {
    refuse("LISTEN_FDS passes " + std::to_string(passed) +
           " sockets; mi-datagramd serves exactly one");
  }
  const int fd = kListenFdsStart;
  sockaddr_storage bound{};
  socklen_t length = 0;
  check_socket(config, fd, bound, length);
  const bool is_unix = config.socket_name->kind == config::SocketAddress::Kind::unix_path;
  prepare_socket(config, fd, is_unix);
  MID_LOG(notice, "socket activation: serving the socket passed as descriptor 3");
  if (is_unix) {
    return ListeningSocket::adopt_unix(
        os::UniqueFd(fd), ListeningSocket::UnixFile{config.socket_name->path, {}, {}, 0, 0});
  }
  return ListeningSocket::adopt_udp(os::UniqueFd(fd), bound, length);
}

std::string notify_address(std::string_view notify_socket) noexcept {
  constexpr std::size_t kMaxPath = sizeof(sockaddr_un{}.sun_path);
  if (notify_socket.size() < 2 || notify_socket.size() > kMaxPath) return {};
  if (notify_socket.find('\0') != std::string_view::npos) return {};
  if (notify_socket.front() == '/') return std::string(notify_socket);
  if (notify_socket.front() != '@') return {};
  std::string abstract(notify_socket);
  abstract.front() = '\0';
  return abstract;
}

namespace {

// The connection to NOTIFY_SOCKET, from prepare_ready_notification to
// notify_ready (one process, set up while single-threaded).
os::UniqueFd& notify_fd() noexcept {
  static os::UniqueFd fd;
  return fd;
}

}  // namespace

void prepare_ready_notification() noexcept {
  const char* variable = std::getenv("NOTIFY_SOCKET");
  if (variable == nullptr) return;
  const std::string address = notify_address(variable);
  (void)unsetenv("NOTIFY_SOCKET");
  if (address.empty()) {
    MID_LOG(warning, "NOTIFY_SOCKET is neither an absolute path nor @name: READY=1 not sent");
    return;
  }
  sockaddr_un to{};
  to.sun_family = AF_UNIX;
  std::memcpy(to.sun_path, address.data(), address.size());
  const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address.size());
  os::UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid() || connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), length) != 0) {
    MID_LOG(warning, "cannot reach NOTIFY_SOCKET %s: %s; READY=1 will not be sent", variable,
            std::strerror(errno));
    return;
  }
  notify_fd() = std::move(fd);
}

void notify_ready() noexcept {
  os::UniqueFd fd = std::move(notify_fd());
  if (!fd.valid()) return;
  static constexpr std::string_view kReady = "READY=1";
  if (send(fd.get(), kReady.data(), kReady.size(), MSG_NOSIGNAL) < 0) {
    MID_LOG(warning, "READY=1 not sent to NOTIFY_SOCKET: %s", std::strerror(errno));
    return;
  }
  MID_LOG(info, "READY=1 sent to NOTIFY_SOCKET");
}

}  // namespace mid::transport

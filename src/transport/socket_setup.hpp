#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <array>
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "config/socket_address.hpp"
#include "os/unique_fd.hpp"

// Creating the daemon's listening socket (OS layer; docs/SOCKETS.md lists
// every check and its error message). Call before privileges are dropped
// and before the sandbox: it may resolve a host name, unlink a stale
// socket, and chown the socket file.
namespace mid::transport {

// How long a worker's blocking receive waits at most (the listening
// socket's SO_RCVTIMEO): an idle worker waits in recvmmsg itself, and a
// stop signal that arrives just before it enters the wait is seen at the
// latest this much later (transport/worker.hpp).
inline constexpr long kWorkerWaitBoundMs = 1000;

// The bound socket. Owns the descriptor (closed on destruction; move-only).
// The descriptor is blocking, close-on-exec, with SO_RCVTIMEO set to
// kWorkerWaitBoundMs; workers send with MSG_DONTWAIT, and receive with
// MSG_DONTWAIT or blocking (one datagram, bounded by SO_RCVTIMEO). A UNIX
// socket has SO_PASSCRED on, so every datagram carries the sender's
// SCM_CREDENTIALS. A UNIX socket also keeps an O_PATH descriptor of the
// directory that holds its file, so the clean stop removes the file there
// without resolving the path again.
class ListeningSocket {
 public:
  enum class Kind { none, unix_path, udp };

  // Where a UNIX socket's file is: its directory, its name there, and its
  // device and inode (recorded so remove_unix_path never removes a file
  // that replaced ours).
  struct UnixFile {
    std::string path;  // as configured, for messages
    os::UniqueFd directory;
    std::string name;
    dev_t dev = 0;
    ino_t ino = 0;
  };

  ListeningSocket() noexcept = default;

  // Takes ownership of `fd`, a UNIX socket bound at `file`.
  static ListeningSocket adopt_unix(os::UniqueFd fd, UnixFile file) noexcept;
  // Takes ownership of `fd`, a UDP socket bound to `address`.
  static ListeningSocket adopt_udp(os::UniqueFd fd, const sockaddr_storage& address,
                                   socklen_t length) noexcept;

  [[nodiscard]] int fd() const noexcept { return fd_.get(); }
  [[nodiscard]] bool valid() const noexcept { return fd_.valid(); }
  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  [[nodiscard]] bool is_unix() const noexcept { return kind_ == Kind::unix_path; }
  [[nodiscard]] bool is_udp() const noexcept { return kind_ == Kind::udp; }
  // UNIX only: the path as configured.
  [[nodiscard]] const std::string& unix_path() const noexcept { return file_.path; }
  // UNIX only: the socket file's name in its directory.
  [[nodiscard]] const std::string& unix_name() const noexcept { return file_.name; }
  // UNIX only: the O_PATH descriptor of the socket file's directory (-1
  // otherwise). A forked worker has no use for it and closes it
  // (close_directory) before it serves.
  [[nodiscard]] int directory_fd() const noexcept { return file_.directory.get(); }
  void close_directory() noexcept { file_.directory.reset(); }
  // UDP only: the bound address as getsockname reports it (real port when
  // the configured port was 0).
  [[nodiscard]] const sockaddr_storage& udp_address() const noexcept { return address_; }
  [[nodiscard]] socklen_t udp_address_length() const noexcept { return address_length_; }

  // UNIX only, for the clean stop: in the directory held since set-up,
  // unlinks the socket's name if it still names the very socket file we
  // created (same device and inode, still a socket): fstatat and unlinkat,
  // no path lookup. Returns true when the file was removed or is already
  // gone; false (with `error` set) when something else is there now, which
  // is left untouched, or when unlinkat fails (e.g. no write permission on
  // the directory after a privilege drop: the next start then replaces
  // the stale socket). Does not close the descriptor.
  bool remove_unix_path(std::string& error) noexcept;

  // Closes the descriptors now (idempotent).
  void close() noexcept;

 private:
  os::UniqueFd fd_;
  Kind kind_ = Kind::none;
  UnixFile file_;
  sockaddr_storage address_{};
  socklen_t address_length_ = 0;
};

// The outcome of bind_listening_socket: a valid socket, or an error
// message naming what failed and where (never both).
struct BindResult {
  ListeningSocket socket;
  std::string error;
  [[nodiscard]] bool ok() const noexcept { return socket.valid(); }
};

// Creates, configures and binds the socket `config.socket_name` describes,
// applying unix_socket_mode/user/group (UNIX), socket_buf_size and
// socket_timeout_ms. UNIX: reaches the socket's directory by descriptor
// (os::open_parent_directory: every directory on the path owned by root,
// this process's user or unix_socket_user, links followed only when they
// made them), refuses a directory its group or others can write, and works
// relative to that descriptor from then on (the bind itself takes the
// path, which becomes the socket's address). Never unlinks anything but a
// stale socket (one that refuses a connection); never follows a symlink at
// the last component. On failure nothing is left behind (a socket file it
// created is removed). Changes the process umask for the duration of
// bind(2) only: call it while the process is single-threaded.
// docs/SOCKETS.md lists every check and message.
[[nodiscard]] BindResult bind_listening_socket(const config::Config& config);

// The two halves bind_listening_socket dispatches to; `config.socket_name`
// must be set and of the matching kind.
[[nodiscard]] BindResult bind_unix_socket(const config::Config& config);
[[nodiscard]] BindResult bind_udp_socket(const config::Config& config);

// bind_listening_socket, or log the error (mid::log, error level) and
// exit(1).
[[nodiscard]] ListeningSocket bind_listening_socket_or_die(const config::Config& config);

// Resolves a UDP socket_name to one address: an IPv4 literal or a
// bracketed IPv6 literal with inet_pton, otherwise a host name with
// getaddrinfo (once; the first result). Shared with the client.
// Returns false with `error` set when the name does not resolve.
bool resolve_udp_address(const config::SocketAddress& address, sockaddr_storage& out,
                         socklen_t& length, std::string& error);

// The IP address in an AF_INET/AF_INET6 sockaddr, in the form the access
// predicates take (transport/access.hpp). False for any other family.
bool ip_bytes_of(const sockaddr_storage& address, bool& v6,
                 std::array<uint8_t, 16>& bytes) noexcept;

// "127.0.0.1:8094" or "[::1]:8094", for log lines and errors.
[[nodiscard]] std::string format_ip_address(const sockaddr_storage& address);

}  // namespace mid::transport

#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "transport/socket_setup.hpp"

// systemd socket activation without libsystemd (sd_listen_fds(3),
// sd_notify(3)): a service manager binds the socket, starts the daemon
// with the socket as descriptor 3 and LISTEN_PID/LISTEN_FDS saying so,
// and waits for READY=1 on NOTIFY_SOCKET. The daemon then serves that
// socket as it is: it never unlinks, chmods or chowns it, and leaves it in
// place at stop (the manager owns it).
namespace mid::transport {

inline constexpr int kListenFdsStart = 3;  // SD_LISTEN_FDS_START

// How many sockets LISTEN_PID/LISTEN_FDS pass to the process `self`, as
// sd_listen_fds(3) reads them: 0 when either is unset or LISTEN_PID is
// not `self` (the variables were meant for another process); nullopt when
// LISTEN_PID is `self` but LISTEN_FDS is not a decimal from 0 to 1024.
// Pure; reads only its arguments.
[[nodiscard]] std::optional<int> parse_listen_fds(const char* listen_pid, const char* listen_fds,
                                                  pid_t self) noexcept;

// Reads LISTEN_PID and LISTEN_FDS the first time it is called, removes
// LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES from the environment (so no
// program started later sees them), and returns parse_listen_fds of them
// for getpid(); every later call returns the same without reading the
// environment again. Call it first in main, before descriptors from 3 up
// are closed: the passed sockets are kListenFdsStart and up.
[[nodiscard]] std::optional<int> take_listen_fds() noexcept;

// Serves the socket passed as descriptor 3 if it is what
// `config.socket_name` names; otherwise exits 1 with an error naming what
// differs. Checked: exactly one socket passed; a socket (fstat), of type
// SOCK_DGRAM (SO_TYPE), of the family socket_name names (SO_DOMAIN:
// AF_UNIX for a path, AF_INET/AF_INET6 for udp:), bound (getsockname) to
// the same path, or to the same address and port socket_name resolves
// to. Then: close-on-exec and blocking (workers send with MSG_DONTWAIT),
// SO_RCVTIMEO = kWorkerWaitBoundMs, SO_PASSCRED on a UNIX socket, and the
// receive and send buffers raised to socket_buf_size and
// socket_send_buffer when they are smaller and the process may force them
// (never lowered: a socket unit's ReceiveBuffer=/SendBuffer= stay). Call
// before privileges are dropped.
[[nodiscard]] ListeningSocket adopt_activated_socket_or_die(const config::Config& config,
                                                            int passed);

// The address NOTIFY_SOCKET names, as sd_notify(3) reads it: an absolute
// path, or '@' for the abstract namespace. Empty when unusable. Pure.
[[nodiscard]] std::string notify_address(std::string_view notify_socket) noexcept;

// Connects a datagram socket to NOTIFY_SOCKET when it is set, and removes
// it from the environment. Call before privileges are dropped: the
// manager's socket may admit only the user the daemon was started as. A
// failure is logged (the manager then reports the start as timed out),
// not fatal: the daemon serves either way.
void prepare_ready_notification() noexcept;

// Sends "READY=1" on the connection prepare_ready_notification made, then
// closes it (so no worker forked later holds it). Nothing when there is
// none. Uses send(2) alone (sendto in the master's filter).
void notify_ready() noexcept;

}  // namespace mid::transport

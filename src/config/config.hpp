#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/socket_address.hpp"

// The daemon's configuration after parsing (parse_config, pure) and
// loading (load_config, which also resolves names to numbers).
namespace mid::config {

enum class SandboxMode { kill, trap, off };
enum class LogTarget { stderr_stream, syslog };

// A user or group as written: a number or a name. load_config resolves
// names to numbers before anything is bound, so nothing needs the name
// service after the sandbox is on.
struct Principal {
  std::string text;            // as written in the file ("" = not set)
  std::optional<uint32_t> id;  // set when `text` is a number, or after load_config
  unsigned line = 0;           // where it was set, for load_config's errors (0 = not a file line)
  friend bool operator==(const Principal&, const Principal&) = default;
};

// One IPv4 or IPv6 network in CIDR form, for allow_from.
struct Cidr {
  bool v6 = false;
  std::array<uint8_t, 16> address{};  // network byte order; IPv4 in the first 4
  unsigned prefix = 0;                // 0..32 or 0..128
  friend bool operator==(const Cidr&, const Cidr&) = default;
};

// One `access = WHO WHAT` line (docs/CONFIGURATION.md; parsed by
// access_rule.hpp, decided by transport/access_decision.hpp).
enum class AccessWhoKind : uint8_t { anyone, uid, gid, udp };

struct AccessWho {
  AccessWhoKind kind = AccessWhoKind::anyone;  // `*`
  // uid, gid: the number (uid:N, gid:N), or the name (user:NAME,
  // group:NAME) with `line`, until load_config resolves it to `id`.
  Principal principal;
  bool by_name = false;
  Cidr network;  // udp: udp:ADDR[/PREFIX]
  friend bool operator==(const AccessWho&, const AccessWho&) = default;
};

// What the matching peers may run: every `read` command, every `write`
// command, and the commands named (whatever their class). `all` is read
// and write; `none` is nothing.
struct AccessWhat {
  bool read = false;
  bool write = false;
  std::vector<std::string> commands;
  friend bool operator==(const AccessWhat&, const AccessWhat&) = default;
};

struct AccessRule {
  AccessWho who;
  AccessWhat what;
  friend bool operator==(const AccessRule&, const AccessRule&) = default;
};

struct Config {
  // The seed's parameters, with the seed's defaults.
  std::optional<SocketAddress> socket_name;  // required
  unsigned children_count = 1;               // 1..64
  unsigned unix_socket_mode = 0660;          // octal in the file, 0..0777
  Principal unix_socket_user;                // owner of the socket file; unset = inherited
  Principal unix_socket_group;               // group of the socket file; unset = inherited
  unsigned socket_timeout_ms = 2000;         // 1..60000
  std::string reply_indent = "\t";           // 0..16 spaces/tabs

  // Ours.
  Principal user;   // whom the processes run as after bind; default nobody when root
  Principal group;  // default nogroup (or the user's primary group)
  SandboxMode sandbox = SandboxMode::kill;
  unsigned socket_buf_size = 65457;  // SO_RCVBUF, 65457..16 MiB
  // SO_SNDBUF: the bytes of unread replies the socket may hold (each reply
  // counted at its kernel size, 768 bytes for a short one), 65457..1 GiB.
  unsigned socket_send_buffer = 16U << 20;
  int log_level = 2;  // mid::log::Level as int, 0..4 (notice)
  LogTarget log_target = LogTarget::stderr_stream;
  std::vector<uint32_t> allowed_uids;  // UNIX peers; empty = anyone who can open the socket
  std::vector<uint32_t> allowed_gids;
  // Names from allowed_uids / allowed_gids waiting for load_config, which
  // appends their ids to the lists above and empties these. Both empty
  // after load_config; a peer is allowed when its uid is in allowed_uids or
  // its gid in allowed_gids (and anyone when both are empty).
  std::vector<Principal> allowed_uid_names;
  std::vector<Principal> allowed_gid_names;
  std::vector<Cidr> allow_from;  // UDP peers; empty list = loopback only
  bool enable_kill = false;      // the `kill` MI command
  bool pretty_printing = false;  // JSON-RPC replies laid out with tabs, as OpenSIPS
  // Who may run what, in order, first match wins; empty = every peer that
  // passes the lists above runs every command. Each `access` line appends.
  std::vector<AccessRule> access;

  friend bool operator==(const Config&, const Config&) = default;
};

}  // namespace mid::config

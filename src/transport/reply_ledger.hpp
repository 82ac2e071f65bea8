#pragma once

#include <sys/socket.h>
#include <sys/un.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "os/unique_fd.hpp"

// Who holds the listening socket's send buffer. Every UNIX reply stays
// charged to the listening socket until its receiver reads it, so a peer
// that never reads keeps part of a buffer every other peer needs. The
// kernel bounds one receiving socket (net.unix.max_dgram_qlen replies);
// nothing bounds a uid that opens many. The ledger does, per worker:
//
// - each reply sent adds its estimated charge (reply_charge.hpp) to the
//   receiving address and to the uid that sent the request;
// - a uid whose charge would pass `uid_budget` gets no more replies until
//   the ledger finds room: first, when the socket's real charge (SIOCOUTQ)
//   is below one budget, no uid can hold a budget for real and every
//   estimate is cleared (readers have read); then the uid's addresses are
//   probed, oldest first, with connect(2) on a spare socket, and those
//   that are gone (their charge was freed when they closed) are forgotten;
// - a send that finds the receiver gone forgets its address.
//
// So a uid holds at most two budgets of the buffer per worker (one it
// could have held when the estimates were cleared, one since), whatever
// number of sockets it opens. The price: a uid whose own sockets stay open
// and hold unread replies waits for them, as it should; a uid that keeps
// one socket open for many requests (and reads them) can be refused while
// another uid really holds a budget, until the estimate clears.
namespace mid::transport {

// net.unix.max_dgram_qlen + 1: how many unread datagrams one UNIX socket
// can hold (the kernel takes one more than the limit). Reads /proc, so call
// it before the sandbox; 513 (systemd's setting) when it cannot be read.
[[nodiscard]] unsigned unix_receiver_queue_limit() noexcept;

class ReplyLedger {
 public:
  static constexpr std::size_t kAddresses = 2048;  // the address table's slots, per worker
  // Addresses held at most (the table's load limit): past it, room is
  // made for a new address or its reply is refused.
  static constexpr std::size_t kMaxLoad = kAddresses * 3 / 4;
  static constexpr std::size_t kUids = 256;  // uids with a charge, per worker
  static constexpr std::size_t kProbesPerCheck = 32;
  // One uid may hold this fraction of the send buffer (split between the
  // workers): filling it takes kUidShare / 2 uids that never read.
  static constexpr std::size_t kUidShare = 16;

  // Allocates the tables and the probe socket (before the worker's
  // filter). `listening_fd` is measured with SIOCOUTQ. One address is
  // never counted as holding more than `receiver_queue_limit` replies
  // (the kernel refuses more to a socket that does not read), so a client
  // that keeps one socket and reads it is not mistaken for many that
  // never read. False on failure.
  bool open(int listening_fd, std::size_t uid_budget, unsigned receiver_queue_limit) noexcept;

  // May a reply of `length` bytes go to `address` for a request from
  // `uid`? May clear estimates or probe addresses to find room.
  [[nodiscard]] bool admit(std::uint32_t uid, const sockaddr_storage& address, socklen_t length,
                           std::size_t reply_length) noexcept;
  // A reply of `reply_length` bytes was sent to `address` for `uid`.
  void charge(std::uint32_t uid, const sockaddr_storage& address, socklen_t length,
              std::size_t reply_length) noexcept;
  // `address` is gone (a send or a probe found no socket there).
  void forget(const sockaddr_storage& address, socklen_t length) noexcept;

  [[nodiscard]] std::size_t uid_budget() const noexcept { return uid_budget_; }
  [[nodiscard]] std::size_t charge_of(std::uint32_t uid) const noexcept;
  [[nodiscard]] std::size_t addresses() const noexcept { return used_; }

 private:
  struct Entry {
    bool used = false;
    std::uint32_t uid = 0;
    socklen_t length = 0;
    std::uint64_t hash = 0;
    std::uint64_t last_charged = 0;  // the ledger's charge count then: orders by age
    std::size_t charge = 0;
    std::size_t largest = 0;  // the largest reply's charge, for the per-address cap
    sockaddr_un address{};
  };
  struct UidCharge {
    bool used = false;
    std::uint32_t uid = 0;
    std::size_t charge = 0;
    std::size_t entries = 0;
  };

  Entry* find(const sockaddr_storage& address, socklen_t length, std::uint64_t hash) noexcept;
  Entry* insert(std::uint32_t uid, const sockaddr_storage& address, socklen_t length,
                std::uint64_t hash) noexcept;
  void erase(Entry& entry) noexcept;
  UidCharge* uid_slot(std::uint32_t uid, bool create) noexcept;
  const UidCharge* uid_slot(std::uint32_t uid) const noexcept;
  void clear_charges() noexcept;
  bool socket_nearly_empty() const noexcept;
  void probe_oldest(std::uint32_t uid, bool only_uid) noexcept;
  bool uid_slot_available() const noexcept;
  bool make_room_for_address() noexcept;

  int listening_fd_ = -1;
  os::UniqueFd probe_fd_;
  std::size_t uid_budget_ = 0;
  std::size_t receiver_queue_limit_ = 513;
  std::size_t used_ = 0;
  std::uint64_t charges_ = 0;
  std::unique_ptr<std::array<Entry, kAddresses>> entries_;
  std::array<UidCharge, kUids> uids_{};
};

}  // namespace mid::transport

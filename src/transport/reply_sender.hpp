#pragma once

#include <cstdint>
#include <span>

#include "stats/statistics.hpp"
#include "transport/datagram_io.hpp"
#include "transport/reply_ledger.hpp"
#include "transport/reply_retries.hpp"
#include "transport/server_statistics.hpp"

// How a worker's replies leave: never waiting for one receiver while
// others are queued. A reply is sent at once with MSG_DONTWAIT; one that
// finds the receiver's queue full waits in ReplyRetries and is tried again
// until socket_timeout has passed; over UNIX, the ReplyLedger first decides
// whether the requester's uid may hold one more unread reply in the
// listening socket's send buffer. Every outcome is counted, and the lines
// a peer can trigger are rate limited.
namespace mid::transport {

struct ReplySenderSetup {
  int socket_fd = -1;
  bool is_unix = true;
  unsigned socket_timeout_ms = 2000;
  std::size_t uid_budget = 0;  // bytes of unread replies one uid may hold, per worker
  unsigned receiver_queue_limit = 513;
  stats::Statistics* statistics = nullptr;
  const ServerStatistics* ids = nullptr;
};

class ReplySender {
 public:
  // Creates the retry timer and the ledger's probe socket (before the
  // worker's filter). False on failure.
  bool open(const ReplySenderSetup& setup) noexcept;
  [[nodiscard]] int timer_fd() const noexcept { return retries_.fd(); }
  [[nodiscard]] std::size_t waiting() const noexcept { return retries_.size(); }

  // Sends `reply` to `peer`. `best_effort` replies (to refused peers) are
  // tried once and never kept for a retry.
  void send(std::span<const char> reply, const Peer& peer, bool best_effort = false) noexcept;
  // The retry timer fired.
  void retry_due() noexcept;

 private:
  [[nodiscard]] bool ledger_admits(const Peer& peer, std::size_t size) noexcept;
  void sent(const Peer& peer, std::uint32_t uid, std::size_t size) noexcept;
  void failed(const Peer& peer, SendStatus status) noexcept;

  ReplySenderSetup setup_;
  ReplyLedger ledger_;
  ReplyRetries retries_;
};

}  // namespace mid::transport

#include "transport/reply_sender.hpp"

#include <cerrno>
#include <cstring>

#include "log/rate_limit.hpp"

namespace mid::transport {

bool ReplySender::open(const ReplySenderSetup& setup) noexcept {
  setup_ = setup;
  if (!retries_.open()) return false;
  return !setup_.is_unix ||
         ledger_.open(setup_.socket_fd, setup_.uid_budget, setup_.receiver_queue_limit);
}

void ReplySender::send(std::span<const char> reply, const Peer& peer, bool best_effort) noexcept {
  if (setup_.is_unix && !ledger_admits(peer, reply.size())) return;
  // A reply behind one that waits must not overtake it.
  SendStatus status = retries_.waiting_for(peer) ? SendStatus::would_block
                                                 : send_reply(setup_.socket_fd, reply, peer);
  if (status == SendStatus::sent) {
    sent(peer, peer.uid, reply.size());
    return;
  }
  if (status == SendStatus::would_block && !best_effort) {
    // The clock is read only for a reply that has to wait.
    const std::int64_t now = monotonic_ms();
    if (retries_.add(peer, peer.uid, reply, now, now + setup_.socket_timeout_ms)) return;
  }
  failed(peer, status);
}

void ReplySender::retry_due() noexcept {
  retries_.run_due(
      monotonic_ms(),
      [this](const Peer& peer, std::span<const char> reply) {
        return send_reply(setup_.socket_fd, reply, peer);
      },
      [this](const Peer& peer, std::uint32_t uid, std::size_t size, SendStatus status) {
        if (status == SendStatus::sent) {
          setup_.statistics->add(setup_.ids->replies_delayed);
          sent(peer, uid, size);
        } else {
          failed(peer, status);
        }
      });
}

bool ReplySender::ledger_admits(const Peer& peer, std::size_t size) noexcept {
  if (ledger_.admit(peer.uid, peer.address, peer.length, size)) return true;
  setup_.statistics->add(setup_.ids->replies_over_quota);
  MID_LOG_LIMITED(over_quota, warning,
                  "reply withheld: uid %u holds %zu bytes of unread replies (limit %zu per worker)",
                  peer.uid, ledger_.charge_of(peer.uid), ledger_.uid_budget());
  return false;
}

void ReplySender::sent(const Peer& peer, std::uint32_t uid, std::size_t size) noexcept {
  setup_.statistics->add(setup_.ids->replies);
  setup_.statistics->add(setup_.ids->bytes_out, size);
  if (setup_.is_unix) ledger_.charge(uid, peer.address, peer.length, size);
}

void ReplySender::failed(const Peer& peer, SendStatus status) noexcept {
  stats::Statistics& statistics = *setup_.statistics;
  const ServerStatistics& ids = *setup_.ids;
  switch (status) {
    case SendStatus::sent:
      return;
    case SendStatus::would_block:
      statistics.add(ids.send_timeouts);
      MID_LOG_LIMITED(reply_dropped, info, "reply dropped: the client did not take it within %u ms",
                      setup_.socket_timeout_ms);
      return;
    case SendStatus::peer_gone:
      if (setup_.is_unix) ledger_.forget(peer.address, peer.length);
      statistics.add(ids.send_errors);
      MID_LOG_LIMITED(reply_dropped, debug, "reply dropped: the client is gone");
      return;
    case SendStatus::denied:
      statistics.add(ids.send_denied);
      MID_LOG_LIMITED(unanswerable, warning,
                      "reply dropped: the client's socket does not let us write to it");
      return;
    case SendStatus::failed:
      statistics.add(ids.send_errors);
      MID_LOG_LIMITED(reply_dropped, warning, "reply dropped: sendto failed: %s",
                      std::strerror(errno));
      return;
  }
}

}  // namespace mid::transport

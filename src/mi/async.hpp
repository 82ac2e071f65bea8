#pragma once

#include <cstdint>
#include <functional>

#include "mi/command.hpp"

namespace mid::mi {

// How a command flagged kAsync answers later. The worker that received the
// request implements it: the completion runs in that worker's own event
// loop, so the worker keeps answering other requests meanwhile, and the
// reply goes to the address the request came from.
class AsyncReply {
 public:
  // Builds the reply body into the (cleared) tree and returns the status.
  using Completion = std::function<CommandReply(Tree& tree, ReasonText& reason)>;

  // Answers the current request after `delay_ms` with what `completion`
  // builds then. Returns false when the worker already holds its maximum
  // of pending replies; the handler should then answer at once (e.g. 503).
  virtual bool complete_after(std::uint32_t delay_ms, Completion completion) noexcept = 0;

 protected:
  ~AsyncReply() = default;
};

// What a handler returns after a successful complete_after(): no reply now.
inline constexpr unsigned kDeferred = 0;
inline CommandReply deferred() noexcept {
  return CommandReply{kDeferred, {}};
}

}  // namespace mid::mi

#pragma once

#include "stats/shared_state.hpp"

namespace mid::stats {

// One anonymous MAP_SHARED mapping holding a SharedState, created by the
// master before it forks, so the workers inherit the same pages. Never
// unmapped: it lives as long as the processes.
[[nodiscard]] SharedState* create_shared_state_or_die() noexcept;

}  // namespace mid::stats

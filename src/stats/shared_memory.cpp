#include "stats/shared_memory.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "log/log.hpp"

namespace mid::stats {

SharedState* create_shared_state_or_die() noexcept {
  void* memory =
      mmap(nullptr, sizeof(SharedState), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    MID_LOG(error, "cannot map %zu bytes of shared memory for statistics: %s", sizeof(SharedState),
            std::strerror(errno));
    std::exit(1);
  }
  return new (memory) SharedState();
}

}  // namespace mid::stats

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include <time.h>

// Shared by every harness in fuzz/harnesses/: the exact-size input copy,
// the abort-on-violation check and the per-input time bound. Harness code
// is test code: it may use stdio and the heap; the functions under test
// may not.
namespace mid::fuzz {

// Sanitizers and AFL's instrumentation slow the code under test by up to
// ~10x (fuzz/README.md, "Time bound"), so the bound scales with them; an
// unoptimised build gets the same allowance.
#if defined(__SANITIZE_ADDRESS__) || defined(__AFL_COMPILER) || !defined(__OPTIMIZE__)
inline constexpr long kTimeScale = 10;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
inline constexpr long kTimeScale = 10;
#else
inline constexpr long kTimeScale = 1;
#endif
#else
inline constexpr long kTimeScale = 1;
#endif

// The per-input bound of an optimised build: 50 ms. The slowest input of
// any harness measured ~3 ms (README), so only an algorithmic blow-up
// (quadratic work on a 64 KiB input) can cross it. MID_FUZZ_TIME_BOUND_MS
// overrides it (for valgrind or gdb).
inline std::chrono::milliseconds time_bound() noexcept {
  static const std::chrono::milliseconds bound = [] {
    const char* text = std::getenv("MID_FUZZ_TIME_BOUND_MS");
    const long ms = text != nullptr ? std::strtol(text, nullptr, 10) : 0;
    return std::chrono::milliseconds(ms > 0 ? ms : 50 * kTimeScale);
  }();
  return bound;
}

[[noreturn]] inline void fail(const char* what) noexcept {
  std::fprintf(stderr, "fuzz harness: invariant broken: %s\n", what);
  std::abort();
}

inline void check(bool ok, const char* what) noexcept {
  if (!ok) fail(what);
}

// The input copied into a heap block of exactly its size, so ASan reports
// a read one byte past the end (the fuzzer's own buffer may be larger).
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : bytes_(new char[size]), size_(size) {
    if (size != 0) std::memcpy(bytes_.get(), data, size);
  }
  [[nodiscard]] std::string_view view() const noexcept { return {bytes_.get(), size_}; }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t size_;
};

// CPU time of the calling thread: unlike the steady clock, it does not
// grow while the thread waits for a core.
inline std::chrono::nanoseconds thread_cpu_time() noexcept {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// Runs `body` under the time bound (`scale` times it for a harness whose
// input may be larger than one datagram), measured with the steady clock.
// An input is over the bound only when both its steady-clock time and its
// CPU time are, and again when run a second time: the work is
// deterministic, so a slow input is slow twice, while a stall on a busy
// machine (waiting for a core, being swapped out) is neither.
template <class Body>
void run_bounded(Body&& body, long scale = 1) {
  using Clock = std::chrono::steady_clock;
  const auto bound = time_bound() * scale;
  for (int attempt = 0;; ++attempt) {
    const auto start = Clock::now();
    const auto start_cpu = thread_cpu_time();
    body();
    if (Clock::now() - start <= bound || thread_cpu_time() - start_cpu <= bound) return;
    if (attempt == 1) fail("time bound exceeded");
  }
}

}  // namespace mid::fuzz

#pragma once

#include <cstdint>

// A counting global allocator for this test binary: every operator new
// (all forms) and, outside sanitizer builds, every malloc, calloc and
// realloc call adds one to a counter. Deterministic: the count does not
// depend on timing, only on what the code calls.
namespace mid::alloc_test {

struct AllocationCount {
  std::uint64_t news = 0;     // operator new, operator new[] (any form)
  std::uint64_t mallocs = 0;  // malloc, calloc, realloc (0 under ASan: not replaced)
  friend bool operator==(const AllocationCount&, const AllocationCount&) = default;
};

[[nodiscard]] AllocationCount allocation_count() noexcept;

// True when malloc and friends are counted too (not under ASan, whose
// interceptors own them).
[[nodiscard]] bool counts_malloc() noexcept;

}  // namespace mid::alloc_test

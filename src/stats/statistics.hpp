#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/result.hpp"
#include "tree/node_name.hpp"

// Named statistics in groups ("datagram:requests"), counters and gauges.
//
// Definitions (names, kinds) are made at start, before the workers are
// forked, and are read-only afterwards; each worker has its copy through
// fork. Values live in a caller-given span of atomics, which the daemon
// places in shared memory (stats::SharedMemory) so every process's work
// shows in one answer. Updating or reading a value is one relaxed atomic
// operation: no lock, no allocation, no syscall.
namespace mid::stats {

inline constexpr std::size_t kMaxStatistics = 1024;  // definitions per registry
inline constexpr std::size_t kMaxStatName = 64;      // group and name, each

enum class Kind : std::uint8_t { counter, gauge };

using StatId = std::uint32_t;

struct Definition {
  std::string_view group;  // views into the registry's own storage
  std::string_view name;
  tree::NodeName full = tree::NodeName::nameless();  // "group:name", as a reply names it
  Kind kind = Kind::counter;
};

class Statistics {
 public:
  // `values` must hold at least kMaxStatistics atomics and outlive this.
  explicit Statistics(std::span<std::atomic<std::uint64_t>> values) noexcept;
  Statistics(const Statistics&) = delete;
  Statistics& operator=(const Statistics&) = delete;

  // At start only. Group and name: 1..64 bytes of [A-Za-z0-9_-]. Errors:
  // bad_name, too_many_nodes (registry full), duplicate_name.
  core::Result<StatId> define(std::string_view group, std::string_view name, Kind kind) noexcept;

  void add(StatId id, std::uint64_t delta = 1) noexcept {
    values_[id].fetch_add(delta, std::memory_order_relaxed);
  }
  void subtract(StatId id, std::uint64_t delta = 1) noexcept {
    values_[id].fetch_sub(delta, std::memory_order_relaxed);
  }
  void set(StatId id, std::uint64_t value) noexcept {
    values_[id].store(value, std::memory_order_relaxed);
  }
  [[nodiscard]] std::uint64_t get(StatId id) const noexcept {
    return values_[id].load(std::memory_order_relaxed);
  }
  // Resets every counter of the matching statistics; gauges keep their value.
  void reset(StatId id) noexcept {
    if (definitions_[id].kind == Kind::counter) set(id, 0);
  }

  [[nodiscard]] std::size_t size() const noexcept { return count_; }
  [[nodiscard]] const Definition& definition(StatId id) const noexcept { return definitions_[id]; }

  [[nodiscard]] static bool is_valid_part(std::string_view part) noexcept;

 private:
  std::span<std::atomic<std::uint64_t>> values_;
  std::array<Definition, kMaxStatistics> definitions_{};
  // group + ':' + name per definition, so every view above stays valid.
  std::array<char, kMaxStatistics*(2 * kMaxStatName + 1)> names_{};
  std::size_t names_used_ = 0;
  std::size_t count_ = 0;
};

// What one get_statistics argument selects:
//   "all"          every statistic
//   "group:"       every statistic of the group
//   "group:name"   one statistic
//   "name"         the statistic of that name, in any group
struct Selector {
  enum class Scope { all, group, one, name } scope = Scope::all;
  std::string_view group;
  std::string_view name;
};

[[nodiscard]] Selector parse_selector(std::string_view argument) noexcept;
[[nodiscard]] bool matches(const Selector& selector, const Definition& definition) noexcept;

// Calls fn(id) for every statistic `selector` selects, in definition
// order, until fn returns false. The same selection as `matches`, with
// the scope decided once per call instead of once per definition:
// get_statistics runs this over every definition of every request.
template <class Fn>
void for_each_match(const Statistics& statistics, const Selector& selector, Fn&& fn) {
  const auto each = [&statistics, &fn](auto&& selects) {
    for (StatId id = 0; id < statistics.size(); ++id) {
      if (selects(statistics.definition(id)) && !fn(id)) return;
    }
  };
  switch (selector.scope) {
    case Selector::Scope::all:
      return each([](const Definition&) { return true; });
    case Selector::Scope::group:
      return each([&selector](const Definition& d) { return d.group == selector.group; });
    case Selector::Scope::one:
      return each([&selector](const Definition& d) {
        return d.group == selector.group && d.name == selector.name;
      });
    case Selector::Scope::name:
      return each([&selector](const Definition& d) { return d.name == selector.name; });
  }
}

}  // namespace mid::stats

#include "stats/statistics.hpp"

#include <algorithm>
#include <cstring>

namespace mid::stats {

using core::Errc;
using core::Error;

Statistics::Statistics(std::span<std::atomic<std::uint64_t>> values) noexcept : values_(values) {}

bool Statistics::is_valid_part(std::string_view part) noexcept {
  if (part.empty() || part.size() > kMaxStatName) return false;
  return std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

core::Result<StatId> Statistics::define(std::string_view group, std::string_view name,
                                        Kind kind) noexcept {
  if (!is_valid_part(group) || !is_valid_part(name)) return Error{Errc::bad_name, 0};
  if (count_ >= definitions_.size() || count_ >= values_.size()) {
    return Error{Errc::too_many_nodes, 0};
  }
  for (std::size_t i = 0; i < count_; ++i) {
    if (definitions_[i].group == group && definitions_[i].name == name) {
      return Error{Errc::duplicate_name, 0};
    }
  }
  const std::size_t full_size = group.size() + 1 + name.size();
  // Fits: each definition reserves 2 * kMaxStatName + 1 bytes.
  const std::span<char> full = std::span<char>(names_).subspan(names_used_, full_size);
  const std::span<char> name_part = full.subspan(group.size() + 1);
  std::memcpy(full.data(), group.data(), group.size());
  full[group.size()] = ':';
  std::memcpy(name_part.data(), name.data(), name.size());
  // Group and name are valid parts, so "group:name" is a valid node name;
  // checked here once so that every reply can trust it.
  const auto full_name = tree::NodeName::make(std::string_view(full.data(), full_size));
  if (!full_name) return Error{Errc::bad_name, 0};
  names_used_ += full_size;

  const auto id = static_cast<StatId>(count_++);
  definitions_[id] = Definition{std::string_view(full.data(), group.size()),
                                std::string_view(name_part.data(), name.size()), *full_name, kind};
  return id;
}

Selector parse_selector(std::string_view argument) noexcept {
  if (argument == "all") return Selector{Selector::Scope::all, {}, {}};
  const std::size_t colon = argument.find(':');
  if (colon == std::string_view::npos) return Selector{Selector::Scope::name, {}, argument};
  const std::string_view group = argument.substr(0, colon);
  const std::string_view name = argument.substr(colon + 1);
  if (name.empty()) return Selector{Selector::Scope::group, group, {}};
  return Selector{Selector::Scope::one, group, name};
}

bool matches(const Selector& selector, const Definition& definition) noexcept {
  switch (selector.scope) {
    case Selector::Scope::all:
      return true;
    case Selector::Scope::group:
      return definition.group == selector.group;
    case Selector::Scope::one:
      return definition.group == selector.group && definition.name == selector.name;
    case Selector::Scope::name:
      return definition.name == selector.name;
  }
  return false;
}

}  // namespace mid::stats

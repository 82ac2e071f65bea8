#include "load/proc_stat.hpp"

#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace mid::bench {
namespace {

// The fields after "(comm)", which may itself hold spaces and parentheses.
std::optional<std::vector<std::string>> stat_fields(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// Field N of /proc/PID/stat (1-based, as in proc(5)); field 3 is fields[0].
std::uint64_t field(const std::vector<std::string>& fields, std::size_t n) {
  return n - 3 < fields.size() ? std::strtoull(fields[n - 3].c_str(), nullptr, 10) : 0;
}

}  // namespace

std::vector<pid_t> server_processes(pid_t master) {
  std::vector<pid_t> pids{master};
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  while (const dirent* entry = readdir(proc)) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    if (pid <= 0 || *end != '\0' || pid == master) continue;
    const auto fields = stat_fields(static_cast<pid_t>(pid));
    if (fields && field(*fields, 4) == static_cast<std::uint64_t>(master)) {
      pids.push_back(static_cast<pid_t>(pid));
    }
  }
  closedir(proc);
  return pids;
}

std::optional<std::uint64_t> cpu_ticks(pid_t pid) {
  const auto fields = stat_fields(pid);
  if (!fields) return std::nullopt;
  return field(*fields, 14) + field(*fields, 15);
}

std::uint64_t total_cpu_ticks(const std::vector<pid_t>& pids) {
  std::uint64_t total = 0;
  for (const pid_t pid : pids) total += cpu_ticks(pid).value_or(0);
  return total;
}

std::optional<std::uint64_t> run_time_ns(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/schedstat");
  std::uint64_t ns = 0;
  if (!(file >> ns)) return std::nullopt;
  return ns;
}

std::uint64_t total_run_time_ns(const std::vector<pid_t>& pids) {
  std::uint64_t total = 0;
  for (const pid_t pid : pids) total += run_time_ns(pid).value_or(0);
  return total;
}

ContextSwitches total_context_switches(const std::vector<pid_t>& pids) {
  ContextSwitches total;
  for (const pid_t pid : pids) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
      const auto value = [&line] {
        return std::strtoull(line.c_str() + line.find(':') + 1, nullptr, 10);
      };
      if (line.starts_with("voluntary_ctxt_switches:")) total.voluntary += value();
      if (line.starts_with("nonvoluntary_ctxt_switches:")) total.involuntary += value();
    }
  }
  return total;
}

std::optional<std::uint64_t> private_kib(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/smaps_rollup");
  if (!file) return std::nullopt;
  std::uint64_t total = 0;
  bool seen = false;
  for (std::string line; std::getline(file, line);) {
    if (line.starts_with("Private_Dirty:") || line.starts_with("Private_Clean:")) {
      total += std::strtoull(line.c_str() + line.find(':') + 1, nullptr, 10);
      seen = true;
    }
  }
  return seen ? std::optional<std::uint64_t>(total) : std::nullopt;
}

std::string process_name(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(file, name);
  return name;
}

}  // namespace mid::bench

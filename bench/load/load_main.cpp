// mi-load: K closed-loop clients against a datagram server (or two, taking
// turns), each with one request in flight; per-request latency, and the
// server's CPU over the measured window from /proc.

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "config/socket_address.hpp"
#include "load/load_options.hpp"
#include "load/proc_stat.hpp"
#include "transport/client_socket.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using mid::bench::LoadOptions;

enum Phase : int { kWarmup, kMeasure, kStop };

// A server under load: the first, or the --versus one.
struct Target {
  std::string socket;
  pid_t pid = 0;
  LoadOptions::Check check = LoadOptions::Check::ok;
  std::string request;
};

// What one client saw of one target.
struct Seen {
  mid::transport::ClientSocket socket;
  std::vector<std::uint32_t> latencies_ns;  // measured requests only
  std::uint64_t errors = 0;
};

struct Client {
  std::vector<Seen> targets;  // one per Target, same order
  std::uint64_t quota = 0;    // --requests: measured requests this client makes
  std::thread thread;
};

bool reply_ok(const Target& target, const char* reply, std::size_t size) {
  switch (target.check) {
    case LoadOptions::Check::none:
      return true;
    case LoadOptions::Check::echo:
      return std::string_view(reply, size) == target.request;
    case LoadOptions::Check::ok: {
      // A 2xx text reply, or a JSON-RPC result.
      static constexpr std::string_view kJsonResult = R"({"jsonrpc":"2.0","result")";
      return (size >= 4 && reply[0] == '2' && reply[3] == ' ') ||
             std::string_view(reply, size).starts_with(kJsonResult);
    }
  }
  return false;
}

// One exchange, blocking (SO_RCVTIMEO bounds the wait): send and recv are
// the only system calls, so the client costs the machine as little as it can.
bool exchange(const Target& target, int fd, std::span<char> buffer) {
  if (send(fd, target.request.data(), target.request.size(), MSG_NOSIGNAL) < 0) return false;
  const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
  return n >= 0 && reply_ok(target, buffer.data(), static_cast<std::size_t>(n));
}

// `turn`: the target the clients load now (the main thread switches it).
void run_client(const LoadOptions& options, const std::vector<Target>& targets, Client& client,
                const std::atomic<int>& phase, const std::atomic<std::size_t>& turn) {
  auto buffer = std::make_unique<std::array<char, 65536>>();
  std::uint64_t measured = 0;
  // Paced: this client's slots are `period` apart; a late reply is
  // followed at once by the next request, without catching up further.
  const auto period = std::chrono::nanoseconds(
      options.rate > 0 ? static_cast<std::int64_t>(1e9 * options.clients / options.rate) : 0);
  auto next_slot = Clock::now();
  for (;;) {
    if (period.count() > 0) {
      std::this_thread::sleep_until(next_slot);
      next_slot = std::max(next_slot + period, Clock::now());
    }
    const int at_start = phase.load(std::memory_order_acquire);
    if (at_start == kStop ||
        (options.requests != 0 && at_start == kMeasure && measured == client.quota)) {
      return;
    }
    const std::size_t target = turn.load(std::memory_order_relaxed);
    Seen& seen = client.targets[target];
    const auto begin = Clock::now();
    const bool ok = exchange(targets[target], seen.socket.fd(), *buffer);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin);
    if (at_start != kMeasure) continue;
    ++measured;
    if (!ok) ++seen.errors;
    seen.latencies_ns.push_back(
        static_cast<std::uint32_t>(std::min<std::int64_t>(ns.count(), UINT32_MAX)));
  }
}

bool connect_clients(const LoadOptions& options, const std::vector<Target>& targets,
                     std::vector<std::unique_ptr<Client>>& clients) {
  const timeval timeout{options.timeout_ms / 1000, (options.timeout_ms % 1000) * 1000};
  for (unsigned i = 0; i < options.clients; ++i) {
    auto client = std::make_unique<Client>();
    for (const Target& target : targets) {
      auto address = mid::config::parse_socket_address(target.socket);
      if (!address) {
        std::fprintf(stderr, "mi-load: bad socket name: %s\n", target.socket.c_str());
        return false;
      }
      std::string error;
      Seen& seen = client->targets.emplace_back();
      seen.socket = mid::transport::connect_client(address.value(), error);
      if (!seen.socket.valid()) {
        std::fprintf(stderr, "mi-load: %s\n", error.c_str());
        return false;
      }
      setsockopt(seen.socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    client->quota =
        options.requests / options.clients + (i < options.requests % options.clients ? 1 : 0);
    clients.push_back(std::move(client));
  }
  return true;
}

std::uint32_t percentile(std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[index];
}

// The server's CPU so far: scheduler run time (exact) and utime + stime
// ticks (sampled; reported for comparison).
struct ServerCpu {
  std::uint64_t run_ns = 0;
  std::uint64_t ticks = 0;
  mid::bench::ContextSwitches switches;

  ServerCpu operator-(const ServerCpu& before) const {
    return {run_ns - before.run_ns,
            ticks - before.ticks,
            {switches.voluntary - before.switches.voluntary,
             switches.involuntary - before.switches.involuntary}};
  }
};

ServerCpu server_cpu(const std::vector<pid_t>& pids) {
  return {mid::bench::total_run_time_ns(pids), mid::bench::total_cpu_ticks(pids),
          mid::bench::total_context_switches(pids)};
}

// Prints one target's results; returns the number of its failed requests.
std::uint64_t report(const LoadOptions& options, std::string_view prefix,
                     std::vector<std::unique_ptr<Client>>& clients, std::size_t target,
                     double seconds, ServerCpu cpu) {
  std::vector<std::uint32_t> all;
  std::uint64_t errors = 0;
  for (const auto& client : clients) {
    const Seen& seen = client->targets[target];
    all.insert(all.end(), seen.latencies_ns.begin(), seen.latencies_ns.end());
    errors += seen.errors;
  }
  std::sort(all.begin(), all.end());
  const double requests = all.empty() ? 0 : static_cast<double>(all.size());
  const bool has_cpu = requests > 0 && (target == 0 ? options.server_pid : options.versus_pid) != 0;
  const double tick_us = 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::printf(
      "%sclients=%u requests=%zu errors=%llu seconds=%.3f rps=%.0f p50_us=%.1f p99_us=%.1f "
      "cpu_us_per_req=%.3f tick_us_per_req=%.3f cpu_ticks=%llu waits_per_req=%.3f "
      "preemptions_per_req=%.3f\n",
      std::string(prefix).c_str(), options.clients, all.size(),
      static_cast<unsigned long long>(errors), seconds, requests / seconds,
      percentile(all, 0.50) / 1e3, percentile(all, 0.99) / 1e3,
      has_cpu ? static_cast<double>(cpu.run_ns) / 1e3 / requests : 0.0,
      has_cpu ? static_cast<double>(cpu.ticks) * tick_us / requests : 0.0,
      static_cast<unsigned long long>(cpu.ticks),
      has_cpu ? static_cast<double>(cpu.switches.voluntary) / requests : 0.0,
      has_cpu ? static_cast<double>(cpu.switches.involuntary) / requests : 0.0);
  return errors;
}

std::vector<pid_t> processes_of(pid_t master) {
  return master != 0 ? mid::bench::server_processes(master) : std::vector<pid_t>{};
}

// Runs the measured window, switching targets every slice; returns the
// seconds each target was loaded.
std::vector<double> measure(const LoadOptions& options, std::size_t targets,
                            std::atomic<int>& phase, std::atomic<std::size_t>& turn) {
  std::vector<double> seconds(targets, 0.0);
  phase.store(kMeasure, std::memory_order_release);
  if (options.requests != 0) return seconds;
  const auto begin = Clock::now();
  const auto end = begin + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(options.duration_s));
  const auto slice = targets > 1 ? std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(options.slice_s))
                                 : end - begin;
  for (auto slice_begin = begin; slice_begin < end;) {
    const auto slice_end = std::min(end, slice_begin + slice);
    std::this_thread::sleep_until(slice_end);
    const auto now = Clock::now();
    const std::size_t current = turn.load(std::memory_order_relaxed);
    seconds[current] += std::chrono::duration<double>(now - slice_begin).count();
    turn.store((current + 1) % targets, std::memory_order_relaxed);
    slice_begin = now;
  }
  phase.store(kStop, std::memory_order_release);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  LoadOptions options;
  std::string error;
  if (!mid::bench::parse_load_options(argc, argv, options, error)) {
    std::fputs(error.c_str(), stderr);
    std::fputc('\n', stderr);
    return 2;
  }
  std::vector<Target> targets{{options.socket, options.server_pid, options.check, options.request}};
  if (!options.versus_socket.empty()) {
    targets.push_back({options.versus_socket, options.versus_pid, options.versus_check,
                       options.versus_request.value_or(options.request)});
  }
  std::vector<std::unique_ptr<Client>> clients;
  if (!connect_clients(options, targets, clients)) return 1;
  std::atomic<int> phase{kWarmup};
  std::atomic<std::size_t> turn{0};
  for (auto& client : clients) {
    client->thread = std::thread(run_client, std::cref(options), std::cref(targets),
                                 std::ref(*client), std::cref(phase), std::cref(turn));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(options.warmup_s));
  std::vector<std::vector<pid_t>> servers;
  std::vector<ServerCpu> before;
  for (const Target& target : targets) {
    servers.push_back(processes_of(target.pid));
    before.push_back(server_cpu(servers.back()));
  }
  const auto begin = Clock::now();
  std::vector<double> seconds = measure(options, targets.size(), phase, turn);
  std::vector<ServerCpu> after;
  for (const auto& server : servers) after.push_back(server_cpu(server));
  for (auto& client : clients) client->thread.join();
  if (options.requests != 0) {
    seconds[0] = std::chrono::duration<double>(Clock::now() - begin).count();
    after[0] = server_cpu(servers[0]);
  }
  std::uint64_t errors = 0;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string prefix = targets.size() > 1 ? "server=" + std::to_string(i + 1) + " " : "";
    errors += report(options, prefix, clients, i, seconds[i], after[i] - before[i]);
  }
  return errors == 0 ? 0 : 1;
}

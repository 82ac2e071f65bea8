// mi-load: K closed-loop clients against a datagram server, each with one
// request in flight; per-request latency, and the server's CPU over the
// measured window from /proc/PID/stat.

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
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

struct Client {
  mid::transport::ClientSocket socket;
  std::vector<std::uint32_t> latencies_ns;  // measured requests only
  std::uint64_t errors = 0;
  std::uint64_t quota = 0;  // --requests: measured requests this client makes
  std::thread thread;
};

bool reply_ok(const LoadOptions& options, const char* reply, std::size_t size) {
  switch (options.check) {
    case LoadOptions::Check::none:
      return true;
    case LoadOptions::Check::echo:
      return std::string_view(reply, size) == options.request;
    case LoadOptions::Check::ok:
      return size >= 4 && reply[0] == '2' && reply[3] == ' ';
  }
  return false;
}

// One exchange, blocking (SO_RCVTIMEO bounds the wait): send and recv are
// the only system calls, so the client costs the machine as little as it can.
bool exchange(const LoadOptions& options, int fd, std::span<char> buffer) {
  if (send(fd, options.request.data(), options.request.size(), MSG_NOSIGNAL) < 0) return false;
  const ssize_t n = recv(fd, buffer.data(), buffer.size(), 0);
  return n >= 0 && reply_ok(options, buffer.data(), static_cast<std::size_t>(n));
}

void run_client(const LoadOptions& options, Client& client, const std::atomic<int>& phase) {
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
    const auto begin = Clock::now();
    const bool ok = exchange(options, client.socket.fd(), *buffer);
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begin);
    if (at_start != kMeasure) continue;
    ++measured;
    if (!ok) ++client.errors;
    client.latencies_ns.push_back(
        static_cast<std::uint32_t>(std::min<std::int64_t>(ns.count(), UINT32_MAX)));
  }
}

bool connect_clients(const LoadOptions& options, std::vector<std::unique_ptr<Client>>& clients) {
  auto address = mid::config::parse_socket_address(options.socket);
  if (!address) {
    std::fprintf(stderr, "mi-load: bad socket name: %s\n", options.socket.c_str());
    return false;
  }
  const timeval timeout{options.timeout_ms / 1000, (options.timeout_ms % 1000) * 1000};
  for (unsigned i = 0; i < options.clients; ++i) {
    auto client = std::make_unique<Client>();
    std::string error;
    client->socket = mid::transport::connect_client(address.value(), error);
    if (!client->socket.valid()) {
      std::fprintf(stderr, "mi-load: %s\n", error.c_str());
      return false;
    }
    setsockopt(client->socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
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

// Prints the results; returns the number of failed requests.
std::uint64_t report(const LoadOptions& options, std::vector<std::unique_ptr<Client>>& clients,
                     double seconds, ServerCpu cpu) {
  std::vector<std::uint32_t> all;
  std::uint64_t errors = 0;
  for (const auto& client : clients) {
    all.insert(all.end(), client->latencies_ns.begin(), client->latencies_ns.end());
    errors += client->errors;
  }
  std::sort(all.begin(), all.end());
  const double requests =
      all.empty() || options.server_pid == 0 ? 0 : static_cast<double>(all.size());
  const double tick_us = 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::printf(
      "clients=%u requests=%zu errors=%llu seconds=%.3f rps=%.0f p50_us=%.1f p99_us=%.1f "
      "cpu_us_per_req=%.3f tick_us_per_req=%.3f cpu_ticks=%llu waits_per_req=%.3f "
      "preemptions_per_req=%.3f\n",
      options.clients, all.size(), static_cast<unsigned long long>(errors), seconds,
      static_cast<double>(all.size()) / seconds, percentile(all, 0.50) / 1e3,
      percentile(all, 0.99) / 1e3,
      requests > 0 ? static_cast<double>(cpu.run_ns) / 1e3 / requests : 0.0,
      requests > 0 ? static_cast<double>(cpu.ticks) * tick_us / requests : 0.0,
      static_cast<unsigned long long>(cpu.ticks),
      requests > 0 ? static_cast<double>(cpu.switches.voluntary) / requests : 0.0,
      requests > 0 ? static_cast<double>(cpu.switches.involuntary) / requests : 0.0);
  return errors;
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
  std::vector<std::unique_ptr<Client>> clients;
  if (!connect_clients(options, clients)) return 1;
  std::atomic<int> phase{kWarmup};
  for (auto& client : clients) {
    client->thread =
        std::thread(run_client, std::cref(options), std::ref(*client), std::cref(phase));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(options.warmup_s));
  const std::vector<pid_t> server = options.server_pid != 0
                                        ? mid::bench::server_processes(options.server_pid)
                                        : std::vector<pid_t>{};
  const ServerCpu before = server_cpu(server);
  const auto begin = Clock::now();
  phase.store(kMeasure, std::memory_order_release);
  if (options.requests == 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(options.duration_s));
    phase.store(kStop, std::memory_order_release);
  }
  auto end = Clock::now();
  ServerCpu after = server_cpu(server);
  for (auto& client : clients) client->thread.join();
  if (options.requests != 0) {
    end = Clock::now();
    after = server_cpu(server);
  }
  const std::uint64_t errors =
      report(options, clients, std::chrono::duration<double>(end - begin).count(), after - before);
  return errors == 0 ? 0 : 1;
}

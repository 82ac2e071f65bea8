// The whole request path without sockets (request::handle_datagram: parse,
// find, run, print) per built-in command, against the echo server's
// answer (a memcpy of the request into the reply buffer).

#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "common/builtin_requests.hpp"

namespace {

using mid::bench::kRequestNames;
using mid::bench::kRequests;

void BM_handle_datagram(benchmark::State& state) {
  const std::string_view request = kRequests[state.range(0)];
  mid::support::BuiltinWorld& f = mid::bench::daemon_world();
  std::size_t reply = 0;
  for (auto _ : state) {
    const mid::request::Handled handled = f.handle(request);
    if (handled.outcome != mid::request::Outcome::ok) state.SkipWithError("not a 2xx reply");
    reply = handled.reply.size();
    benchmark::DoNotOptimize(handled.reply.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>((request.size() + reply)));
  state.SetLabel(std::string(kRequestNames[state.range(0)]) + " reply " + std::to_string(reply) +
                 "B");
}

void BM_echo_baseline(benchmark::State& state) {
  const std::string_view request = kRequests[state.range(0)];
  static std::array<char, mid::core::kMaxDatagram> reply;
  for (auto _ : state) {
    benchmark::DoNotOptimize(request.data());
    std::memcpy(reply.data(), request.data(), request.size());
    benchmark::DoNotOptimize(reply.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(2 * request.size()));
  state.SetLabel(kRequestNames[state.range(0)]);
}

BENCHMARK(BM_handle_datagram)->DenseRange(0, 5);
BENCHMARK(BM_echo_baseline)->DenseRange(0, 3);

}  // namespace

BENCHMARK_MAIN();

// The request parser against a memchr pass over the same bytes (finding
// every line end is the least any parser of this grammar must do).

#include <benchmark/benchmark.h>

#include <cstring>
#include <memory>
#include <string>

#include "common/inputs.hpp"
#include "protocol/text/request_parser.hpp"

namespace {

using mid::protocol::text::RequestScratch;

const std::string& input(int which) {
  static const std::string kInputs[] = {
      ":version:\n",
      ":get_statistics:\ndialog:\ntm:\n",
      mid::bench::large_request(),
  };
  return kInputs[which];
}

void set_label(benchmark::State& state, const std::string& bytes) {
  static const char* const kNames[] = {"version", "seed_example", "large_64k"};
  state.SetLabel(std::string(kNames[state.range(0)]) + " " + std::to_string(bytes.size()) + "B");
}

void BM_parse_request(benchmark::State& state) {
  const std::string& bytes = input(static_cast<int>(state.range(0)));
  auto scratch = std::make_unique<RequestScratch>();
  for (auto _ : state) {
    auto parsed = mid::protocol::text::parse_request(bytes, *scratch);
    if (!parsed) state.SkipWithError("request did not parse");
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  set_label(state, bytes);
}

// Counts lines with memchr: one pass over the same bytes.
void BM_memchr_baseline(benchmark::State& state) {
  const std::string& bytes = input(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    const char* p = bytes.data();
    const char* const end = p + bytes.size();
    std::size_t lines = 0;
    while (p < end) {
      const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
      if (nl == nullptr) break;
      p = static_cast<const char*>(nl) + 1;
      ++lines;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  set_label(state, bytes);
}

BENCHMARK(BM_parse_request)->DenseRange(0, 2);
BENCHMARK(BM_memchr_baseline)->DenseRange(0, 2);

}  // namespace

BENCHMARK_MAIN();

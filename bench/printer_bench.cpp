// The reply printer against a memcpy of the same number of bytes (the
// least any printer must do is write every byte once); get_statistics in
// text and in JSON.

#include <benchmark/benchmark.h>

#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "common/inputs.hpp"
#include "core/bounded_writer.hpp"
#include "core/limits.hpp"
#include "protocol/jsonrpc/reply_printer.hpp"
#include "protocol/text/reply_printer.hpp"

namespace {

using Buffer = std::array<char, mid::core::kMaxDatagram>;

// 0: a small reply (`version`), 1: thousands of statistic lines, ~64 KiB.
const mid::tree::Tree& tree(std::int64_t which) {
  static const auto kTrees = [] {
    auto trees = std::make_unique<std::array<mid::tree::Tree, 2>>();
    (void)(*trees)[0].add_kid(mid::tree::kRoot, "Server", "mi-datagram 0.1.0");
    mid::bench::fill_large_reply((*trees)[1]);
    return trees;
  }();
  return (*kTrees)[static_cast<std::size_t>(which)];
}

std::size_t printed_size(std::int64_t which) {
  auto out = std::make_unique<Buffer>();
  auto printed = mid::protocol::text::print_reply({200, "OK", &tree(which)}, "\t", *out);
  return printed ? printed.value() : 0;
}

void set_label(benchmark::State& state, std::size_t size) {
  state.SetLabel(std::string(state.range(0) == 0 ? "small" : "large_64k") + " " +
                 std::to_string(size) + "B");
}

void BM_print_reply(benchmark::State& state) {
  const mid::tree::Tree& reply_tree = tree(state.range(0));
  auto out = std::make_unique<Buffer>();
  std::size_t size = 0;
  for (auto _ : state) {
    auto printed = mid::protocol::text::print_reply({200, "OK", &reply_tree}, "\t", *out);
    if (!printed) state.SkipWithError("reply did not print");
    size = printed.value();
    benchmark::DoNotOptimize(out->data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  set_label(state, size);
}

void BM_memcpy_baseline(benchmark::State& state) {
  const std::size_t size = printed_size(state.range(0));
  auto in = std::make_unique<Buffer>();
  auto out = std::make_unique<Buffer>();
  std::memset(in->data(), 'x', in->size());
  for (auto _ : state) {
    benchmark::DoNotOptimize(in->data());
    std::memcpy(out->data(), in->data(), size);
    benchmark::DoNotOptimize(out->data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  set_label(state, size);
}

// get_statistics of ~200 counters as the command builds it (number kids
// of the root), in the 1.x text and in compact JSON: the JSON/text ratio.
const mid::tree::Tree& statistics_tree() {
  static const auto kTree = [] {
    auto tree = std::make_unique<mid::tree::Tree>();
    for (std::size_t i = 0; i < 200; ++i) {
      const std::string name =
          "group_" + std::to_string(i % 16) + ":statistic_" + std::to_string(i);
      (void)tree->add_number(mid::tree::kRoot, *mid::tree::NodeName::make(name),
                             static_cast<std::int64_t>(1'000'000 + i * 7919));
    }
    return tree;
  }();
  return *kTree;
}

void BM_statistics_text(benchmark::State& state) {
  auto out = std::make_unique<Buffer>();
  std::size_t size = 0;
  for (auto _ : state) {
    auto printed = mid::protocol::text::print_reply({200, "OK", &statistics_tree()}, "\t", *out);
    if (!printed) state.SkipWithError("reply did not print");
    size = printed.value();
    benchmark::DoNotOptimize(out->data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  state.SetLabel(std::to_string(size) + "B");
}

void BM_statistics_json(benchmark::State& state) {
  auto out = std::make_unique<Buffer>();
  mid::protocol::jsonrpc::ReplyPrinter printer;
  std::size_t size = 0;
  for (auto _ : state) {
    mid::core::BoundedWriter writer(*out);
    printer.put_result(writer, statistics_tree(), "OK", "\"4711\"", {});
    if (writer.failed()) state.SkipWithError("reply did not print");
    size = writer.size();
    benchmark::DoNotOptimize(out->data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(size));
  state.SetLabel(std::to_string(size) + "B");
}

BENCHMARK(BM_print_reply)->DenseRange(0, 1);
BENCHMARK(BM_statistics_text);
BENCHMARK(BM_statistics_json);
BENCHMARK(BM_memcpy_baseline)->DenseRange(0, 1);

}  // namespace

BENCHMARK_MAIN();

// The replay main: runs every file given on the command line (a directory
// means every regular file under it, in name order, skipping dot files)
// through the harness it is linked with; with no arguments, reads one
// input from stdin. For ctest, gdb and valgrind, and the build that has no
// fuzzing engine. A broken invariant aborts inside the harness. With
// MID_FUZZ_REPORT_TIME set, prints each input's wall time (how the time
// bound in fuzz/README.md was chosen).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "common/harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

int run_bytes(const std::string& bytes) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

bool run_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "replay: cannot read " << path << '\n';
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto start = std::chrono::steady_clock::now();
  const auto start_cpu = mid::fuzz::thread_cpu_time();
  run_bytes(bytes);
  if (std::getenv("MID_FUZZ_REPORT_TIME") != nullptr) {
    using std::chrono::duration_cast;
    using std::chrono::microseconds;
    const auto wall = duration_cast<microseconds>(std::chrono::steady_clock::now() - start);
    const auto cpu = duration_cast<microseconds>(mid::fuzz::thread_cpu_time() - start_cpu);
    std::cout << path.string() << ": " << bytes.size() << " bytes, " << wall.count() << " us wall, "
              << cpu.count() << " us cpu\n";
  }
  return true;
}

bool collect(const fs::path& path, std::vector<fs::path>& files) {
  std::error_code error;
  if (fs::is_directory(path, error)) {
    for (const auto& entry : fs::recursive_directory_iterator(path, error)) {
      if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
        files.push_back(entry.path());
      }
    }
    return !error;
  }
  if (!fs::is_regular_file(path, error)) {
    std::cerr << "replay: no such file or directory: " << path << '\n';
    return false;
  }
  files.push_back(path);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    const std::string bytes((std::istreambuf_iterator<char>(std::cin)),
                            std::istreambuf_iterator<char>());
    run_bytes(bytes);
    std::cout << "replay: 1 input from stdin\n";
    return 0;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (!collect(argv[i], files)) return 2;
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    if (!run_file(file)) return 2;
  }
  std::cout << "replay: " << files.size() << " inputs, all invariants held\n";
  return 0;
}

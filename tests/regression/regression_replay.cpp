// regression_replay DIR — replays every .wasm file of DIR (tests/regression)
// through the fuzzers' execution path (1,000,000 gas per call, then 10^8 for
// the differential check against wabt). A crash fails the test by ending
// the process; a difference between Ward and wabt fails it by exit code.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "diff.h"
#include "harness.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: regression_replay DIR\n");
    return 2;
  }
  std::vector<fs::path> files;
  for (const fs::directory_entry& e : fs::directory_iterator(argv[1])) {
    if (e.is_regular_file() && e.path().extension() == ".wasm") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  const ward::runtime::Limits limits = ward::fuzz::fuzz_limits();
  int failures = 0;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::printf("%s: ", p.filename().c_str());
    std::fflush(stdout);
    const ward::fuzz::RunOutcome run = ward::fuzz::run_module(bytes, limits, {});
    const ward::fuzz::DiffResult diff = ward::fuzz::diff_module(bytes, {});
    std::printf("ran (%zu export calls), differential %s%s%s\n", run.calls.size(), ward::fuzz::to_string(diff.kind),
                diff.detail.empty() ? "" : ": ", diff.detail.c_str());
    if (diff.kind == ward::fuzz::DiffResult::Kind::Different) ++failures;
  }
  std::printf("regression: %zu files, %d failed\n", files.size(), failures);
  return failures == 0 ? 0 : 1;
}

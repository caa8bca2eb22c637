// ward/build/process.h — running the toolchain: find a program on PATH and run
// it with an argument vector (posix_spawn, no shell), capturing its output.
// Thread-safety: the functions are reentrant.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ward::build {

/// What a finished child process left behind.
struct ProcessOutput {
  int exit_code = -1;       ///< exit status; 128 + signal when killed by a signal
  std::string out;          ///< everything it wrote to stdout
  std::string err;          ///< everything it wrote to stderr
};

/// The full path of the first executable `name` in the directories of PATH
/// (or `name` itself when it contains a '/' and is executable); empty when
/// there is none.
std::optional<std::string> find_program(std::string_view name);

/// Runs `argv[0]` (a path) with `argv`, stdin from /dev/null, and waits for
/// it. `env` ("NAME=value" entries) replaces the environment when given;
/// otherwise the child inherits this process's. An error only when the
/// process could not be started; a non-zero exit is reported in
/// ProcessOutput::exit_code.
Result<ProcessOutput> run_process(const std::vector<std::string>& argv,
                                  const std::optional<std::vector<std::string>>& env = std::nullopt);

}  // namespace ward::build

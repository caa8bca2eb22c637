// ward/build/build_detail.h — helpers the front ends share (build.cpp
// defines them): file I/O, running tools, progress, the ABI-lines model
// reader. Internal to ward_build.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "build/build.h"
#include "build/process.h"
#include "util/result.h"

namespace ward::build::detail {

/// The file's bytes; errors name the path (missing, not a file, over `limit` bytes).
Result<std::string> read_file(const std::string& path, size_t limit);
/// Writes `data` to `path` through a temporary file and a rename.
Result<void> write_file(const std::string& path, std::string_view data);
/// The environment tools run with: LC_ALL=C and PATH, TMPDIR, HOME.
std::vector<std::string> tool_env();
/// Calls options.progress with `step` when set.
void report(const BuildOptions& o, std::string_view step);
/// The contract model from ABI entries, one JSON object a line (name,
/// params, returns, readonly, payable); `what` names the source in errors.
Result<ContractModel> model_from_abi_lines(const std::string& text, std::string_view what);
/// The Go front end (frontend_go.cpp).
std::unique_ptr<Frontend> make_go_frontend();

}  // namespace ward::build::detail

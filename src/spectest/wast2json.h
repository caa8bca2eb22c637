// ward/spectest/wast2json.h — converting a .wast script to JSON plus module
// files with wabt's `wast2json` tool, run as a child process (no shell), in
// a temporary folder.
// Thread-safety: none needed; each call works in its own folder.
#pragma once

#include <string>

#include "util/result.h"

namespace ward::spectest {

/// A fresh temporary folder (mkdtemp under the system's temp directory),
/// removed with everything in it when the object is destroyed, or by
/// remove_live_temp_dirs() when the process is stopped by a signal.
class TempDir {
 public:
  /// Creates the folder; Error naming the reason when mkdtemp fails.
  static Result<TempDir> create();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  /// The folder's path, without a trailing slash.
  const std::string& path() const { return m_path; }

 private:
  explicit TempDir(std::string path) : m_path(std::move(path)) {}
  std::string m_path;
};

/// Removes every TempDir alive in this process (for a signal-handling
/// thread about to end the process: `ward spec-test` on SIGINT/SIGTERM).
/// Thread-safe; the TempDir objects then find their folders gone.
void remove_live_temp_dirs();

/// Runs `tool --enable-all wast -o json` (tool looked up in PATH unless it
/// contains a slash); the module files land next to `json`. The tool's
/// output goes to `json` + ".log". Error (with the start of that log) when
/// the tool cannot start, exits non-zero or dies from a signal.
Result<void> run_wast2json(const std::string& tool, const std::string& wast, const std::string& json);

/// Repairs a known defect of wast2json 1.0.32: for a bare `(invoke ...)` of
/// a function with several results it writes the expected types without
/// commas (`"expected": [{"type": "i32"}{"type": "i64"}]`), which is not
/// JSON. Inserts ", " between a `}` and a following `{` outside strings (no
/// valid JSON has that pair) and returns how many were inserted. Linear,
/// no recursion; text that is valid JSON comes back unchanged with 0.
size_t repair_wast2json_output(std::string& text);

}  // namespace ward::spectest

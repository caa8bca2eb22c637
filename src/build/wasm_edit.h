// ward/build/wasm_edit.h — the two rewrites of a module the Go front end and
// the shared finish step of `ward build` need (docs/languages.md): exports
// that alias one function (a Go command's `_start`, one export per method),
// and merging data segments (Go's linker emits tens of thousands, split at
// runs of zeros; the deploy limit max_data_segments is 16,384).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "util/result.h"

namespace ward::build {

/// Replaces the function export `from` (e.g. "_start") by one export per
/// name in `names`, each of the same function; other exports are kept.
/// Errors: malformed sections (with the byte offset), no function export
/// `from`, a name already exported.
Result<std::string> alias_export(std::span<const uint8_t> bytes, const std::string& from,
                                 const std::vector<std::string>& names);

/// Number of segments in the data section (0 without one).
Result<size_t> count_data_segments(std::span<const uint8_t> bytes);

/// When the module has more than `max_segments` data segments, merges
/// neighbouring active segments of memory 0 (offsets `i32.const`) across the
/// smallest gaps, filling each gap with zeros, until at most `max_segments`
/// remain; the DataCount section follows. The memory's initial contents are
/// unchanged. Modules at or under the limit, or whose segments are passive,
/// overlap or use other offsets, come back unchanged. Deterministic: the
/// same bytes give the same result.
Result<std::string> merge_data_segments(std::span<const uint8_t> bytes, size_t max_segments);

}  // namespace ward::build

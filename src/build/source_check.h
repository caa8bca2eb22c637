// ward/build/source_check.h — the checks `ward build` runs on a contract's
// source before compiling it: size, and which headers it may include.
// A contract is one file; it includes the SDK (<ward/...>) and a small list of
// freestanding-friendly standard headers. Headers for threads, files, streams,
// clocks and randomness are rejected with the reason and the line.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ward::build {

/// Largest contract source accepted, in bytes.
inline constexpr size_t k_max_source_bytes = 1024 * 1024;

/// One preprocessor directive of a source, comments removed.
struct Directive {
  size_t line = 0;   ///< 1-based line of the '#'
  std::string text;  ///< what follows the '#', e.g. "include <string>"
};

/// The preprocessor directives of `source`, skipping comments and string,
/// character and raw-string literals.
std::vector<Directive> scan_directives(std::string_view source);

/// True when <header> is on the allow-list (SDK headers are always allowed).
bool is_allowed_header(std::string_view header);

/// The standard headers a contract may include, sorted.
const std::vector<std::string_view>& allowed_headers();

/// Checks a contract source: its size, and every #include. The error reads
/// "FILE:LINE: <what is wrong>". `file_name` is used only in messages.
Result<void> check_source(std::string_view source, std::string_view file_name);

}  // namespace ward::build

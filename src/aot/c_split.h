// ward/aot/c_split.h — splits wasm2c's single C file (after c_patch) into a
// shared header, a main unit and several parts holding the function
// definitions, so that large modules compile as several translation units
// (compile time stays roughly linear in module size, and the parts compile
// in parallel).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ward::aot {

/// Default threshold: modules whose function definitions take more bytes of
/// C than this are split.
inline constexpr uint64_t kDefaultSplitBytes = 256 * 1024;
/// Target size (bytes of function definitions) of one part.
inline constexpr uint64_t kSplitPartBytes = 256 * 1024;
/// At most this many parts.
inline constexpr size_t kMaxSplitParts = 64;

/// The split C of one module. Every file includes "m_shared.h" (the prelude
/// of wasm2c's output plus declarations of every function, the function type
/// ids and the segment data, all with hidden visibility); `main` replaces
/// m.c (included by the glue), each part is compiled on its own with
/// WARD_AOT_PART defined.
struct SplitC {
  std::string shared_header;       ///< m_shared.h
  std::string main;                ///< m.c
  std::vector<std::string> parts;  ///< part<i>.c
};

/// Bytes of function definitions in the patched wasm2c output `c`.
uint64_t function_bytes(const std::string& c);

/// Splits `c` when its function definitions take more than `threshold`
/// bytes; nullopt when it is small, has no function, or has a shape the
/// splitter does not know (the caller then compiles the single file).
std::optional<SplitC> split_c(const std::string& c, uint64_t threshold);

/// The threshold in effect: `option` when non-zero, else
/// $WARD_AOT_SPLIT_BYTES when set, else kDefaultSplitBytes.
uint64_t split_threshold(uint64_t option);

}  // namespace ward::aot

// ward/build/wasm_interface.h — a tiny linear reader of a wasm binary's
// interface: its function types, imports and exports. Enough for `ward build`
// to list a contract's methods and check its imports; the wasm layer does the
// real decoding and validation at deploy.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ward::build {

/// A function signature, value types as their binary codes (0x7f = i32, ...).
struct FuncSig {
  std::vector<uint8_t> params;
  std::vector<uint8_t> results;
};

/// One import. `kind`: 0 func, 1 table, 2 memory, 3 global (binary codes).
struct InterfaceImport {
  std::string module;
  std::string name;
  uint8_t kind = 0;
  uint32_t type_index = 0;  ///< functions only
};

/// One export. `kind` as for imports; `index` in that kind's index space.
struct InterfaceExport {
  std::string name;
  uint8_t kind = 0;
  uint32_t index = 0;
};

/// What a module imports and exports.
struct ModuleInterface {
  std::vector<FuncSig> types;
  std::vector<InterfaceImport> imports;
  std::vector<uint32_t> func_types;  ///< type index of every function, imports first
  std::vector<InterfaceExport> exports;

  /// The signature of function `func_index`, or nullptr when out of range.
  const FuncSig* func_sig(uint32_t func_index) const;
};

/// Reads the type, import, function and export sections of `bytes`.
/// Errors name the section and byte offset.
Result<ModuleInterface> read_module_interface(std::span<const uint8_t> bytes);

/// "(i32, i32) -> i64" for a signature.
std::string sig_to_string(const FuncSig& sig);

}  // namespace ward::build

namespace ward::build {

/// A linked module split for `ward build`: the bytes of custom section
/// `section` (all sections of that name, concatenated) and the module
/// without them and without the linker's global exports `__data_end` and
/// `__heap_base` (which a contract may not export).
struct SplitModule {
  std::string module;   ///< the module bytes to optimise and check
  std::string section;  ///< the removed custom sections' contents
  bool found = false;   ///< at least one section of that name was present
};

/// Splits `bytes` (see SplitModule). Errors name the byte offset of a
/// malformed section header or export entry.
Result<SplitModule> split_custom_section(std::span<const uint8_t> bytes, std::string_view section);

}  // namespace ward::build

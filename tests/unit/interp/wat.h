// Test helper: builds a module from WebAssembly text with wabt's wat2wasm.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ward::test {

/// Converts WAT text to a binary module by running `wat2wasm`; empty on failure.
std::vector<uint8_t> wat_to_wasm(const std::string& wat);

}  // namespace ward::test

// Hostile module shapes that the text format cannot express or that are too
// big to keep as text: built as bytes.
#pragma once

#include <cstdint>
#include <string>

#include "harness.h"

namespace ward::adversarial::gen {

/// A contract exporting "memory" (1 page) and "run" (() -> ()) whose body is
/// `locals` (the encoded local declarations, including their count) followed
/// by `code` (instructions, without the final `end`).
Bytes contract(const Bytes& locals, const Bytes& code);
/// `depth` nested `block`s around nothing.
Bytes nested_blocks(uint32_t depth);
/// A function declaring `n` i64 locals.
Bytes many_locals(uint32_t n);
/// A function of about `bytes` bytes of nops.
Bytes big_function(uint32_t bytes);
/// A `run` with `n` i64 locals that calls itself forever.
Bytes fat_recursion(uint32_t n);
/// A br_table with `targets` entries (plus the default), optionally in a loop.
Bytes big_br_table(uint32_t targets, bool loop);
/// `n` defined functions of type () -> ().
Bytes many_functions(uint32_t n);
/// `n` immutable i32 globals.
Bytes many_globals(uint32_t n);
/// `n` function imports of ward_v1.sender.
Bytes many_imports(uint32_t n);
/// `n` exports of the same function under distinct names.
Bytes many_exports(uint32_t n);
/// `n` tables of 1 element.
Bytes many_tables(uint32_t n);
/// A module bigger than `bytes`, made of one data segment.
Bytes big_data(uint32_t bytes);
/// A valid contract cut to its first `keep` bytes.
Bytes truncated(uint32_t keep);
/// Two exports named "run".
Bytes duplicate_exports();
/// Not a wasm binary.
Bytes bad_magic();
/// A section whose size runs past the end of the module.
Bytes section_size_lie();
/// A data segment whose length runs past the end of the module.
Bytes data_length_lie();
/// A function count written as an over-long LEB128.
Bytes leb_overflow();
/// A function type with a v128 parameter (SIMD is not enabled).
Bytes simd_type();
/// A valid contract preceded by `n` custom sections (parser stress).
Bytes many_custom_sections(uint32_t n);

}  // namespace ward::adversarial::gen

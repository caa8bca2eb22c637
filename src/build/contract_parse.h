// ward/build/contract_parse.h — reads a contract's C++ source with libclang
// and finds what `ward build` generates dispatch code for: the functions
// marked WARD_EXPORT / WARD_VIEW (their parameter names and types, return
// type, read-only flag), the raw WARD_METHOD methods, and every struct used
// in a parameter or result (its fields). It also rejects what a contract may
// not contain: `throw`/`try` (exceptions may not escape a method) and
// `thread_local` (contracts are single-threaded).
// Thread-safety: parse_contract() may run concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "build/contract_model.h"
#include "util/result.h"

namespace ward::build {

/// How to parse: the same flags as the wasm compile.
struct ParseOptions {
  std::string source;                 ///< the .cpp file
  std::vector<std::string> args;      ///< compiler flags (no -c/-o, no source)
  std::string display_name;           ///< the file name used in messages (default: source)
};

/// Parses the contract and extracts its methods and structs. Errors:
/// compiler errors (formatted as clang prints them, with
/// `has_compile_errors`), or a rule the source breaks ("FILE:LINE: ...").
struct ParseError {
  std::string message;              ///< what is wrong
  bool has_compile_errors = false;  ///< the source does not compile
};

/// The outcome of parse_contract.
struct ParseResult {
  ContractModel model;    ///< when ok
  bool ok = false;        ///< parsed and every rule holds
  ParseError error;       ///< when !ok
};

/// Parses `options.source` with libclang.
ParseResult parse_contract(const ParseOptions& options);

}  // namespace ward::build

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

#include "util/result.h"

namespace ward::build {

/// One parameter of a method.
struct ParamInfo {
  std::string name;  ///< as declared
  std::string type;  ///< ABI type: "u64", "string", "address", "bytes", "object_id", "hash", "bool", "T[]", "T?", a struct name
};

/// One public method.
struct MethodInfo {
  std::string name;               ///< the export name: the function's name
  std::string cpp_name;           ///< the qualified C++ name to call, e.g. "::Transfer"
  std::vector<ParamInfo> params;  ///< in declaration order
  std::string returns = "void";   ///< ABI type of the result; "void" for none
  bool read_only = false;         ///< WARD_VIEW
  bool payable = false;           ///< WARD_PAYABLE (raw methods: true, they see the value themselves)
  bool raw = false;               ///< WARD_METHOD: reads its own arguments, no typed signature
  size_t line = 0;                ///< where it is declared
};

/// A struct used by a method's parameters or result.
struct StructInfo {
  std::string name;                ///< ABI name: the qualified name without a leading "::"
  std::string cpp_name;            ///< the C++ name, e.g. "::shop::Order"
  std::vector<ParamInfo> fields;   ///< public fields, in declaration order
};

/// What a contract exports.
struct ContractModel {
  std::vector<MethodInfo> methods;  ///< typed methods first (source order), then raw ones
  std::vector<StructInfo> structs;  ///< in the order first used
};

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

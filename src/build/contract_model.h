// ward/build/contract_model.h — what a contract exports, as every `ward build`
// front end reports it (C++ via libclang, Rust and AssemblyScript from the ABI
// entries their SDKs write): the methods with their typed signatures and the
// structs they use. abi_json() (build.h) writes it as the ABI file.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

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

}  // namespace ward::build

// ward/build/dispatch_gen.h — the C++ that `ward build` compiles in place of
// a contract's source: the source itself (under #line, so that messages
// point at the contract's own lines), then a Codec for every struct the
// methods use, and for every typed method an exported wrapper
// `ward_dispatch_<Name>` that decodes the JSON arguments by name or position
// into the typed parameters, calls the method and writes its result as JSON.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "build/contract_model.h"

namespace ward::build {

/// The dispatch code for `model` (without the contract's source).
std::string generate_dispatch(const ContractModel& model);

/// The file to compile: `source` under `#line 1 "<source_name>"`, then the
/// dispatch code under `#line 1 "<dispatch_name>"`.
std::string generate_unit(std::string_view source, std::string_view source_name, const ContractModel& model,
                          std::string_view dispatch_name);

}  // namespace ward::build

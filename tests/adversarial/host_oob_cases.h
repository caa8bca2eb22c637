// Out-of-bounds pointer cases of the adversarial suite: for every host
// function, which of its parameters are pointers (host_pointer_params), and
// one case per pointer parameter that hands it an out-of-bounds range
// (host_oob_cases). host_oob_test.cpp checks that the two lists cover the
// host table and docs/host-abi.md, so a new host function cannot go without
// a case; adversarial_test.cpp runs the cases.
#pragma once

#include <string>
#include <vector>

namespace ward::adversarial {

/// The pointer parameters of one host function, named as in docs/host-abi.md
/// (empty: the function takes no pointer).
struct PointerParams {
  std::string module;
  std::string function;
  std::vector<std::string> pointers;
};

/// Every host function of the table, ward_v1 then WASI.
const std::vector<PointerParams>& host_pointer_params();

/// One call handing out-of-bounds pointers to a host function.
struct OobCase {
  std::string name;                 ///< test name
  std::string wat;                  ///< cases/<wat>.wat
  std::string method;               ///< export to call
  std::string function;             ///< host function
  std::vector<std::string> params;  ///< pointer parameters given out of bounds
  /// True: the call traps with `error` (the host's bounds-check message).
  /// False: the function never touches memory for these arguments (it answers
  /// with a WASI errno) and the call ends ok.
  bool traps = true;
  std::string error;
};

/// Every out-of-bounds case.
const std::vector<OobCase>& host_oob_cases();

}  // namespace ward::adversarial

// ward/spectest/values.h — values of the spec testsuite's JSON scripts (as
// written by wast2json): parsing arguments and expected results, and
// comparing a result with its expectation bit for bit (spec 4.2.1, and the
// script format of the testsuite's interpreter/README).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/value.h"
#include "util/result.h"
#include "wasm/types.h"

namespace ward::spectest {

/// What an expected value accepts.
enum class Match : uint8_t {
  Exact,          ///< the same bits
  NanCanonical,   ///< a canonical NaN of the type, either sign
  NanArithmetic,  ///< any NaN with the quiet bit set, either sign
  AnyNonNull,     ///< funcref: any non-null reference (functions have no script-visible identity)
};

/// One typed value of a script: an argument or an expected result.
struct SpecValue {
  wasm::ValType type = wasm::ValType::I32;
  uint64_t bits = 0;
  Match match = Match::Exact;
};

/// The runtime token of `externref N` of a script: N + 1, so that token 0
/// stays the null reference while `ref.extern 0` is not null.
constexpr uint64_t extern_token(uint64_t n) { return n + 1; }

/// Parses a value type name of the JSON format ("i32", "f64", "externref", ...).
Result<wasm::ValType> parse_type(std::string_view name);

/// Parses one value: `type` as in parse_type, `text` the JSON "value" string
/// (decimal unsigned integer; float values as their bit pattern; refs "null"
/// or a decimal number). With `expected`, also accepts "nan:canonical" and
/// "nan:arithmetic" (floats) and a non-null funcref (AnyNonNull). v128 is an
/// error (the caller skips such commands).
Result<SpecValue> parse_value(std::string_view type, std::string_view text, bool expected);

/// True when `actual` (a result of the expected value's type) satisfies `expected`.
bool matches(const SpecValue& expected, runtime::Value actual);

/// "i32:42", "f32:0x7fc00000", "f64:nan:canonical", "externref:null" — for failure reports.
std::string describe(const SpecValue& value);

/// Describes an actual result of type `type` the way describe() does.
std::string describe(wasm::ValType type, runtime::Value value);

}  // namespace ward::spectest

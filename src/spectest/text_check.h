// ward/spectest/text_check.h — checks that a text-format module of an
// `assert_malformed` command is rejected.
// Thread-safety: pure function.
#pragma once

#include <span>
#include <cstdint>
#include <string>

namespace ward::spectest {

/// Outcome of checking a text module.
struct TextCheck {
  bool rejected = false;  ///< true when parsing, name resolution or validation failed
  std::string first_error;  ///< the first error reported, when rejected
};

/// Parses `text` (a module in the text format, with or without the
/// `(module ...)` wrapper, as wast2json writes quoted modules), resolves its
/// names and validates it with libwabt's text front end.
TextCheck check_text_module(std::span<const uint8_t> text);

}  // namespace ward::spectest

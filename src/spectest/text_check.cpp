// Text-format rejection check for `assert_malformed` commands whose module
// is given as text.
//
// Why this uses libwabt directly: Ward consumes only binary modules (the
// wasm layer never parses text), so the testsuite's malformed-text cases
// say nothing about Ward itself. They are still run, against libwabt's text
// front end (the same one wast2json uses), so that the counts cover the
// whole suite and a wast2json/libwabt mismatch would show. This file is the
// only place outside src/wasm that uses libwabt, and only for this purpose.
#include "spectest/text_check.h"

#include <memory>

#include <wabt/common.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/ir.h>
#include <wabt/resolve-names.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

namespace ward::spectest {

namespace {

TextCheck rejected(const wabt::Errors& errors) {
  TextCheck r;
  r.rejected = true;
  r.first_error = errors.empty() ? "rejected" : errors.front().message;
  return r;
}

}  // namespace

TextCheck check_text_module(std::span<const uint8_t> text) {
  wabt::Errors errors;
  wabt::Features features;  // libwabt's defaults: the WebAssembly 2.0 feature set
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer("module.wat", text.data(), text.size(), &errors);
  wabt::WastParseOptions parse_options(features);
  std::unique_ptr<wabt::Module> module;
  if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options))) return rejected(errors);
  if (wabt::Failed(wabt::ResolveNamesModule(module.get(), &errors))) return rejected(errors);
  wabt::ValidateOptions validate_options(features);
  if (wabt::Failed(wabt::ValidateModule(module.get(), &errors, validate_options))) return rejected(errors);
  return TextCheck{};
}

}  // namespace ward::spectest

// Runs a module on wabt's interpreter (see wabt_runner.h).
#include "wabt_runner.h"

#include <cstring>

#include <wabt/binary-reader.h>
#include <wabt/error.h>
#include <wabt/feature.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

namespace ward::fuzz {

namespace wi = wabt::interp;

namespace {

/// The feature set Ward accepts: WebAssembly 2.0 without SIMD and threads.
wabt::Features ward_features() {
  wabt::Features f;
  f.enable_mutable_globals();
  f.enable_sat_float_to_int();
  f.enable_sign_extension();
  f.enable_multi_value();
  f.enable_bulk_memory();
  f.enable_reference_types();
  f.disable_simd();
  f.disable_threads();
  f.disable_exceptions();
  f.disable_tail_call();
  return f;
}

/// The binary value-type byte of t.
uint8_t type_byte(wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return 0x7F;
    case wabt::Type::I64: return 0x7E;
    case wabt::Type::F32: return 0x7D;
    case wabt::Type::F64: return 0x7C;
    case wabt::Type::ExternRef: return 0x6F;
    default: return 0x70;
  }
}

template <class To, class From>
To bits_of(From v) {
  static_assert(sizeof(To) == sizeof(From));
  To out;
  std::memcpy(&out, &v, sizeof out);
  return out;
}

/// A value's bits as runtime::Value would hold them; references collapse to null / non-null.
uint64_t to_bits(const wi::Value& v, wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return v.Get<uint32_t>();
    case wabt::Type::I64: return v.Get<uint64_t>();
    case wabt::Type::F32: return bits_of<uint32_t>(v.Get<float>());
    case wabt::Type::F64: return bits_of<uint64_t>(v.Get<double>());
    default: return v.Get<wi::Ref>() == wi::Ref::Null ? 0 : 1;
  }
}

/// A zero of type t (null for references).
wi::Value zero_of(wabt::Type t) {
  switch (t) {
    case wabt::Type::I32: return wi::Value::Make(uint32_t{0});
    case wabt::Type::I64: return wi::Value::Make(uint64_t{0});
    case wabt::Type::F32: return wi::Value::Make(0.0f);
    case wabt::Type::F64: return wi::Value::Make(0.0);
    default: return wi::Value::Make(wi::Ref::Null);
  }
}

}  // namespace

bool is_wabt_exhaustion(const std::string& trap_message) {
  return trap_message.find("exhausted") != std::string::npos;
}

WabtOutcome run_wabt(const uint8_t* data, size_t size, size_t max_calls, bool instantiate) {
  WabtOutcome out;
  const wabt::Features features = ward_features();
  wabt::Errors errors;
  wi::ModuleDesc desc;
  const wabt::ReadBinaryOptions options(features, nullptr, false, true, false);
  if (wabt::Failed(wi::ReadBinaryInterp("fuzz.wasm", data, size, options, &errors, &desc))) {
    out.message = errors.empty() ? "wabt: load failed" : "wabt: " + errors.front().message;
    return out;
  }
  out.loaded = true;

  wi::Store store(features);
  wi::Module::Ptr module = wi::Module::New(store, std::move(desc));
  wi::RefVec imports;
  for (uint32_t i = 0; i < module->import_types().size(); ++i) {
    const wi::ImportType& imp = module->import_types()[i];
    const auto* ft = wabt::dyn_cast<wi::FuncType>(imp.type.get());
    if (ft == nullptr) {
      out.message = "wabt: only function imports are provided";
      return out;
    }
    std::vector<WabtImportCall>* log = &out.log;
    wi::HostFunc::Ptr f = wi::HostFunc::New(
        store, *ft,
        [log, i, ft = *ft](wi::Thread&, const wi::Values& params, wi::Values& results, wi::Trap::Ptr*) -> wabt::Result {
          WabtImportCall c;
          c.import_index = i;
          for (size_t k = 0; k < ft.params.size() && k < params.size(); ++k) {
            c.types.push_back(type_byte(ft.params[k]));
            c.args.push_back(to_bits(params[k], ft.params[k]));
          }
          log->push_back(std::move(c));
          for (size_t k = 0; k < ft.results.size() && k < results.size(); ++k) results[k] = zero_of(ft.results[k]);
          return wabt::Result::Ok;
        });
    imports.push_back(f.ref());
  }
  out.linked = true;
  if (!instantiate) return out;

  wi::Trap::Ptr trap;
  wi::Instance::Ptr inst = wi::Instance::Instantiate(store, module.ref(), imports, &trap);
  if (!inst) {
    out.start_trapped = true;
    out.message = trap ? trap->message() : "wabt: instantiation failed";
    return out;
  }
  out.instantiated = true;

  const std::vector<wi::ExportType>& types = module->export_types();
  for (size_t i = 0; i < types.size() && out.calls.size() < max_calls; ++i) {
    const auto* ft = wabt::dyn_cast<wi::FuncType>(types[i].type.get());
    if (ft == nullptr) continue;
    wi::Func::Ptr func = store.UnsafeGet<wi::Func>(inst->exports()[i]);
    WabtCall call;
    call.name = types[i].name;
    call.log_before = out.log.size();
    wi::Values params;
    for (wabt::Type t : ft->params) params.push_back(zero_of(t));
    wi::Values results;
    wi::Trap::Ptr call_trap;
    if (wabt::Failed(func->Call(store, params, results, &call_trap))) {
      call.trapped = true;
      call.trap_message = call_trap ? call_trap->message() : "wabt: call failed";
    } else {
      for (size_t k = 0; k < ft->results.size() && k < results.size(); ++k) {
        call.results.push_back(to_bits(results[k], ft->results[k]));
      }
    }
    out.calls.push_back(std::move(call));
  }
  return out;
}

}  // namespace ward::fuzz

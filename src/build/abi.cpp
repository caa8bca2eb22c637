// ward/build/abi.cpp — the ABI file and the interface checks of build.h.
#include <algorithm>
#include <string_view>

#include "build/build.h"

namespace ward::build {
namespace {

// The functions of host ABI v1 and its WASI subset, with their signatures
// (generated from src/host/abi_v1.def by scripts/gen-host-abi).
struct HostFunc {
  std::string_view module;
  std::string_view name;
  std::string_view sig;  ///< as sig_to_string() writes it
};
constexpr HostFunc k_host_functions[] = {
#define WARD_HOST_FUNC(module, name, sig) {module, name, sig},
#include "build/abi_v1.inc"
#undef WARD_HOST_FUNC
};

const HostFunc* find_host_func(std::string_view module, std::string_view name) {
  for (const HostFunc& f : k_host_functions) {
    if (f.module == module && f.name == name) return &f;
  }
  return nullptr;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += k_hex[c >> 4];
      out += k_hex[c & 0xf];
    } else {
      out += ch;
    }
  }
  out += '"';
}

}  // namespace

std::string abi_path_for(std::string_view output) {
  std::string out(output);
  if (out.size() > 5 && out.ends_with(".wasm")) out.resize(out.size() - 5);
  return out + ".abi.json";
}

namespace {

void append_params(std::string& out, const std::vector<ParamInfo>& params) {
  out += '[';
  for (size_t i = 0; i < params.size(); ++i) {
    out += i ? ", {\"name\": " : "{\"name\": ";
    append_json_string(out, params[i].name);
    out += ", \"type\": ";
    append_json_string(out, params[i].type);
    out += '}';
  }
  out += ']';
}

}  // namespace

std::string abi_json(const ContractModel& model) {
  std::string out = "{\n  \"abi_version\": 1,\n  \"methods\": [";
  for (size_t i = 0; i < model.methods.size(); ++i) {
    const MethodInfo& m = model.methods[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"name\": ";
    append_json_string(out, m.name);
    if (m.raw) {
      out += ", \"raw\": true";
    } else {
      out += ", \"params\": ";
      append_params(out, m.params);
      out += ", \"returns\": ";
      if (m.returns == "void") {
        out += "null";
      } else {
        append_json_string(out, m.returns);
      }
    }
    out += m.read_only ? ", \"readonly\": true" : ", \"readonly\": false";
    out += m.payable || m.raw ? ", \"payable\": true}" : ", \"payable\": false}";
  }
  out += model.methods.empty() ? "],\n" : "\n  ],\n";
  out += "  \"types\": [";
  for (size_t i = 0; i < model.structs.size(); ++i) {
    out += i ? ",\n    " : "\n    ";
    out += "{\"name\": ";
    append_json_string(out, model.structs[i].name);
    out += ", \"fields\": ";
    append_params(out, model.structs[i].fields);
    out += '}';
  }
  out += model.structs.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

std::string method_signature(const MethodInfo& m) {
  if (m.raw) return m.name + "(raw JSON)";
  std::string out = m.name + "(";
  for (size_t i = 0; i < m.params.size(); ++i) out += (i ? ", " : "") + m.params[i].name + ": " + m.params[i].type;
  out += ")";
  if (m.returns != "void") out += " -> " + m.returns;
  if (m.read_only) out += "  [view]";
  if (m.payable && !m.raw) out += "  [payable]";
  return out;
}

Result<std::vector<std::string>> check_interface(const ModuleInterface& module) {
  for (const InterfaceImport& imp : module.imports) {
    std::string full = imp.module + "." + imp.name;
    if (imp.kind != 0) {
      return make_error("the module imports " + full +
                        ", which is not a function; a contract imports only host functions (docs/host-abi.md)");
    }
    const HostFunc* f = find_host_func(imp.module, imp.name);
    if (!f) {
      return make_error("the module imports " + full +
                        ", which is not part of host ABI v1 or its WASI subset (docs/host-abi.md)");
    }
    // The WASI functions' types are left to the deploy policy, as before.
    if (imp.module != "ward_v1") continue;
    const FuncSig* sig = imp.type_index < module.types.size() ? &module.types[imp.type_index] : nullptr;
    if (!sig) return make_error("the module imports " + full + " with a type index that does not exist");
    if (sig_to_string(*sig) != f->sig) {
      return make_error("the module imports " + full + " with type " + sig_to_string(*sig) + "; host ABI v1 has " +
                        std::string(f->sig));
    }
  }
  std::vector<std::string> methods;
  bool has_memory = false;
  for (const InterfaceExport& ex : module.exports) {
    if (ex.kind == 2 && ex.name == "memory") {
      has_memory = true;
      continue;
    }
    if (ex.kind != 0) {
      return make_error("the module exports \"" + ex.name +
                        "\", which is not a function; a contract exports its methods and \"memory\"");
    }
    const FuncSig* sig = module.func_sig(ex.index);
    if (!sig) return make_error("export \"" + ex.name + "\" names a function that does not exist");
    if (!sig->params.empty() || !sig->results.empty()) {
      return make_error("export \"" + ex.name + "\" has type " + sig_to_string(*sig) +
                        "; a method takes no wasm parameters and returns nothing: mark a function "
                        "with WARD_EXPORT and let `ward build` generate its dispatch");
    }
    if (ex.name != "_initialize") methods.push_back(ex.name);
  }
  if (!has_memory) return make_error("the module does not export its memory as \"memory\"");
  if (methods.empty()) {
    return make_error("the contract exports no methods; mark a function with WARD_EXPORT");
  }
  return methods;
}

}  // namespace ward::build

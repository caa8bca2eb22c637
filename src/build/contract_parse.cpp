// ward/build/contract_parse.cpp — see contract_parse.h.
#include "build/contract_parse.h"

#include <clang-c/Index.h>

#include <map>
#include <memory>
#include <set>
#include <string_view>

namespace ward::build {
namespace {

/// A CXString as std::string (and disposed).
std::string take(CXString s) {
  const char* c = clang_getCString(s);
  std::string out = c ? c : "";
  clang_disposeString(s);
  return out;
}

std::string spelling(CXCursor c) { return take(clang_getCursorSpelling(c)); }
std::string type_spelling(CXType t) { return take(clang_getTypeSpelling(t)); }

/// The line where a cursor's text is expanded (for a macro such as
/// WARD_METHOD: the line of the macro's use).
size_t line_of(CXCursor c) {
  unsigned line = 0;
  clang_getExpansionLocation(clang_getCursorLocation(c), nullptr, &line, nullptr, nullptr);
  return line;
}

/// True when the cursor is expanded in the contract's own file (so that the
/// declarations a WARD_METHOD macro produces count as the contract's).
bool in_main_file(CXCursor c) {
  CXSourceLocation loc = clang_getCursorLocation(c);
  CXFile file = nullptr;
  clang_getExpansionLocation(loc, &file, nullptr, nullptr, nullptr);
  if (!file) return false;
  CXTranslationUnit tu = clang_Cursor_getTranslationUnit(c);
  CXFile main = clang_getFile(tu, take(clang_getTranslationUnitSpelling(tu)).c_str());
  return main && clang_File_isEqual(file, main);
}

/// True for the error a contract gets, before its dispatch code exists,
/// when it encodes or decodes one of its own structs itself (the generated
/// code defines that Codec).
bool is_pending_codec_error(const std::string& text) {
  return text.find("implicit instantiation of undefined template 'ward::abi::Codec<") != std::string::npos;
}

/// "ns::Name" for a declaration: named namespaces and records, inline
/// namespaces (std::__2) and anonymous namespaces left out.
std::string qualified_name(CXCursor c) {
  std::string name = spelling(c);
  for (CXCursor p = clang_getCursorSemanticParent(c); !clang_Cursor_isNull(p) &&
                                                      clang_getCursorKind(p) != CXCursor_TranslationUnit;
       p = clang_getCursorSemanticParent(p)) {
    CXCursorKind k = clang_getCursorKind(p);
    if (k == CXCursor_Namespace && (clang_Cursor_isInlineNamespace(p) || clang_Cursor_isAnonymous(p))) continue;
    if (k == CXCursor_LinkageSpec) continue;
    name = spelling(p) + "::" + name;
  }
  return name;
}

/// The annotation strings ("ward::export", ...) attached to a declaration.
std::set<std::string> annotations(CXCursor c) {
  std::set<std::string> out;
  clang_visitChildren(
      c,
      [](CXCursor child, CXCursor, CXClientData data) {
        if (clang_getCursorKind(child) == CXCursor_AnnotateAttr) {
          static_cast<std::set<std::string>*>(data)->insert(spelling(child));
        }
        return CXChildVisit_Continue;
      },
      &out);
  return out;
}

/// Walks the main file's declarations, collecting methods and structs and
/// checking the rules. The first error wins.
class Extractor {
 public:
  explicit Extractor(std::string file) : m_file(std::move(file)) {}

  void run(CXCursor tu) {
    clang_visitChildren(tu, &Extractor::visit, this);
    if (!m_error.empty()) return;
    if (m_model.methods.empty() && m_raw.empty()) {
      m_error = m_file + ": the contract exports no methods; mark a function with WARD_EXPORT (or WARD_VIEW), e.g.\n"
                "  WARD_EXPORT uint64_t Get() { ... }";
      return;
    }
    for (MethodInfo& m : m_raw) m_model.methods.push_back(std::move(m));
    std::map<std::string, size_t> seen;
    for (const MethodInfo& m : m_model.methods) {
      auto [it, fresh] = seen.emplace(m.name, m.line);
      if (!fresh) {
        fail_at(m.line, "method " + m.name + " is defined twice (also line " + std::to_string(it->second) +
                            "); a method name is a wasm export and must be unique");
        return;
      }
    }
  }

  const std::string& error() const { return m_error; }
  /// True when the error is a forbidden construct (throw, try, thread_local).
  bool forbidden() const { return m_forbidden; }
  ContractModel take_model() { return std::move(m_model); }

 private:
  static CXChildVisitResult visit(CXCursor c, CXCursor, CXClientData data) {
    auto* self = static_cast<Extractor*>(data);
    if (!self->m_error.empty()) return CXChildVisit_Break;
    if (!in_main_file(c)) return CXChildVisit_Continue;
    return self->on_cursor(c);
  }

  CXChildVisitResult on_cursor(CXCursor c) {
    switch (clang_getCursorKind(c)) {
      case CXCursor_CXXThrowExpr:
        m_forbidden = true;
        fail_at(line_of(c), "`throw` is not allowed in a contract: exceptions may not escape a method "
                            "(contracts are built with -fno-exceptions); return a ward::Error or call ward::revert");
        return CXChildVisit_Break;
      case CXCursor_CXXTryStmt:
        m_forbidden = true;
        fail_at(line_of(c), "`try` is not allowed in a contract: contracts are built with -fno-exceptions; "
                            "return a ward::Error or call ward::revert");
        return CXChildVisit_Break;
      case CXCursor_VarDecl:
        if (clang_getCursorTLSKind(c) != CXTLS_None) {
          m_forbidden = true;
          fail_at(line_of(c), "`thread_local` is not allowed in a contract: contracts are single-threaded");
          return CXChildVisit_Break;
        }
        break;
      case CXCursor_FunctionDecl:
        on_function(c);
        break;
      case CXCursor_FunctionTemplate:
      case CXCursor_CXXMethod: {
        auto a = annotations(c);
        if (a.count("ward::export") || a.count("ward::view") || a.count("ward::payable")) {
          fail_at(line_of(c), spelling(c) + ": only free, non-template functions can be methods");
          return CXChildVisit_Break;
        }
        break;
      }
      default: break;
    }
    return CXChildVisit_Recurse;
  }

  void on_function(CXCursor c) {
    auto a = annotations(c);
    bool view = a.count("ward::view") != 0;
    bool payable = a.count("ward::payable") != 0;
    bool exported = view || payable || a.count("ward::export") != 0;
    bool raw = a.count("ward::method") != 0;
    if (!exported && !raw) return;
    std::string usr = take(clang_getCursorUSR(c));
    if (!m_usrs.insert(usr).second) return;  // a redeclaration
    MethodInfo m;
    m.line = line_of(c);
    m.read_only = view;
    m.payable = payable || raw;
    if (view && payable) {
      fail_at(m.line, spelling(c) + ": a WARD_VIEW method cannot be WARD_PAYABLE (a view moves no value)");
      return;
    }
    if (raw) {
      std::string sym = spelling(c);
      m.name = sym.starts_with("ward_method_") ? sym.substr(12) : sym;
      m.raw = true;
      m_raw.push_back(std::move(m));
      return;
    }
    m.name = spelling(c);
    m.cpp_name = "::" + qualified_name(c);
    if (m.name.starts_with("_") || m.name == "memory") {
      fail_at(m.line, "method name " + m.name + " is reserved (names starting with '_' and \"memory\" are not methods)");
      return;
    }
    if (clang_Cursor_isVariadic(c)) {
      fail_at(m.line, "method " + m.name + " is variadic; a method has a fixed list of typed parameters");
      return;
    }
    int n = clang_Cursor_getNumArguments(c);
    for (int i = 0; i < n; ++i) {
      CXCursor p = clang_Cursor_getArgument(c, static_cast<unsigned>(i));
      ParamInfo param;
      param.name = spelling(p);
      if (param.name.empty()) {
        fail_at(m.line, "method " + m.name + ": parameter " + std::to_string(i + 1) +
                            " has no name; name it (callers pass arguments by name)");
        return;
      }
      std::string what = "method " + m.name + ", parameter '" + param.name + "'";
      if (!abi_type(clang_getCursorType(p), what, m.line, false, param.type)) return;
      m.params.push_back(std::move(param));
    }
    if (!abi_type(clang_getCursorResultType(c), "method " + m.name + ", result", m.line, true, m.returns)) return;
    m_model.methods.push_back(std::move(m));
  }

  /// Maps a C++ type to its ABI type name; false (with the error set) when
  /// the type cannot be a parameter or result.
  bool abi_type(CXType type, const std::string& what, size_t line, bool is_result, std::string& out) {
    CXType t = clang_getCanonicalType(type);
    if (t.kind == CXType_LValueReference || t.kind == CXType_RValueReference) {
      if (is_result) return unsupported(type, what, line, "a result is returned by value");
      t = clang_getCanonicalType(clang_getPointeeType(t));
    }
    long long size = clang_Type_getSizeOf(t);
    switch (t.kind) {
      case CXType_Void:
        if (!is_result) return unsupported(type, what, line, "");
        out = "void";
        return true;
      case CXType_Bool: out = "bool"; return true;
      case CXType_SChar: case CXType_Short: case CXType_Int: case CXType_Long: case CXType_LongLong:
        out = "i" + std::to_string(size * 8);
        return true;
      case CXType_UChar: case CXType_UShort: case CXType_UInt: case CXType_ULong: case CXType_ULongLong:
        out = "u" + std::to_string(size * 8);
        return true;
      case CXType_Char_S: case CXType_Char_U:
        return unsupported(type, what, line, "use int8_t/uint8_t for a number or std::string for text");
      case CXType_Float: case CXType_Double: case CXType_LongDouble:
        return unsupported(type, what, line, "floating point has no place in contract values; use integers");
      case CXType_Record: break;
      default: return unsupported(type, what, line, "");
    }
    CXCursor decl = clang_getTypeDeclaration(t);
    std::string name = qualified_name(decl);
    auto targ = [&](unsigned i) { return clang_Type_getTemplateArgumentAsType(t, i); };
    if (name == "std::basic_string" && clang_getCanonicalType(targ(0)).kind == CXType_Char_S) {
      out = "string";
      return true;
    }
    if (name == "std::basic_string" || name == "std::basic_string_view") {
      return unsupported(type, what, line, name == "std::basic_string" ? "" : "use std::string");
    }
    if (name == "std::vector") {
      CXType e = clang_getCanonicalType(targ(0));
      if (e.kind == CXType_UChar) {
        out = "bytes";
        return true;
      }
      std::string inner;
      if (!abi_type(e, what, line, false, inner)) return false;
      out = inner + "[]";
      return true;
    }
    if (name == "std::optional") {
      std::string inner;
      if (!abi_type(targ(0), what, line, false, inner)) return false;
      if (inner.ends_with("?")) return unsupported(type, what, line, "optional of optional");
      out = inner + "?";
      return true;
    }
    if (name == "ward::Result") {
      if (!is_result) return unsupported(type, what, line, "ward::Result is for results only");
      return abi_type(targ(0), what, line, true, out);
    }
    if (name == "ward::Address") return out = "address", true;
    if (name == "ward::ObjectId") return out = "object_id", true;
    if (name == "ward::Hash") return out = "hash", true;
    if (name.starts_with("std::") || name.starts_with("ward::")) return unsupported(type, what, line, "");
    return struct_type(t, decl, name, type, what, line, out);
  }

  bool struct_type(CXType t, CXCursor decl, const std::string& name, CXType written, const std::string& what,
                   size_t line, std::string& out) {
    out = name;
    if (m_struct_index.count(name)) return true;
    CXCursorKind k = clang_getCursorKind(decl);
    if (k != CXCursor_StructDecl && k != CXCursor_ClassDecl) {
      return unsupported(written, what, line, "only plain structs of supported types");
    }
    if (spelling(decl).empty() || clang_Cursor_isAnonymous(decl)) {
      return unsupported(written, what, line, "an unnamed struct cannot be described in the ABI");
    }
    if (clang_Type_getNumTemplateArguments(t) > 0) {
      return unsupported(written, what, line, "templates cannot be described in the ABI");
    }
    if (!in_main_file(decl)) return unsupported(written, what, line, "structs must be defined in the contract");
    bool has_base = false;
    clang_visitChildren(
        decl,
        [](CXCursor child, CXCursor, CXClientData d) {
          if (clang_getCursorKind(child) == CXCursor_CXXBaseSpecifier) *static_cast<bool*>(d) = true;
          return CXChildVisit_Continue;
        },
        &has_base);
    if (has_base) return unsupported(written, what, line, "structs with base classes are not supported");
    // Reserve the slot first so that a struct that refers to itself ends.
    m_struct_index[name] = m_model.structs.size();
    m_model.structs.push_back({name, "::" + name, {}});
    struct FieldWalk {
      Extractor* self;
      std::vector<std::pair<std::string, CXCursor>> fields;
      bool private_field = false;
    } walk{this, {}, false};
    clang_Type_visitFields(
        t,
        [](CXCursor field, CXClientData d) {
          auto* w = static_cast<FieldWalk*>(d);
          if (clang_getCXXAccessSpecifier(field) != CX_CXXPublic) w->private_field = true;
          w->fields.emplace_back(spelling(field), field);
          return CXVisit_Continue;
        },
        &walk);
    if (walk.private_field) return unsupported(written, what, line, "every field of a struct must be public");
    std::vector<ParamInfo> fields;
    for (auto& [field_name, field] : walk.fields) {
      ParamInfo f;
      f.name = field_name;
      if (clang_Cursor_isBitField(field)) return unsupported(written, what, line, "bit-fields are not supported");
      if (!abi_type(clang_getCursorType(field), "struct " + name + ", field '" + field_name + "'", line_of(field),
                    false, f.type)) {
        return false;
      }
      fields.push_back(std::move(f));
    }
    m_model.structs[m_struct_index[name]].fields = std::move(fields);
    return true;
  }

  bool unsupported(CXType type, const std::string& what, size_t line, const std::string& hint) {
    std::string msg = what + ": type " + type_spelling(type) + " is not supported";
    if (!hint.empty()) msg += " (" + hint + ")";
    msg += "; supported: bool, integers, std::string, ward::Bytes, ward::Address, ward::ObjectId, ward::Hash, "
           "std::vector<T>, std::optional<T>, structs of those";
    fail_at(line, msg);
    return false;
  }

  void fail_at(size_t line, const std::string& what) {
    if (m_error.empty()) m_error = m_file + ":" + std::to_string(line) + ": " + what;
  }

  std::string m_file;
  std::string m_error;
  bool m_forbidden = false;
  ContractModel m_model;
  std::vector<MethodInfo> m_raw;
  std::set<std::string> m_usrs;
  std::map<std::string, size_t> m_struct_index;
};

struct IndexDeleter {
  void operator()(void* i) const { clang_disposeIndex(i); }
};
struct TuDeleter {
  void operator()(CXTranslationUnitImpl* tu) const { clang_disposeTranslationUnit(tu); }
};

}  // namespace

ParseResult parse_contract(const ParseOptions& options) {
  ParseResult result;
  const std::string display = options.display_name.empty() ? options.source : options.display_name;
  std::unique_ptr<void, IndexDeleter> index(clang_createIndex(0, 0));
  std::vector<const char*> argv;
  for (const std::string& a : options.args) argv.push_back(a.c_str());
  CXTranslationUnit raw_tu = nullptr;
  CXErrorCode code = clang_parseTranslationUnit2(index.get(), options.source.c_str(), argv.data(),
                                                 static_cast<int>(argv.size()), nullptr, 0,
                                                 CXTranslationUnit_KeepGoing, &raw_tu);
  std::unique_ptr<CXTranslationUnitImpl, TuDeleter> tu(raw_tu);
  if (code != CXError_Success || !tu) {
    result.error.message = display + ": libclang could not parse the file (error " + std::to_string(code) + ")";
    return result;
  }
  // Rules first: with -fno-exceptions a `throw` is also a compiler error,
  // and the rule's message says more.
  Extractor extractor(display);
  extractor.run(clang_getTranslationUnitCursor(tu.get()));
  std::string errors;
  for (unsigned i = 0, n = clang_getNumDiagnostics(tu.get()); i < n; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu.get(), i);
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error &&
        !is_pending_codec_error(take(clang_getDiagnosticSpelling(d)))) {
      errors += take(clang_formatDiagnostic(d, clang_defaultDiagnosticDisplayOptions())) + "\n";
    }
    clang_disposeDiagnostic(d);
  }
  if (!extractor.error().empty() && (errors.empty() || extractor.forbidden())) {
    result.error.message = extractor.error();
    return result;
  }
  if (!errors.empty()) {
    result.error.message = errors;
    result.error.has_compile_errors = true;
    return result;
  }
  result.model = extractor.take_model();
  result.ok = true;
  return result;
}

}  // namespace ward::build

// ward/aot/c_split.cpp — see c_split.h. wasm2c 1.0.32 writes, in order: a
// prelude (includes, macros, static helpers), the module section
// (`s_module_initialized`, `func_types`, function prototypes, init_*
// functions, data and element segments), the function definitions, and a
// tail (exports, init_instance_import, Z_m_*). The prelude goes into the
// shared header; everything a function body may reference from the module
// section (function type ids, segments, other functions) becomes a hidden
// non-static symbol declared there.
#include "aot/c_split.h"

#include <algorithm>
#include <cstdlib>
#include <numeric>
#include <string_view>

namespace ward::aot {
namespace {

struct Layout {
  size_t module_begin = 0;  ///< start of the module section
  size_t funcs_begin = 0;   ///< first function definition
  size_t tail_begin = 0;    ///< after the last function definition
  std::vector<std::pair<size_t, size_t>> funcs;  ///< [begin, end) of each definition
};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

std::string_view line_at(const std::string& c, size_t p) {
  size_t e = c.find('\n', p);
  if (e == std::string::npos) e = c.size();
  return std::string_view(c).substr(p, e - p);
}

/// The signature of a function definition at p (it may span several lines),
/// or an empty view.
std::string_view definition_head(const std::string& c, size_t p) {
  const size_t e = c.find(") {\n", p);
  if (e == std::string::npos) return {};
  const std::string_view h = std::string_view(c).substr(p, e + 3 - p);
  if (!starts_with(h, "static ") || h.find(" w2c_") == std::string_view::npos ||
      h.find("(Z_m_instance_t* instance") == std::string_view::npos || h.find_first_of(";{}") != h.size() - 1) {
    return {};
  }
  return h;
}

std::optional<Layout> parse(const std::string& c) {
  Layout L;
  L.module_begin = c.find("\nstatic bool s_module_initialized = false;\n");
  if (L.module_begin == std::string::npos) return std::nullopt;
  ++L.module_begin;
  const size_t last_init = c.find("\nstatic void init_elem_instances(", L.module_begin);
  if (last_init == std::string::npos) return std::nullopt;
  size_t p = c.find("\n}\n", last_init);
  if (p == std::string::npos) return std::nullopt;
  p += 3;
  L.funcs_begin = p;
  for (;;) {
    size_t q = p;
    while (q < c.size() && c[q] == '\n') ++q;
    if (q >= c.size() || definition_head(c, q).empty()) break;
    size_t e = c.find("\n}\n", q);
    if (e == std::string::npos) return std::nullopt;
    e += 3;
    L.funcs.emplace_back(q, e);
    p = e;
  }
  L.tail_begin = p;
  return L;
}

/// `static X` -> `WARD_HIDDEN X`.
std::string unstatic(std::string_view l) { return "WARD_HIDDEN " + std::string(l.substr(7)); }

}  // namespace

uint64_t function_bytes(const std::string& c) {
  auto L = parse(c);
  if (!L) return 0;
  uint64_t n = 0;
  for (const auto& [b, e] : L->funcs) n += e - b;
  return n;
}

uint64_t split_threshold(uint64_t option) {
  if (option != 0) return option;
  if (const char* e = std::getenv("WARD_AOT_SPLIT_BYTES"); e != nullptr && *e != '\0') {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(e, &end, 10);
    if (end != e && *end == '\0' && v > 0) return v;
  }
  return kDefaultSplitBytes;
}

std::optional<SplitC> split_c(const std::string& c, uint64_t threshold) {
  auto L = parse(c);
  if (!L || L->funcs.empty()) return std::nullopt;
  uint64_t total = 0;
  for (const auto& [b, e] : L->funcs) total += e - b;
  if (total <= threshold) return std::nullopt;

  // The module section: keep it in the main unit, move declarations into the header.
  std::string decls, module;
  size_t p = L->module_begin;
  while (p < L->funcs_begin) {
    std::string_view l = line_at(c, p);
    if (starts_with(l, "static ")) {
      // A declaration may span several lines.
      size_t e = p;
      while (!ends_with(l, ";") && !ends_with(l, "{") && e + l.size() < c.size()) {
        e = p + l.size() + 1;
        const size_t n = c.find('\n', e);
        l = std::string_view(c).substr(p, (n == std::string::npos ? c.size() : n) - p);
      }
    }
    p += l.size() + 1;
    if (!starts_with(l, "static ")) {
      module.append(l);
      module += '\n';
      continue;
    }
    if (l == "static bool s_module_initialized = false;" || (starts_with(l, "static void init_") && ends_with(l, "{"))) {
      module.append(l);
      module += '\n';
    } else if (starts_with(l, "static u32 func_types[") && ends_with(l, "];")) {
      decls += "extern " + unstatic(l) + "\n";
      module += unstatic(l) + "\n";
    } else if (ends_with(l, ");") && l.find(" w2c_") != std::string_view::npos) {
      decls += unstatic(l) + "\n";  // a function prototype
    } else if ((starts_with(l, "static const u8 data_segment_data_") ||
                starts_with(l, "static const wasm_elem_segment_expr_t elem_segment_exprs_")) &&
               ends_with(l, "[] = {")) {
      decls += "extern " + unstatic(l.substr(0, l.size() - 4)) + ";\n";
      module += unstatic(l) + "\n";
    } else {
      return std::nullopt;  // a shape this splitter does not know
    }
  }

  SplitC out;
  out.shared_header =
      "/* Shared declarations of a split Ward AOT module (generated). */\n"
      "#ifndef WARD_M_SHARED_H_\n#define WARD_M_SHARED_H_\n"
      "#define WARD_HIDDEN __attribute__((visibility(\"hidden\")))\n";
  out.shared_header.append(c, 0, L->module_begin);
  out.shared_header += "\n" + decls + "\n#endif /* WARD_M_SHARED_H_ */\n";
  out.main = "#include \"m_shared.h\"\n\n" + module;
  out.main.append(c, L->tail_begin, std::string::npos);

  // Balance the parts by size: largest function first into the lightest part.
  const size_t n = L->funcs.size();
  size_t k = static_cast<size_t>((total + kSplitPartBytes - 1) / kSplitPartBytes);
  k = std::min({std::max<size_t>(k, 2), n, kMaxSplitParts});
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  auto size_of = [&](size_t i) { return L->funcs[i].second - L->funcs[i].first; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return size_of(a) > size_of(b); });
  std::vector<uint64_t> load(k, 0);
  std::vector<std::vector<size_t>> members(k);
  for (size_t i : order) {
    const size_t j = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[j] += size_of(i);
    members[j].push_back(i);
  }
  for (auto& m : members) {
    std::sort(m.begin(), m.end());
    std::string part = "/* Part of a split Ward AOT module (generated). */\n#define WARD_AOT_PART 1\n"
                       "#include \"ward_rt_module.h\"\n#include \"m_shared.h\"\n\n";
    for (size_t i : m) {
      const auto [b, e] = L->funcs[i];
      part += "WARD_HIDDEN ";
      part.append(c, b + 7, e - b - 7);  // without "static "
      part += '\n';
    }
    out.parts.push_back(std::move(part));
  }
  return out;
}

}  // namespace ward::aot

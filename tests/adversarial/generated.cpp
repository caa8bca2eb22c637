// Hostile module shapes as bytes (see generated.h).
#include "generated.h"

#include <string_view>

namespace ward::adversarial::gen {
namespace {

void leb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

void append(Bytes& out, const Bytes& in) { out.insert(out.end(), in.begin(), in.end()); }

void name(Bytes& out, std::string_view s) {
  leb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void section(Bytes& out, uint8_t id, const Bytes& payload) {
  out.push_back(id);
  leb(out, payload.size());
  append(out, payload);
}

Bytes header() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

/// Type section with one type, () -> ().
Bytes void_type() { return {0x01, 0x60, 0x00, 0x00}; }
/// Memory section: one memory of 1 page.
Bytes one_page() { return {0x01, 0x00, 0x01}; }

Bytes exports_memory_and_run(uint32_t run_index) {
  Bytes e;
  leb(e, 2);
  name(e, "memory");
  e.push_back(0x02);
  leb(e, 0);
  name(e, "run");
  e.push_back(0x00);
  leb(e, run_index);
  return e;
}

Bytes body(const Bytes& locals, const Bytes& code) {
  Bytes b = locals;
  append(b, code);
  b.push_back(0x0B);
  Bytes sized;
  leb(sized, b.size());
  append(sized, b);
  return sized;
}

const Bytes kNoLocals = {0x00};

}  // namespace

Bytes contract(const Bytes& locals, const Bytes& code) {
  Bytes m = header();
  section(m, 1, void_type());
  section(m, 3, {0x01, 0x00});
  section(m, 5, one_page());
  section(m, 7, exports_memory_and_run(0));
  Bytes c;
  leb(c, 1);
  append(c, body(locals, code));
  section(m, 10, c);
  return m;
}

Bytes nested_blocks(uint32_t depth) {
  Bytes code;
  code.reserve(depth * 3);
  for (uint32_t i = 0; i < depth; ++i) code.insert(code.end(), {0x02, 0x40});
  code.insert(code.end(), depth, 0x0B);
  return contract(kNoLocals, code);
}

Bytes many_locals(uint32_t n) {
  Bytes locals;
  leb(locals, 1);
  leb(locals, n);
  locals.push_back(0x7E);
  return contract(locals, {});
}

Bytes fat_recursion(uint32_t n) {
  Bytes locals;
  leb(locals, 1);
  leb(locals, n);
  locals.push_back(0x7E);
  return contract(locals, {0x10, 0x00});
}

Bytes big_function(uint32_t bytes) { return contract(kNoLocals, Bytes(bytes, 0x01)); }

Bytes big_br_table(uint32_t targets, bool loop) {
  Bytes code = {static_cast<uint8_t>(loop ? 0x03 : 0x02), 0x40, 0x41, 0x00, 0x0E};
  leb(code, targets);
  code.insert(code.end(), targets, 0x00);
  code.push_back(0x00);  // default
  code.push_back(0x0B);
  return contract(kNoLocals, code);
}

Bytes many_functions(uint32_t n) {
  Bytes m = header();
  section(m, 1, void_type());
  Bytes f;
  leb(f, n);
  f.insert(f.end(), n, 0x00);
  section(m, 3, f);
  section(m, 5, one_page());
  section(m, 7, exports_memory_and_run(0));
  Bytes c;
  leb(c, n);
  for (uint32_t i = 0; i < n; ++i) c.insert(c.end(), {0x02, 0x00, 0x0B});
  section(m, 10, c);
  return m;
}

Bytes many_globals(uint32_t n) {
  Bytes m = header();
  section(m, 1, void_type());
  section(m, 3, {0x01, 0x00});
  section(m, 5, one_page());
  Bytes g;
  leb(g, n);
  for (uint32_t i = 0; i < n; ++i) g.insert(g.end(), {0x7F, 0x00, 0x41, 0x00, 0x0B});
  section(m, 6, g);
  section(m, 7, exports_memory_and_run(0));
  Bytes c = {0x01};
  append(c, body(kNoLocals, {}));
  section(m, 10, c);
  return m;
}

Bytes many_imports(uint32_t n) {
  Bytes m = header();
  section(m, 1, {0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x00});
  Bytes im;
  leb(im, n);
  for (uint32_t i = 0; i < n; ++i) {
    name(im, "ward_v1");
    name(im, "sender");
    im.push_back(0x00);
    leb(im, 1);
  }
  section(m, 2, im);
  section(m, 3, {0x01, 0x00});
  section(m, 5, one_page());
  section(m, 7, exports_memory_and_run(n));
  Bytes c = {0x01};
  append(c, body(kNoLocals, {}));
  section(m, 10, c);
  return m;
}

Bytes many_exports(uint32_t n) {
  Bytes m = header();
  section(m, 1, void_type());
  section(m, 3, {0x01, 0x00});
  section(m, 5, one_page());
  Bytes e;
  leb(e, n + 1);
  name(e, "memory");
  e.push_back(0x02);
  leb(e, 0);
  for (uint32_t i = 0; i < n; ++i) {
    name(e, "m" + std::to_string(i));
    e.push_back(0x00);
    leb(e, 0);
  }
  section(m, 7, e);
  Bytes c = {0x01};
  append(c, body(kNoLocals, {}));
  section(m, 10, c);
  return m;
}

Bytes many_tables(uint32_t n) {
  Bytes m = header();
  section(m, 1, void_type());
  section(m, 3, {0x01, 0x00});
  Bytes t;
  leb(t, n);
  for (uint32_t i = 0; i < n; ++i) t.insert(t.end(), {0x70, 0x00, 0x01});
  section(m, 4, t);
  section(m, 5, one_page());
  section(m, 7, exports_memory_and_run(0));
  Bytes c = {0x01};
  append(c, body(kNoLocals, {}));
  section(m, 10, c);
  return m;
}

Bytes big_data(uint32_t bytes) {
  Bytes m = header();
  section(m, 5, one_page());
  Bytes d = {0x01, 0x01};  // one passive segment
  leb(d, bytes);
  d.insert(d.end(), bytes, 0xAB);
  section(m, 11, d);
  return m;
}

Bytes truncated(uint32_t keep) {
  Bytes m = contract(kNoLocals, {0x41, 0x01, 0x1A});
  if (keep < m.size()) m.resize(keep);
  return m;
}

Bytes duplicate_exports() {
  Bytes m = header();
  section(m, 1, void_type());
  section(m, 3, {0x01, 0x00});
  section(m, 5, one_page());
  Bytes e;
  leb(e, 3);
  name(e, "memory");
  e.push_back(0x02);
  leb(e, 0);
  for (int i = 0; i < 2; ++i) {
    name(e, "run");
    e.push_back(0x00);
    leb(e, 0);
  }
  section(m, 7, e);
  Bytes c = {0x01};
  append(c, body(kNoLocals, {}));
  section(m, 10, c);
  return m;
}

Bytes bad_magic() { return {0x7F, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00}; }

Bytes section_size_lie() {
  Bytes m = header();
  m.push_back(0x01);
  leb(m, 0xFFFFFF);
  m.insert(m.end(), {0x01, 0x60, 0x00, 0x00});
  return m;
}

Bytes data_length_lie() {
  Bytes m = header();
  section(m, 5, one_page());
  Bytes d = {0x01, 0x01};
  leb(d, 0xFFFFFFF0u);
  d.insert(d.end(), 16, 0x00);
  section(m, 11, d);
  return m;
}

Bytes leb_overflow() {
  Bytes m = header();
  section(m, 1, void_type());
  section(m, 3, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00});
  return m;
}

Bytes simd_type() {
  Bytes m = header();
  section(m, 1, {0x01, 0x60, 0x01, 0x7B, 0x00});
  return m;
}

Bytes many_custom_sections(uint32_t n) {
  Bytes m = header();
  for (uint32_t i = 0; i < n; ++i) {
    Bytes p;
    name(p, "x");
    section(m, 0, p);
  }
  Bytes rest = contract(kNoLocals, {});
  m.insert(m.end(), rest.begin() + 8, rest.end());
  return m;
}

}  // namespace ward::adversarial::gen

// ward/build/wasm_reader.h — the byte cursor `ward build` uses on the
// binary format (Core Specification 5.1-5.5: LEB128 integers, names,
// sections) where it reads or edits a module outside the wasm layer: the
// interface check (wasm_interface.cpp) and the module edits (wasm_edit.cpp).
// Thread-safety: one Reader per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace ward::build {

/// A bounds-checked cursor over module bytes [pos, end): LEB128 numbers,
/// names and raw bytes; after the first read past `end` or malformed number
/// every read returns 0/empty and failed() is true.
class Reader {
 public:
  Reader(std::span<const uint8_t> bytes, size_t pos, size_t end) : m_bytes(bytes), m_pos(pos), m_end(end) {}

  size_t pos() const { return m_pos; }
  bool failed() const { return m_failed; }
  bool at_end() const { return m_pos >= m_end; }

  uint8_t byte() {
    if (m_pos >= m_end) return fail(), 0;
    return m_bytes[m_pos++];
  }

  uint32_t u32() {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
      uint8_t b = byte();
      if (m_failed) return 0;
      v |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        if (v > UINT32_MAX) fail();
        return static_cast<uint32_t>(v);
      }
    }
    fail();
    return 0;
  }

  std::string name() {
    uint32_t n = u32();
    if (m_failed || n > m_end - m_pos) return fail(), std::string();
    std::string s(reinterpret_cast<const char*>(m_bytes.data() + m_pos), n);
    m_pos += n;
    return s;
  }

  /// A count that cannot exceed the bytes left (each item is at least one byte).
  uint32_t count() {
    uint32_t n = u32();
    if (!m_failed && n > m_end - m_pos) fail();
    return m_failed ? 0 : n;
  }

  void skip_limits() {
    uint8_t flags = byte();
    u32();
    if (flags & 1) u32();
  }

  /// A signed LEB128 of at most 5 bytes that fits in 32 bits (i32.const).
  int32_t s32() {
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t b = 0;
    do {
      b = byte();
      if (m_failed || shift >= 35) return fail(), 0;
      v |= int64_t{b & 0x7f} << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) v |= -(int64_t{1} << shift);
    if (v < INT32_MIN || v > INT32_MAX) return fail(), 0;
    return static_cast<int32_t>(v);
  }

  /// The next `n` bytes (empty and failed when fewer are left).
  std::span<const uint8_t> take(size_t n) {
    if (m_failed || n > m_end - m_pos) return fail(), std::span<const uint8_t>{};
    auto s = m_bytes.subspan(m_pos, n);
    m_pos += n;
    return s;
  }

  void fail() { m_failed = true; }

 private:
  std::span<const uint8_t> m_bytes;
  size_t m_pos;
  size_t m_end;
  bool m_failed = false;
};

}  // namespace ward::build

// ward/build/wasm_edit.cpp — see wasm_edit.h.
#include "build/wasm_edit.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "build/wasm_reader.h"

namespace ward::build {
namespace {

constexpr uint8_t kExportSection = 7;
constexpr uint8_t kDataSection = 11;
constexpr uint8_t kDataCountSection = 12;

void put_u32(std::string& out, uint32_t v) {
  do {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if (v != 0) c |= 0x80;
    out.push_back(static_cast<char>(c));
  } while (v != 0);
}

void put_s32(std::string& out, int32_t value) {
  int64_t v = value;
  bool more = true;
  while (more) {
    uint8_t c = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(c & 0x40)) || (v == -1 && (c & 0x40))) {
      more = false;
    } else {
      c |= 0x80;
    }
    out.push_back(static_cast<char>(c));
  }
}

void put_section(std::string& out, uint8_t id, const std::string& payload) {
  out.push_back(static_cast<char>(id));
  put_u32(out, static_cast<uint32_t>(payload.size()));
  out += payload;
}

struct Section {
  uint8_t id = 0;
  size_t start = 0;  ///< offset of the id byte
  size_t payload = 0;
  size_t size = 0;
};

Result<std::vector<Section>> sections(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kHeader[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (bytes.size() < 8 || !std::equal(kHeader, kHeader + 8, bytes.begin())) {
    return make_error("not a wasm module (bad magic or version)");
  }
  std::vector<Section> out;
  Reader r(bytes, 8, bytes.size());
  while (!r.at_end()) {
    Section s;
    s.start = r.pos();
    s.id = r.byte();
    s.size = r.u32();
    s.payload = r.pos();
    r.take(s.size);
    if (r.failed()) return make_error("malformed section at byte offset " + std::to_string(s.start));
    out.push_back(s);
  }
  return out;
}

std::string_view as_view(std::span<const uint8_t> s) {
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

/// `bytes` with the sections for which `replace` returns a payload replaced
/// (an empty optional keeps the section).
template <class F>
std::string rebuild(std::span<const uint8_t> bytes, const std::vector<Section>& secs, F replace) {
  std::string out(as_view(bytes.first(8)));
  for (const Section& s : secs) {
    std::optional<std::string> p = replace(s);
    if (p) {
      put_section(out, s.id, *p);
    } else {
      out += as_view(bytes.subspan(s.start, s.payload + s.size - s.start));
    }
  }
  return out;
}

struct Segment {
  uint32_t offset = 0;
  std::string data;
};

}  // namespace

Result<std::string> alias_export(std::span<const uint8_t> bytes, const std::string& from,
                                 const std::vector<std::string>& names) {
  auto secs = sections(bytes);
  if (!secs) return secs.error();
  const Section* exp = nullptr;
  for (const Section& s : *secs) {
    if (s.id == kExportSection) exp = &s;
  }
  if (exp == nullptr) return make_error("the module has no export section (expected an export \"" + from + "\")");
  Reader r(bytes, exp->payload, exp->payload + exp->size);
  uint32_t n = r.u32();
  std::string kept;
  uint32_t kept_count = 0;
  std::optional<uint32_t> target;
  std::vector<std::string> existing;
  for (uint32_t i = 0; i < n && !r.failed(); ++i) {
    const size_t entry = r.pos();
    uint32_t len = r.u32();
    std::string name(as_view(r.take(len)));
    uint8_t kind = r.byte();
    uint32_t index = r.u32();
    if (r.failed()) break;
    if (kind == 0 && name == from) {
      target = index;
      continue;
    }
    existing.push_back(name);
    kept += as_view(bytes.subspan(entry, r.pos() - entry));
    ++kept_count;
  }
  if (r.failed() || r.pos() != exp->payload + exp->size) {
    return make_error("malformed export section at byte offset " + std::to_string(exp->start));
  }
  if (!target) return make_error("the module has no function export \"" + from + "\"");
  for (const std::string& name : names) {
    if (std::find(existing.begin(), existing.end(), name) != existing.end()) {
      return make_error("export \"" + name + "\" already exists");
    }
    existing.push_back(name);
    put_u32(kept, static_cast<uint32_t>(name.size()));
    kept += name;
    kept.push_back(0);
    put_u32(kept, *target);
    ++kept_count;
  }
  std::string payload;
  put_u32(payload, kept_count);
  payload += kept;
  return rebuild(bytes, *secs, [&](const Section& s) -> std::optional<std::string> {
    if (s.id == kExportSection) return payload;
    return std::nullopt;
  });
}

Result<size_t> count_data_segments(std::span<const uint8_t> bytes) {
  auto secs = sections(bytes);
  if (!secs) return secs.error();
  for (const Section& s : *secs) {
    if (s.id != kDataSection) continue;
    Reader r(bytes, s.payload, s.payload + s.size);
    uint32_t n = r.u32();
    if (r.failed()) return make_error("malformed data section at byte offset " + std::to_string(s.start));
    return size_t{n};
  }
  return size_t{0};
}

Result<std::string> merge_data_segments(std::span<const uint8_t> bytes, size_t max_segments) {
  auto secs = sections(bytes);
  if (!secs) return secs.error();
  const Section* data = nullptr;
  for (const Section& s : *secs) {
    if (s.id == kDataSection) data = &s;
  }
  std::string unchanged(as_view(bytes));
  if (data == nullptr) return unchanged;
  Reader r(bytes, data->payload, data->payload + data->size);
  const uint32_t n = r.u32();
  if (r.failed()) return make_error("malformed data section at byte offset " + std::to_string(data->start));
  if (n <= max_segments || max_segments == 0) return unchanged;
  std::vector<Segment> segs;
  segs.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t flags = r.u32();
    if (flags != 0) return unchanged;  // passive, or an explicit memory index
    if (r.byte() != 0x41) return unchanged;  // i32.const
    const int32_t offset = r.s32();
    if (r.byte() != 0x0b) return unchanged;  // end
    const uint32_t len = r.u32();
    auto body = r.take(len);
    if (r.failed()) return make_error("malformed data segment " + std::to_string(i) + " at byte offset " + std::to_string(r.pos()));
    segs.push_back({static_cast<uint32_t>(offset), std::string(as_view(body))});
  }
  if (r.pos() != data->payload + data->size) return make_error("malformed data section: trailing bytes");
  // Ascending, non-overlapping (so the order of application does not matter).
  for (size_t i = 1; i < segs.size(); ++i) {
    const uint64_t end = uint64_t{segs[i - 1].offset} + segs[i - 1].data.size();
    if (segs[i].offset < end) return unchanged;
  }
  // Merge across the (n - max) smallest gaps; ties go to the lower address.
  std::vector<std::pair<uint32_t, size_t>> gaps;  // (gap bytes, index of the segment after it)
  gaps.reserve(segs.size());
  for (size_t i = 1; i < segs.size(); ++i) {
    gaps.emplace_back(static_cast<uint32_t>(segs[i].offset - (segs[i - 1].offset + segs[i - 1].data.size())), i);
  }
  std::sort(gaps.begin(), gaps.end());
  std::vector<bool> join(segs.size(), false);
  for (size_t k = 0; k < segs.size() - max_segments; ++k) join[gaps[k].second] = true;
  std::vector<Segment> merged;
  for (size_t i = 0; i < segs.size(); ++i) {
    if (join[i]) {
      Segment& last = merged.back();
      last.data.append(segs[i].offset - (last.offset + last.data.size()), '\0');
      last.data += segs[i].data;
    } else {
      merged.push_back(std::move(segs[i]));
    }
  }
  std::string payload;
  put_u32(payload, static_cast<uint32_t>(merged.size()));
  for (const Segment& s : merged) {
    payload.push_back(0);
    payload.push_back(0x41);
    put_s32(payload, static_cast<int32_t>(s.offset));
    payload.push_back(0x0b);
    put_u32(payload, static_cast<uint32_t>(s.data.size()));
    payload += s.data;
  }
  std::string count;
  put_u32(count, static_cast<uint32_t>(merged.size()));
  return rebuild(bytes, *secs, [&](const Section& s) -> std::optional<std::string> {
    if (s.id == kDataSection) return payload;
    if (s.id == kDataCountSection) return count;
    return std::nullopt;
  });
}

}  // namespace ward::build

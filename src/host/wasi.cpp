// ward/host/wasi.cpp — the deterministic WASI subset of
// `wasi_snapshot_preview1` (docs/host-abi.md). Errno values and struct
// layouts follow the WASI preview1 specification (witx). Every node gives
// the same answers: no files, no arguments, no environment, clocks read the
// block time, randomness is derived from the transaction hash.
#include "host/detail.h"

namespace ward::host::detail {
namespace {

// WASI errno values (wasi_snapshot_preview1, typenames.witx `errno`).
constexpr uint32_t kSuccess = 0;
constexpr uint32_t kBadf = 8;
constexpr uint32_t kInval = 28;
constexpr uint32_t kSpipe = 70;
constexpr uint32_t kNotcapable = 76;

constexpr uint8_t kFiletypeCharacterDevice = 2;
constexpr uint64_t kRightFdRead = 1ull << 1;
constexpr uint64_t kRightFdWrite = 1ull << 6;
constexpr uint32_t kIovecBytes = 8;      // { buf: u32, buf_len: u32 }
constexpr uint32_t kFdstatBytes = 24;    // filetype u8, flags u16 @2, rights_base u64 @8, inheriting u64 @16
constexpr uint32_t kFilestatBytes = 64;  // dev, ino, filetype @16, nlink, size, atim, mtim, ctim
constexpr uint64_t kNanosPerSecond = 1'000'000'000;

uint32_t arg(const Value* args, int i) { return args[i].as_i32(); }
TrapKind ret(Value* results, uint32_t errno_value) {
  results[0] = Value::i32(errno_value);
  return TrapKind::None;
}
bool is_stdio(uint32_t fd) { return fd <= 2; }

/// What the WASI clocks read: the block time in ns plus the call's virtual
/// clock (saturating).
uint64_t now_ns(const CallEnv& env) {
  const uint64_t base = env.block_time <= 0 ? 0 : static_cast<uint64_t>(env.block_time) * kNanosPerSecond;
  return base > UINT64_MAX - env.virtual_clock_ns ? UINT64_MAX : base + env.virtual_clock_ns;
}

// poll_oneoff records (wasi_snapshot_preview1 `subscription`, `event`).
constexpr uint32_t kSubscriptionBytes = 48;  // userdata u64, tag u8 @8, clock {id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40} | fd u32 @16
constexpr uint32_t kEventBytes = 32;         // userdata u64, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
constexpr uint8_t kEventClock = 0;
constexpr uint16_t kSubclockAbstime = 1;

/// Reads and checks the iovec array of fd_write/fd_read; sums the lengths.
TrapKind read_iovecs(Call& c, uint32_t iovs, uint32_t count, std::vector<std::pair<uint32_t, uint32_t>>* out,
                     uint64_t* total) {
  WARD_HOST_TRY(c.check_range(iovs, uint64_t{count} * kIovecBytes));
  *total = 0;
  out->reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t buf = c.load_u32(iovs + i * kIovecBytes);
    uint32_t len = c.load_u32(iovs + i * kIovecBytes + 4);
    WARD_HOST_TRY(c.check_range(buf, len));
    out->emplace_back(buf, len);
    *total += len;
  }
  return TrapKind::None;
}

}  // namespace

TrapKind wasi_fd_write(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t fd = arg(args, 0), iovs = arg(args, 1), count = arg(args, 2), nwritten = arg(args, 3);
  uint32_t max = c.limits().max_host_arg_bytes;
  if (uint64_t{count} * kIovecBytes > max) {
    return c.too_big("iovec array", uint64_t{count} * kIovecBytes, "max_host_arg_bytes", max);
  }
  WARD_HOST_CHARGE(c, uint64_t{count} * kIovecBytes);
  if (!is_stdio(fd) || fd == 0) return ret(results, kBadf);
  std::vector<std::pair<uint32_t, uint32_t>> parts;
  uint64_t total = 0;
  WARD_HOST_TRY(read_iovecs(c, iovs, count, &parts, &total));
  if (total > max) return c.too_big("data", total, "max_host_arg_bytes", max);
  if (!c.charge_more(total)) return TrapKind::OutOfGas;
  WARD_HOST_TRY(c.check_range(nwritten, 4));
  for (auto [buf, len] : parts) c.env().debug_write(c.view(buf, len));
  c.store_u32(nwritten, static_cast<uint32_t>(total));
  return ret(results, kSuccess);
}

TrapKind wasi_fd_read(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t fd = arg(args, 0), iovs = arg(args, 1), count = arg(args, 2), nread = arg(args, 3);
  uint32_t max = c.limits().max_host_arg_bytes;
  if (uint64_t{count} * kIovecBytes > max) {
    return c.too_big("iovec array", uint64_t{count} * kIovecBytes, "max_host_arg_bytes", max);
  }
  WARD_HOST_CHARGE(c, uint64_t{count} * kIovecBytes);
  if (fd != 0) return ret(results, kBadf);
  std::vector<std::pair<uint32_t, uint32_t>> parts;
  uint64_t total = 0;
  WARD_HOST_TRY(read_iovecs(c, iovs, count, &parts, &total));
  WARD_HOST_TRY(c.check_range(nread, 4));
  c.store_u32(nread, 0);  // end of file
  return ret(results, kSuccess);
}

TrapKind wasi_fd_close(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, is_stdio(arg(args, 0)) ? kSuccess : kBadf);
}

TrapKind wasi_fd_seek(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, is_stdio(arg(args, 0)) ? kSpipe : kBadf);
}

TrapKind wasi_fd_fdstat_get(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t fd = arg(args, 0), ptr = arg(args, 1);
  WARD_HOST_CHARGE(c, 0);
  if (!is_stdio(fd)) return ret(results, kBadf);
  WARD_HOST_TRY(c.check_range(ptr, kFdstatBytes));
  std::memset(c.at(ptr), 0, kFdstatBytes);
  c.at(ptr)[0] = kFiletypeCharacterDevice;
  c.store_u64(ptr + 8, fd == 0 ? kRightFdRead : kRightFdWrite);
  return ret(results, kSuccess);
}

TrapKind wasi_fd_fdstat_set_flags(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, is_stdio(arg(args, 0)) ? kSuccess : kBadf);
}

TrapKind wasi_fd_filestat_get(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t fd = arg(args, 0), ptr = arg(args, 1);
  WARD_HOST_CHARGE(c, 0);
  if (!is_stdio(fd)) return ret(results, kBadf);
  WARD_HOST_TRY(c.check_range(ptr, kFilestatBytes));
  std::memset(c.at(ptr), 0, kFilestatBytes);
  c.at(ptr)[16] = kFiletypeCharacterDevice;
  return ret(results, kSuccess);
}

TrapKind wasi_fd_prestat_get(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, kBadf);
}

TrapKind wasi_fd_prestat_dir_name(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, kBadf);
}

TrapKind wasi_not_capable(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, kNotcapable);
}

TrapKind wasi_sizes_get(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t count_ptr = arg(args, 0), size_ptr = arg(args, 1);
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(count_ptr, 4));
  WARD_HOST_TRY(c.check_range(size_ptr, 4));
  c.store_u32(count_ptr, 0);
  c.store_u32(size_ptr, 0);
  return ret(results, kSuccess);
}

TrapKind wasi_list_get(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, kSuccess);  // zero entries: nothing to write
}

TrapKind wasi_clock_time_get(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t id = arg(args, 0), ptr = arg(args, 2);
  WARD_HOST_CHARGE(c, 0);
  if (id > 3) return ret(results, kInval);  // realtime, monotonic, process/thread cputime
  WARD_HOST_TRY(c.check_range(ptr, 8));
  c.store_u64(ptr, now_ns(c.env()));
  return ret(results, kSuccess);
}

TrapKind wasi_clock_res_get(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t id = arg(args, 0), ptr = arg(args, 1);
  WARD_HOST_CHARGE(c, 0);
  if (id > 3) return ret(results, kInval);
  WARD_HOST_TRY(c.check_range(ptr, 8));
  c.store_u64(ptr, kNanosPerSecond);
  return ret(results, kSuccess);
}

TrapKind wasi_random_get(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg(args, 0), len = arg(args, 1);
  if (len > c.limits().max_host_arg_bytes) {
    return c.too_big("buffer", len, "max_host_arg_bytes", c.limits().max_host_arg_bytes);
  }
  WARD_HOST_CHARGE(c, len);
  WARD_HOST_TRY(c.check_range(ptr, len));
  // Byte p of the stream is byte p % 32 of sha256(tx_hash || u64be(p / 32)).
  CallEnv& env = c.env();
  std::string seed = state::as_string(env.tx_hash) + state::encode_u64(0);
  uint64_t block_index = UINT64_MAX;
  state::Hash block{};
  for (uint32_t i = 0; i < len; ++i) {
    uint64_t pos = env.random_position + i;
    if (pos / 32 != block_index) {
      block_index = pos / 32;
      seed.replace(32, 8, state::encode_u64(block_index));
      block = state::sha256(seed);
    }
    c.at(ptr)[i] = block[pos % 32];
  }
  env.random_position += len;
  return ret(results, kSuccess);
}

TrapKind wasi_poll_oneoff(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t in = arg(args, 0), out = arg(args, 1), n = arg(args, 2), nevents = arg(args, 3);
  const uint32_t max = c.limits().max_host_arg_bytes;
  const uint64_t bytes = uint64_t{n} * kSubscriptionBytes;
  if (bytes > max) return c.too_big("subscription array", bytes, "max_host_arg_bytes", max);
  WARD_HOST_CHARGE(c, bytes);
  if (n == 0) return ret(results, kInval);
  WARD_HOST_TRY(c.check_range(in, bytes));
  WARD_HOST_TRY(c.check_range(out, uint64_t{n} * kEventBytes));
  WARD_HOST_TRY(c.check_range(nevents, 4));
  CallEnv& env = c.env();
  // Every clock fires at once: the virtual clock moves to the latest
  // deadline among the subscriptions (never backwards).
  uint64_t deadline = env.virtual_clock_ns;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t sub = in + i * kSubscriptionBytes;
    if (c.at(sub)[8] != kEventClock) continue;
    const uint64_t timeout = c.load_u32(sub + 24) | uint64_t{c.load_u32(sub + 28)} << 32;
    uint16_t flags = static_cast<uint16_t>(c.at(sub + 40)[0] | c.at(sub + 40)[1] << 8);
    uint64_t target = 0;
    if (flags & kSubclockAbstime) {
      const uint64_t now = now_ns(env);
      target = timeout > now ? env.virtual_clock_ns + (timeout - now) : env.virtual_clock_ns;
    } else {
      target = timeout > UINT64_MAX - env.virtual_clock_ns ? UINT64_MAX : env.virtual_clock_ns + timeout;
    }
    deadline = std::max(deadline, target);
  }
  env.virtual_clock_ns = deadline;
  // Copy the subscriptions first: `in` and `out` may overlap.
  std::string subs(c.view(in, static_cast<uint32_t>(bytes)));
  for (uint32_t i = 0; i < n; ++i) {
    const char* sub = subs.data() + size_t{i} * kSubscriptionBytes;
    uint8_t ev[kEventBytes] = {};
    std::memcpy(ev, sub, 8);  // userdata
    const uint8_t tag = static_cast<uint8_t>(sub[8]);
    ev[10] = tag;
    if (tag == kEventClock) {
      // fired
    } else if (tag == 1 || tag == 2) {  // fd_read, fd_write
      const auto* p = reinterpret_cast<const uint8_t*>(sub + 16);
      const uint32_t fd = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
      if (!is_stdio(fd)) ev[8] = static_cast<uint8_t>(kBadf);
    } else {
      ev[8] = static_cast<uint8_t>(kInval);
    }
    std::memcpy(c.at(out + i * kEventBytes), ev, kEventBytes);
  }
  c.store_u32(nevents, n);
  return ret(results, kSuccess);
}

TrapKind wasi_sched_yield(HostCall& hc, const Value*, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  return ret(results, kSuccess);
}

TrapKind wasi_proc_exit(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  WARD_HOST_CHARGE(c, 0);
  c.ctx().exit_code = static_cast<int32_t>(arg(args, 0));
  return TrapKind::Exit;
}

}  // namespace ward::host::detail

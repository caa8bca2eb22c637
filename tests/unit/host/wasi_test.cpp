#include "host_fixture.h"

#include "state/layout.h"

namespace ward::host::testing {
namespace {

class Wasi : public HostTest {
 protected:
  void poke_u64(uint32_t at, uint64_t v) {
    poke_u32(at, static_cast<uint32_t>(v));
    poke_u32(at + 4, static_cast<uint32_t>(v >> 32));
  }
};

TEST_P(Wasi, FdWriteGathersIovecsToDebugLines) {
  poke(100, "hello ");
  poke(200, "world\nsecond");
  poke_u32(0, 100);
  poke_u32(4, 6);
  poke_u32(8, 200);
  poke_u32(12, 12);
  Value res[1];
  ASSERT_EQ(wasi("fd_write", {1, 0, 2, 50}, res), TrapKind::None) << ctx.message;
  EXPECT_EQ(res[0].as_i32(), 0u);
  EXPECT_EQ(peek_u32(50), 18u);
  EXPECT_EQ(used(), 50u + 1u * (16 + 18));
  EXPECT_EQ(env.debug_lines, (std::vector<std::string>{"hello world"}));
  EXPECT_EQ(env.debug_partial, "second");
  env.debug_flush();
  EXPECT_EQ(env.debug_lines, (std::vector<std::string>{"hello world", "second"}));
}

TEST_P(Wasi, FdWriteErrors) {
  Value res[1];
  ASSERT_EQ(wasi("fd_write", {5, 0, 0, 50}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 8u) << "EBADF";
  ASSERT_EQ(wasi("fd_write", {0, 0, 0, 50}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 8u) << "stdin is not writable";
  poke_u32(0, 65530);
  poke_u32(4, 100);
  ASSERT_EQ(wasi("fd_write", {1, 0, 1, 50}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "fd_write: out of bounds memory range [65530, 65630) (memory is 65536 bytes)");
  ASSERT_EQ(wasi("fd_write", {1, 65532, 1, 50}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "fd_write: out of bounds memory range [65532, 65540) (memory is 65536 bytes)");
  limits.max_host_arg_bytes = 64;
  ASSERT_EQ(wasi("fd_write", {1, 0, 9, 50}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "fd_write: iovec array of 72 bytes exceeds max_host_arg_bytes (64)");
  EXPECT_TRUE(env.debug_lines.empty());
}

TEST_P(Wasi, FdReadIsEndOfFile) {
  Value res[1];
  poke_u32(0, 100);
  poke_u32(4, 10);
  poke_u32(40, 99);
  ASSERT_EQ(wasi("fd_read", {0, 0, 1, 40}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 0u);
  EXPECT_EQ(peek_u32(40), 0u);
  ASSERT_EQ(wasi("fd_read", {3, 0, 1, 40}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 8u);
}

TEST_P(Wasi, FdStatAndFiles) {
  Value res[1];
  ASSERT_EQ(wasi("fd_fdstat_get", {1, 64}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 0u);
  EXPECT_EQ(peek(64, 1)[0], 2) << "character device";
  EXPECT_EQ(peek_u64(72), 1ull << 6) << "fd_write right";
  ASSERT_EQ(wasi("fd_fdstat_get", {3, 64}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 8u);
  ASSERT_EQ(wasi("fd_seek", {1, 0, 0, 0}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 70u);
  ASSERT_EQ(wasi("fd_prestat_get", {3, 0}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 8u);
  ASSERT_EQ(wasi("path_open", {3, 0, 0, 0, 0, 0, 0, 0, 0}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 76u);
  ASSERT_EQ(wasi("fd_filestat_get", {2, 128}, res), TrapKind::None);
  EXPECT_EQ(peek(128 + 16, 1)[0], 2);
  ASSERT_EQ(wasi("fd_close", {1}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 0u);
}

TEST_P(Wasi, ArgsEnvironClocks) {
  Value res[1];
  poke_u32(0, 7);
  poke_u32(4, 7);
  ASSERT_EQ(wasi("args_sizes_get", {0, 4}, res), TrapKind::None);
  EXPECT_EQ(peek_u32(0), 0u);
  EXPECT_EQ(peek_u32(4), 0u);
  ASSERT_EQ(wasi("environ_get", {0, 4}, res), TrapKind::None);
  env.block_time = 1'700'000'010;
  ASSERT_EQ(wasi("clock_time_get", {1, 1000, 16}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 0u);
  EXPECT_EQ(peek_u64(16), 1'700'000'010ull * 1'000'000'000ull);
  ASSERT_EQ(wasi("clock_time_get", {9, 1000, 16}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 28u);
  ASSERT_EQ(wasi("clock_res_get", {0, 24}, res), TrapKind::None);
  EXPECT_EQ(peek_u64(24), 1'000'000'000ull);
  ASSERT_EQ(wasi("sched_yield", {}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 0u);
}

TEST_P(Wasi, RandomGetIsADeterministicStream) {
  env.tx_hash = state::sha256(std::string_view("tx"));
  Value res[1];
  ASSERT_EQ(wasi("random_get", {0, 50}, res), TrapKind::None);
  EXPECT_EQ(used(), 50u + 2u * 50);
  std::string once = peek(0, 50);
  // Byte p is byte p % 32 of sha256(tx_hash || u64be(p / 32)).
  state::Hash b0 = state::sha256(state::as_string(env.tx_hash) + state::encode_u64(0));
  state::Hash b1 = state::sha256(state::as_string(env.tx_hash) + state::encode_u64(1));
  EXPECT_EQ(once.substr(0, 32), state::as_string(b0));
  EXPECT_EQ(once.substr(32), state::as_string(b1).substr(0, 18));

  // The same stream in pieces, from a fresh call environment.
  CallEnv env2;
  env2.tx_hash = env.tx_hash;
  ctx.host_env = &env2;
  ASSERT_EQ(wasi("random_get", {100, 7}, res), TrapKind::None);
  ASSERT_EQ(wasi("random_get", {107, 43}, res), TrapKind::None);
  EXPECT_EQ(peek(100, 50), once);

  // Another transaction, other bytes.
  CallEnv env3;
  env3.tx_hash = state::sha256(std::string_view("tx2"));
  ctx.host_env = &env3;
  ASSERT_EQ(wasi("random_get", {200, 50}, res), TrapKind::None);
  EXPECT_NE(peek(200, 50), once);
}

TEST_P(Wasi, PollOneoffFiresClocksAtOnceOnAVirtualClock) {
  env.block_time = 100;
  const uint64_t t0 = 100ull * 1'000'000'000ull;
  // Subscription 0: relative clock, 5 ms; 1: fd_read on stdin; 2: fd_write on fd 7.
  poke_u64(0, 11);
  poke(8, std::string(1, '\0'));
  poke_u64(24, 5'000'000);
  poke_u64(48, 22);
  poke(56, std::string(1, '\1'));
  poke_u32(64, 0);
  poke_u64(96, 33);
  poke(104, std::string(1, '\2'));
  poke_u32(112, 7);
  Value res[1];
  ASSERT_EQ(wasi("poll_oneoff", {0, 1024, 3, 2000}, res), TrapKind::None) << ctx.message;
  EXPECT_EQ(res[0].as_i32(), 0u);
  EXPECT_EQ(used(), 50u + 3u * 48);
  EXPECT_EQ(peek_u32(2000), 3u);
  EXPECT_EQ(peek_u64(1024), 11u);
  EXPECT_EQ(peek(1024 + 8, 3), std::string("\0\0\0", 3)) << "clock fired, no error";
  EXPECT_EQ(peek_u64(1056), 22u);
  EXPECT_EQ(peek(1056 + 8, 3), std::string("\0\0\1", 3)) << "stdin ready";
  EXPECT_EQ(peek_u64(1088), 33u);
  EXPECT_EQ(peek(1088 + 8, 3), std::string("\x08\0\2", 3)) << "fd 7: EBADF";
  // The clocks moved by the timeout, and only in this call.
  ASSERT_EQ(wasi("clock_time_get", {1, 0, 16}, res), TrapKind::None);
  EXPECT_EQ(peek_u64(16), t0 + 5'000'000);
  // An absolute deadline 1 s after now moves the clock there; one in the past does not.
  poke_u64(0, 1);
  poke_u64(24, t0 + 1'000'000'000);
  poke(40, std::string("\1\0", 2));
  ASSERT_EQ(wasi("poll_oneoff", {0, 1024, 1, 2000}, res), TrapKind::None);
  ASSERT_EQ(wasi("clock_time_get", {0, 0, 16}, res), TrapKind::None);
  EXPECT_EQ(peek_u64(16), t0 + 1'000'000'000);
  poke_u64(24, 5);
  ASSERT_EQ(wasi("poll_oneoff", {0, 1024, 1, 2000}, res), TrapKind::None);
  ASSERT_EQ(wasi("clock_time_get", {0, 0, 16}, res), TrapKind::None);
  EXPECT_EQ(peek_u64(16), t0 + 1'000'000'000);
  CallEnv fresh;
  fresh.block_time = 100;
  ctx.host_env = &fresh;
  ASSERT_EQ(wasi("clock_time_get", {0, 0, 16}, res), TrapKind::None);
  EXPECT_EQ(peek_u64(16), t0) << "a new call starts at the block time";
}

TEST_P(Wasi, PollOneoffErrors) {
  Value res[1];
  ASSERT_EQ(wasi("poll_oneoff", {0, 1024, 0, 2000}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 28u) << "EINVAL for no subscriptions";
  ASSERT_EQ(wasi("poll_oneoff", {65500, 1024, 1, 2000}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "poll_oneoff: out of bounds memory range [65500, 65548) (memory is 65536 bytes)");
  limits.max_host_arg_bytes = 64;
  ASSERT_EQ(wasi("poll_oneoff", {0, 1024, 2, 2000}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "poll_oneoff: subscription array of 96 bytes exceeds max_host_arg_bytes (64)");
}

TEST_P(Wasi, ProcExit) {
  ASSERT_EQ(wasi("proc_exit", {3}), TrapKind::Exit);
  EXPECT_EQ(ctx.exit_code, 3);
}

WARD_INSTANTIATE_BACKENDS(Wasi);

}  // namespace
}  // namespace ward::host::testing

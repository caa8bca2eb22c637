// fuzz/mempool_program.h — the opcodes of fuzz_mempool's input programs,
// shared with the seed maker (make_seeds.cpp). Byte 0 of a program picks the
// mempool options (fuzz_mempool.cpp options_of); then each operation is an
// opcode byte (taken modulo kOpCount) and its operands; u16 are little-endian.
#pragma once

#include <cstdint>

namespace ward::fuzz {

enum MempoolOp : uint8_t {
  kAddRaw,       ///< u16 length, bytes: add() them as they are
  kAddDerived,   ///< key, template, i8 nonce delta, price, gas, i8 expiry delta, flags, then per flag:
                 ///< 2: u8 padding/16; 4: u16 position, u8 xor; 8: u16 new length; 16: u8 extra byte
                 ///< (flag 1: wrong chain id)
  kAddResigned,  ///< key, u16 length, bytes: decoded as a transaction and signed by the key
  kSelect,       ///< u8 max (modulo 24)
  kRemove,       ///< u8 count (modulo 8), count indexes into the held transactions, u8 (bit 0: also an unknown hash)
  kPrune,        ///< prune_stale()
  kAccount,      ///< key, u8 nonce increase (modulo 4), u8 balance choice (bit 7: the key's reads fail)
  kHead,         ///< u8: the head advances by it
  kReAdd,        ///< u8 index: add() bytes given before again
  kOpCount
};

}  // namespace ward::fuzz

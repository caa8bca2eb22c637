;; Sources of nondeterminism a contract can reach: WASI randomness and clocks
;; (seeded by the transaction, the block time) and NaN bits. Each result is
;; stored, and two runs must leave byte-identical states.
(module
  (import "ward_v1" "storage_put" (func $storage_put (param i32 i32 i32 i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "rand")
  (data (i32.const 8) "clock")
  (data (i32.const 16) "nan")
  (func (export "random")
    (if (call $random_get (i32.const 100) (i32.const 64)) (then unreachable))
    (call $storage_put (i32.const 0) (i32.const 4) (i32.const 100) (i32.const 64)))
  (func (export "clocks") (local $id i32)
    (loop $l
      (if (call $clock_time_get (local.get $id) (i64.const 1) (i32.add (i32.const 200) (i32.shl (local.get $id) (i32.const 3))))
        (then unreachable))
      (local.set $id (i32.add (local.get $id) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $id) (i32.const 4))))
    (call $storage_put (i32.const 8) (i32.const 5) (i32.const 200) (i32.const 32)))
  ;; NaN results of arithmetic are the canonical quiet NaN on every CPU
  ;; (x86 would give 0xffc00000 for 0/0); stored, then checked.
  (func (export "nan_bits") (local $z f32) (local $d f64)
    (i32.store (i32.const 300) (i32.reinterpret_f32 (f32.div (local.get $z) (local.get $z))))
    (i64.store (i32.const 304) (i64.reinterpret_f64 (f64.sqrt (f64.const -1))))
    (i32.store (i32.const 312) (i32.reinterpret_f32 (f32.add (f32.const nan:0x200001) (f32.const 1))))
    (i32.store (i32.const 316) (i32.reinterpret_f32 (f32.demote_f64 (f64.const -nan:0x4000000000001))))
    (if (i32.ne (i32.load (i32.const 300)) (i32.const 0x7fc00000)) (then unreachable))
    (if (i64.ne (i64.load (i32.const 304)) (i64.const 0x7ff8000000000000)) (then unreachable))
    (if (i32.ne (i32.load (i32.const 312)) (i32.const 0x7fc00000)) (then unreachable))
    (if (i32.ne (i32.load (i32.const 316)) (i32.const 0x7fc00000)) (then unreachable))
    (call $storage_put (i32.const 16) (i32.const 3) (i32.const 300) (i32.const 20)))
)

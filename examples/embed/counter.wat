;; examples/embed/counter.wat — a contract written directly against Ward's
;; host ABI v1 (docs/host-abi.md), used by the embedding example and tests.
;; Methods: increment (count += 1, emits "incremented", returns the count),
;; get (returns the count), fail (reverts with "nope"), boom (traps), spin
;; (never ends: runs out of gas). The count is stored under the key "count"
;; as 8 bytes, little-endian. `add` is a plain export (i32, i32) -> i32.
(module
  (import "ward_v1" "storage_get" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
  (import "ward_v1" "result_write" (func $result (param i32 i32)))
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (import "ward_v1" "revert" (func $revert (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "count")
  (data (i32.const 32) "incremented")
  (data (i32.const 48) "nope")
  ;; The stored count, 0 when absent.
  (func $load (result i64)
    (if (result i64)
        (i32.eq (call $get (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 8)) (i32.const -1))
      (then (i64.const 0))
      (else (i64.load (i32.const 16)))))
  ;; Writes v in decimal so that it ends at address 96; returns its start.
  (func $itoa (param $v i64) (result i32)
    (local $p i32)
    (local.set $p (i32.const 96))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $v) (i64.const 10))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $l (i64.ne (local.get $v) (i64.const 0))))
    (local.get $p))
  (func $reply (param $v i64)
    (local $p i32)
    (local.set $p (call $itoa (local.get $v)))
    (call $result (local.get $p) (i32.sub (i32.const 96) (local.get $p))))
  (func (export "increment")
    (local $v i64)
    (local $p i32)
    (local.set $v (i64.add (call $load) (i64.const 1)))
    (i64.store (i32.const 16) (local.get $v))
    (call $put (i32.const 0) (i32.const 5) (i32.const 16) (i32.const 8))
    (local.set $p (call $itoa (local.get $v)))
    (call $log (i32.const 32) (i32.const 11) (local.get $p) (i32.sub (i32.const 96) (local.get $p)))
    (call $reply (local.get $v)))
  (func (export "get") (call $reply (call $load)))
  (func (export "fail") (call $revert (i32.const 48) (i32.const 4)))
  (func (export "boom") unreachable)
  (func (export "spin") (loop $l (br $l)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))

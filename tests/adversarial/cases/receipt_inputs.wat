;; Results, events, revert reasons and nested calls aimed at the receipt
;; (hardening issue, findings 2 and 8: JSON nested 100,000 deep crashed the
;; serializer after the commit; invalid UTF-8 made `--json` output throw after
;; the commit), and writes aimed at the node's memory (finding 3: pending
;; writes of one transaction were unbounded). Each must trap before anything
;; is committed.
(module
  (import "ward_v1" "result_write" (func $result_write (param i32 i32)))
  (import "ward_v1" "revert" (func $revert (param i32 i32)))
  (import "ward_v1" "storage_put" (func $storage_put (param i32 i32 i32 i32)))
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (import "ward_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64 i64) (result i32)))
  (import "ward_v1" "self_address" (func $self (param i32)))
  (memory (export "memory") 20)
  (data (i32.const 0) "bad\ff")
  (data (i32.const 16) "\"a\ffb\"")
  (data (i32.const 32) "ev")
  (data (i32.const 48) "{}")
  (data (i32.const 64) "key")
  ;; [base, base+n) = '[' x n, [base+n, base+2n) = ']' x n
  (func $nest (param $base i32) (param $n i32)
    (memory.fill (local.get $base) (i32.const 91) (local.get $n))
    (memory.fill (i32.add (local.get $base) (local.get $n)) (i32.const 93) (local.get $n)))
  (func (export "result_nesting_100000")
    (call $nest (i32.const 65536) (i32.const 100000))
    (call $result_write (i32.const 65536) (i32.const 200000)))
  (func (export "result_nesting_65")
    (call $nest (i32.const 65536) (i32.const 65))
    (call $result_write (i32.const 65536) (i32.const 130)))
  (func (export "result_nesting_64")
    (call $nest (i32.const 65536) (i32.const 64))
    (call $result_write (i32.const 65536) (i32.const 128)))
  (func (export "event_nesting_100000")
    (call $nest (i32.const 65536) (i32.const 100000))
    (call $log (i32.const 32) (i32.const 2) (i32.const 65536) (i32.const 200000)))
  (func (export "revert_invalid_utf8") (call $revert (i32.const 0) (i32.const 4)))
  (func (export "event_name_invalid_utf8") (call $log (i32.const 0) (i32.const 4) (i32.const 48) (i32.const 2)))
  (func (export "event_data_invalid_utf8") (call $log (i32.const 32) (i32.const 2) (i32.const 16) (i32.const 5)))
  (func (export "result_invalid_utf8") (call $result_write (i32.const 16) (i32.const 5)))
  ;; A nested call whose method name is not UTF-8 (to itself: it would be
  ;; refused as reentrant, but the name entered the call trace).
  (func (export "call_method_invalid_utf8")
    (call $self (i32.const 100))
    (drop (call $call (i32.const 100) (i32.const 0) (i32.const 4) (i32.const 48) (i32.const 2)
                      (i64.const 0) (i64.const 0))))
  ;; 1 MiB values under new keys (the key is a counter) forever.
  (func (export "write_distinct_keys") (local $i i32)
    (loop $l
      (i32.store (i32.const 200) (local.get $i))
      (call $storage_put (i32.const 200) (i32.const 4) (i32.const 0) (i32.const 1048576))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  ;; 1 MiB values under one key forever: the pending set stays small, the
  ;; undo copies grow.
  (func (export "rewrite_one_key")
    (loop $l
      (call $storage_put (i32.const 64) (i32.const 3) (i32.const 0) (i32.const 1048576))
      (br $l)))
)

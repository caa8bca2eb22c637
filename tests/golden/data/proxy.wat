;; Calls the contract deployed first by the development address
;; (0x4607ba00a6758e3030f5fccd0cefbddb3511568d): `go` calls its method "record", `go_fail` its
;; method "fail", each attaching 30 of value; the status comes back as the result.
(module
  (import "ward_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64 i64) (result i32)))
  (import "ward_v1" "result_write" (func $rw (param i32 i32)))
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\46\07\ba\00\a6\75\8e\30\30\f5\fc\cd\0c\ef\bd\db\35\11\56\8d")
  (data (i32.const 32) "record")
  (data (i32.const 48) "fail")
  (data (i32.const 300) "{}")
  (data (i32.const 620) "pre")
  (data (i32.const 650) "0123")
  (func $go (param $m i32) (param $len i32)
    (call $log (i32.const 620) (i32.const 3) (i32.const 300) (i32.const 2))
    (call $rw (i32.add (i32.const 650)
      (call $call (i32.const 0) (local.get $m) (local.get $len) (i32.const 300) (i32.const 2) (i64.const 30) (i64.const 0)))
      (i32.const 1)))
  (func (export "go") (call $go (i32.const 32) (i32.const 6)))
  (func (export "go_fail") (call $go (i32.const 48) (i32.const 4))))

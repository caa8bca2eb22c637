;; A bare (invoke ...) of a function with two results: wast2json 1.0.32
;; writes its expected types without commas; ward spec-test repairs that.
(module
  (func (export "two") (result i32 i64) (i32.const 1) (i64.const 2))
)
(invoke "two")
(assert_return (invoke "two") (i32.const 1) (i64.const 2))

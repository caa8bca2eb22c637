;; A real host function imported with the wrong signature.
(module
  (import "ward_v1" "storage_put" (func (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "run")))

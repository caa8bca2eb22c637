(module
  (import "env" "abort" (func (param i32)))
  (import "ward_v1" "log" (func (param i32)))
  (memory (export "memory") 1))

;; Imports from a module other than ward_v1 / the WASI subset.
(module
  (import "env" "abort" (func (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "run")))

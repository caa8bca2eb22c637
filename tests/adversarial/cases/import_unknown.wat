;; Imports a host function Ward does not have.
(module
  (import "ward_v1" "mint_tokens" (func (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "run")))

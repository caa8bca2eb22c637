;; Imports a memory instead of defining one.
(module
  (import "env" "memory" (memory 1))
  (func (export "run")))

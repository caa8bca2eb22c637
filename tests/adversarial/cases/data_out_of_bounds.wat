;; An active data segment past the end of memory: instantiation traps, so the
;; deploy fails.
(module
  (memory (export "memory") 1)
  (data (i32.const 65530) "0123456789")
  (func (export "run")))

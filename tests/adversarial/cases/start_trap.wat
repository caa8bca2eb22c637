;; A start function that traps.
(module
  (memory (export "memory") 1)
  (func $start (unreachable))
  (start $start)
  (func (export "run")))

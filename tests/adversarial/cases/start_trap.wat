;; A start function that traps: the deploy fails (hardening issue, finding 18;
;; it was reported ok and every call failed).
(module
  (memory (export "memory") 1)
  (func $start (unreachable))
  (start $start)
  (func (export "run")))

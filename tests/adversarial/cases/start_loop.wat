;; A start function that never returns: deploy instantiates the module, so
;; the deploy stops with out of gas (hardening issue, finding 18).
(module
  (memory (export "memory") 1)
  (func $start (loop $l (br $l)))
  (start $start)
  (func (export "run")))

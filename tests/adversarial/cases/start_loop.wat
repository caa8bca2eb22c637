;; A start function that never returns: instantiation (at the first call)
;; stops with out of gas; deploy itself runs no code.
(module
  (memory (export "memory") 1)
  (func $start (loop $l (br $l)))
  (start $start)
  (func (export "run")))

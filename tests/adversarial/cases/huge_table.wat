;; Declares a table of 10 million elements.
(module
  (memory (export "memory") 1)
  (table 10000000 funcref)
  (func (export "run")))

;; Declares 4 GiB of initial memory.
(module
  (memory (export "memory") 65536)
  (func (export "run")))

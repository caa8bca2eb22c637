;; A module whose only exports cannot be called as methods (hardening issue,
;; finding 18): a function with a parameter, one with a result, and the
;; reserved `_start`. Deploy rejects it.
(module
  (memory (export "memory") 1)
  (func (export "takes") (param i32))
  (func (export "gives") (result i32) (i32.const 0))
  (func (export "_start")))

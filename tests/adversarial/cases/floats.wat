;; Uses floating point: accepted with --float-policy allow, rejected with deny.
(module
  (memory (export "memory") 1)
  (func (export "run") (drop (f64.add (f64.const 1) (f64.const 2)))))

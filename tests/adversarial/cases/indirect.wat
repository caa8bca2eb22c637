;; call_indirect abuse: null entries, index past the table, wrong type.
(module
  (type $v (func))
  (type $i (func (param i32) (result i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $f)
  (func $f)
  (func (export "null_entry") (call_indirect (type $v) (i32.const 1)))
  (func (export "past_the_table") (call_indirect (type $v) (i32.const -1)))
  (func (export "wrong_type") (drop (call_indirect (type $i) (i32.const 7) (i32.const 0)))))

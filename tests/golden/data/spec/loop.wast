;; A script whose second invoke never ends on its own: `ward spec-test`
;; must stop it (gas or the wall-clock limit) and go on.
(module
  (func (export "one") (result i32) (i32.const 1))
  (func (export "spin") (loop $l (br $l))))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "spin"))
(assert_return (invoke "one") (i32.const 1))

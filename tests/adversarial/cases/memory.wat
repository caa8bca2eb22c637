;; Memory attacks: growth stops at max_memory_pages (memory.grow returns -1),
;; growth is paid per page, bulk operations are bounds-checked and paid per byte.
(module
  (memory (export "memory") 1)
  (func (export "grow_until_refused")
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (if (i32.ne (memory.size) (i32.const 1024)) (then unreachable)))
  (func (export "grow_huge")
    (if (i32.ne (memory.grow (i32.const 65536)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.grow (i32.const -1)) (i32.const -1)) (then unreachable))
    (if (i32.ne (memory.size) (i32.const 1)) (then unreachable)))
  (func (export "grow_in_loop_forever")
    (loop $l (drop (memory.grow (i32.const 1))) (br $l)))
  (func (export "copy_out_of_bounds")
    (memory.copy (i32.const 65500) (i32.const 0) (i32.const 100)))
  ;; 4 GiB copy: its per-byte gas is charged before the bounds check, so the
  ;; call runs out of gas without touching memory.
  (func (export "copy_4gib")
    (memory.copy (i32.const 0) (i32.const 1) (i32.const -1)))
  (func (export "fill_out_of_bounds")
    (memory.fill (i32.const 65535) (i32.const 0) (i32.const 2)))
  (func (export "load_out_of_bounds")
    (drop (i64.load offset=0xFFFFFFFF (i32.const -1))))
)

;; Max-pooling by 2 fused onto the direct conv1d (Conv1d → ReLU → MaxPool1d(2), the Conv1D
;; encoder's stages): the pool runs on the conv's output rows while they are still in linear
;; memory, and its backward writes dy straight into the padded rows the conv backward reads.
;; TypeScript side: src/backends/wasm/conv-direct.ts. Part of the second module (conv-module.wat).

;; y[r, i] = max(x[r, 2i], x[r, 2i + 1]), s[r, i] = 1 where the second is taken (it is greater,
;; or NaN), else 0 (the first on ties), for r < rows, i < P: P a multiple of 4 (x rows are read
;; up to 2P floats), x rows lx bytes apart, y and s rows ly bytes apart (s an i32 array).
;; twin: src/backends/composed/conv-pool.ts pairMax
(func (export "max_pool2") (param $x i32) (param $lx i32) (param $rows i32) (param $P i32)
  (param $y i32) (param $s i32) (param $ly i32)
  (local $r i32) (local $i i32) (local $px i32) (local $o i32)
  (local $a v128) (local $b v128) (local $m v128)
  (block $done (loop $row
    (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $px (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $lx))))
    (local.set $o (i32.mul (local.get $r) (local.get $ly)))
    (local.set $i (i32.const 0))
    (block $row_done (loop $vec
      (br_if $row_done (i32.ge_u (local.get $i) (local.get $P)))
      (local.set $a (v128.load (local.get $px)))
      (local.set $b (v128.load offset=16 (local.get $px)))
      ;; a ← the pairs' first values (lanes 0, 2 of both), b ← their second values (lanes 1, 3)
      (local.set $m (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a) (local.get $b)))
      (local.set $b (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a) (local.get $b)))
      (local.set $a (local.get $m))
      (local.set $m (v128.or (f32x4.gt (local.get $b) (local.get $a)) (f32x4.ne (local.get $b) (local.get $b))))
      (v128.store (i32.add (local.get $y) (local.get $o)) (v128.bitselect (local.get $b) (local.get $a) (local.get $m)))
      (v128.store (i32.add (local.get $s) (local.get $o)) (i32x4.shr_u (local.get $m) (i32.const 31)))
      (local.set $px (i32.add (local.get $px) (i32.const 32)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $row))))

;; The pool's backward through the ReLU before it: g[r, 2i + s[r, i]] = y[r, i] > 0 ? dy[r, i] : 0
;; and g[r, 2i + 1 − s[r, i]] = 0, for r < rows, i < P (a multiple of 4; g rows written up to 2P
;; floats). dy, y (the pooled output) and s rows ld bytes apart, g rows lg bytes apart (g need
;; not be 16-byte aligned: it is the conv backward's padded dy rows, at their offset).
;; twin: src/backends/composed/conv-pool.ts unpool2
(func (export "unpool2") (param $dy i32) (param $y i32) (param $s i32) (param $ld i32) (param $rows i32)
  (param $P i32) (param $g i32) (param $lg i32)
  (local $r i32) (local $i i32) (local $o i32) (local $pg i32)
  (local $v v128) (local $m v128) (local $a v128)
  (block $done (loop $row
    (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $o (i32.mul (local.get $r) (local.get $ld)))
    (local.set $pg (i32.add (local.get $g) (i32.mul (local.get $r) (local.get $lg))))
    (local.set $i (i32.const 0))
    (block $row_done (loop $vec
      (br_if $row_done (i32.ge_u (local.get $i) (local.get $P)))
      (local.set $v (v128.and (v128.load (i32.add (local.get $dy) (local.get $o)))
                              (f32x4.gt (v128.load (i32.add (local.get $y) (local.get $o))) (v128.const f32x4 0 0 0 0))))
      (local.set $m (i32x4.neg (v128.load (i32.add (local.get $s) (local.get $o)))))   ;; all ones where the second
      (local.set $a (v128.andnot (local.get $v) (local.get $m)))                        ;; to the first of each pair
      (local.set $v (v128.and (local.get $v) (local.get $m)))                           ;; to the second
      (v128.store (local.get $pg) (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $v)))
      (v128.store offset=16 (local.get $pg) (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $v)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (local.set $pg (i32.add (local.get $pg) (i32.const 32)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $row))))

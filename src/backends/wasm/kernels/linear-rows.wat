;; Row helpers of the gemm's operands: the bias gradient (src/backends/wasm/linear.ts) and moving
;; rows between a packed and a padded row stride (src/backends/wasm/matmul.ts copyInRows). Part of
;; the second module (conv-module.wat), beside relu_mask, which masks dy by a layer's ReLU output:
;; the core module has no room left under Chromium's 4,096-byte synchronous-compile limit.

;; out[j] += Σ_{r < rows} g[r, j] for j < n, g[r, j] at g + r·ld + 4j (ld in bytes); n a multiple
;; of 4, rows added to out[j] one by one in order in f32 (exactly the TS twin's sums). The
;; last row is read up to n − 1 even where the row is shorter: the caller leaves 3 floats of slack.
;; twin: src/backends/cpu/elementwise.ts sumToShape
(func (export "col_sum") (param $g i32) (param $rows i32) (param $n i32) (param $ld i32) (param $out i32)
  (local $r i32) (local $p i32) (local $acc v128)
  (block $done (loop $col
    (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
    (local.set $acc (v128.load (local.get $out)))
    (local.set $p (local.get $g))
    (local.set $r (local.get $rows))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.le_s (local.get $r) (i32.const 0)))
      (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (local.get $ld)))
      (local.set $r (i32.sub (local.get $r) (i32.const 1)))
      (br $row)))
    (v128.store (local.get $out) (local.get $acc))
    (local.set $g (i32.add (local.get $g) (i32.const 16)))
    (local.set $out (i32.add (local.get $out) (i32.const 16)))
    (local.set $n (i32.sub (local.get $n) (i32.const 4)))
    (br $col))))

;; Moves `rows` rows of `bytes` bytes at p from row stride `from` to row stride `to` (bytes), in
;; place: spreading (to > from) from the last row, packing (to < from) from the first, so no row
;; is overwritten before it moves (memory.copy is a memmove). Replaces a TS loop of one
;; Float32Array.set per row (measured 4.6 us for [64,140] against 0.4 us for one set).
;; twin: src/backends/wasm/matmul.ts copyInRows
(func (export "restride") (param $p i32) (param $rows i32) (param $from i32) (param $to i32) (param $bytes i32)
  (local $r i32)
  (if (i32.gt_u (local.get $to) (local.get $from))
    (then
      (local.set $r (i32.sub (local.get $rows) (i32.const 1)))
      (block $done (loop $back
        (br_if $done (i32.le_s (local.get $r) (i32.const 0)))
        (memory.copy (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $to)))
                     (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $from))) (local.get $bytes))
        (local.set $r (i32.sub (local.get $r) (i32.const 1)))
        (br $back))))
    (else
      (local.set $r (i32.const 1))
      (block $done (loop $fwd
        (br_if $done (i32.ge_s (local.get $r) (local.get $rows)))
        (memory.copy (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $to)))
                     (i32.add (local.get $p) (i32.mul (local.get $r) (local.get $from))) (local.get $bytes))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $fwd))))))

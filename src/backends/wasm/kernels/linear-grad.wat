;; The linear layer's bias gradient (TypeScript side: src/backends/wasm/linear.ts). Part of the
;; second module (conv-module.wat), beside relu_mask, which masks dy by the layer's ReLU output:
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

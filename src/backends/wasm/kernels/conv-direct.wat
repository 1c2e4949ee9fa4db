;; The direct conv1d family (stride 1): small channel counts convolved straight from the padded
;; input, no row matrix. TypeScript side: src/backends/wasm/conv-direct.ts. Part of the second
;; module (conv-module.wat, which imports the core module's memory), so each module stays within
;; the 4,096 bytes Chromium compiles synchronously on a page's main thread.

;; y[n, co, t] = bias[co] + Σ_ci Σ_k w[co, ci, k] · x[n, ci, t + k]  for t < T, co < cout.
;; x is the zero-padded input (x[n, ci, j] at x + n·xsn + ci·lx + 4j; the caller puts the
;; original sample j − p there), so no bounds checks: a 4-channel x 8-position register tile
;; (8 accumulators), two unaligned x loads and four weight splats per (ci, k).
;; w is packed [cout/4][cin][K][4] (the 4 channels of a tile side by side); bias [cout].
;; y[n, co, t] at y + n·ysn + co·ly + 4t. cout a multiple of 4, T of 8 (the wrapper pads:
;; padded channels have zero weights and padded positions read zeros; neither is copied out).
;; relu (a mode): bit 0 set: each stored value v becomes v > 0 ? v : 0 (NaN → 0, as the TS twin);
;; bit 1 set: the tile starts from y's values instead of the bias (y += conv; the input gradient
;; accumulating into dx's rows, copied in: a first gradient is 0 + Σ, the same sums). The input
;; gradient is this kernel too: dx = conv(dy padded by K − 1 − p, w flipped in k, channels swapped).
;; twin: src/backends/cpu/conv.ts conv1dNaive (and conv1dBackwardNaive's dx for the input gradient)
(func (export "conv_direct")
  (param $x i32) (param $xsn i32) (param $lx i32) (param $cin i32) (param $w i32) (param $bias i32)
  (param $y i32) (param $ysn i32) (param $ly i32) (param $cout i32) (param $K i32) (param $T i32) (param $N i32) (param $relu i32)
  (local $n i32) (local $cb i32) (local $t i32) (local $ci i32) (local $k i32)
  (local $pxr i32) (local $px i32) (local $pw i32) (local $pwb i32) (local $py i32)
  (local $x0 v128) (local $x1 v128) (local $wv v128)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
  (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (block $n_done (loop $n_loop
    (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
    (local.set $cb (i32.const 0))
    (block $cb_done (loop $cb_loop
      (br_if $cb_done (i32.ge_u (local.get $cb) (local.get $cout)))
      ;; the tile's packed weights: block cb/4 of cin·K·16 bytes
      (local.set $pwb (i32.add (local.get $w) (i32.shl (i32.mul (i32.mul (local.get $cb) (local.get $cin)) (local.get $K)) (i32.const 2))))
      (local.set $t (i32.const 0))
      (block $t_done (loop $t_loop
        (br_if $t_done (i32.ge_u (local.get $t) (local.get $T)))
        ;; the tile's rows cb..cb+3 of sample n, positions t..t+7
        (local.set $py (i32.add (i32.add (i32.add (local.get $y) (i32.mul (local.get $n) (local.get $ysn)))
                                         (i32.mul (local.get $cb) (local.get $ly))) (i32.shl (local.get $t) (i32.const 2))))
        (if (i32.and (local.get $relu) (i32.const 2))
          (then                                                     ;; accumulate: start from what y holds
            (local.set $c00 (v128.load (local.get $py)))
            (local.set $c01 (v128.load offset=16 (local.get $py)))
            (local.set $c10 (v128.load (i32.add (local.get $py) (local.get $ly))))
            (local.set $c11 (v128.load offset=16 (i32.add (local.get $py) (local.get $ly))))
            (local.set $c20 (v128.load (i32.add (local.get $py) (i32.shl (local.get $ly) (i32.const 1)))))
            (local.set $c21 (v128.load offset=16 (i32.add (local.get $py) (i32.shl (local.get $ly) (i32.const 1)))))
            (local.set $c30 (v128.load (i32.add (local.get $py) (i32.mul (local.get $ly) (i32.const 3)))))
            (local.set $c31 (v128.load offset=16 (i32.add (local.get $py) (i32.mul (local.get $ly) (i32.const 3))))))
          (else
            (local.set $c00 (v128.load32_splat offset=0 (i32.add (local.get $bias) (i32.shl (local.get $cb) (i32.const 2)))))
            (local.set $c01 (local.get $c00))
            (local.set $c10 (v128.load32_splat offset=4 (i32.add (local.get $bias) (i32.shl (local.get $cb) (i32.const 2)))))
            (local.set $c11 (local.get $c10))
            (local.set $c20 (v128.load32_splat offset=8 (i32.add (local.get $bias) (i32.shl (local.get $cb) (i32.const 2)))))
            (local.set $c21 (local.get $c20))
            (local.set $c30 (v128.load32_splat offset=12 (i32.add (local.get $bias) (i32.shl (local.get $cb) (i32.const 2)))))
            (local.set $c31 (local.get $c30))))
        (local.set $pw (local.get $pwb))
        (local.set $pxr (i32.add (i32.add (local.get $x) (i32.mul (local.get $n) (local.get $xsn))) (i32.shl (local.get $t) (i32.const 2))))
        (local.set $ci (local.get $cin))
        (block $ci_done (loop $ci_loop
          (br_if $ci_done (i32.eqz (local.get $ci)))
          (local.set $px (local.get $pxr))
          (local.set $k (local.get $K))
          (block $k_done (loop $k_loop
            (br_if $k_done (i32.eqz (local.get $k)))
            (local.set $x0 (v128.load (local.get $px)))
            (local.set $x1 (v128.load offset=16 (local.get $px)))
            (local.set $wv (v128.load32_splat (local.get $pw)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $wv (v128.load32_splat offset=4 (local.get $pw)))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $wv (v128.load32_splat offset=8 (local.get $pw)))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $wv (v128.load32_splat offset=12 (local.get $pw)))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $wv) (local.get $x0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $wv) (local.get $x1))))
            (local.set $px (i32.add (local.get $px) (i32.const 4)))
            (local.set $pw (i32.add (local.get $pw) (i32.const 16)))
            (local.set $k (i32.sub (local.get $k) (i32.const 1)))
            (br $k_loop)))
          (local.set $pxr (i32.add (local.get $pxr) (local.get $lx)))
          (local.set $ci (i32.sub (local.get $ci) (i32.const 1)))
          (br $ci_loop)))
        (if (i32.and (local.get $relu) (i32.const 1))
          (then
            (local.set $c00 (v128.and (local.get $c00) (f32x4.gt (local.get $c00) (v128.const f32x4 0 0 0 0))))
            (local.set $c01 (v128.and (local.get $c01) (f32x4.gt (local.get $c01) (v128.const f32x4 0 0 0 0))))
            (local.set $c10 (v128.and (local.get $c10) (f32x4.gt (local.get $c10) (v128.const f32x4 0 0 0 0))))
            (local.set $c11 (v128.and (local.get $c11) (f32x4.gt (local.get $c11) (v128.const f32x4 0 0 0 0))))
            (local.set $c20 (v128.and (local.get $c20) (f32x4.gt (local.get $c20) (v128.const f32x4 0 0 0 0))))
            (local.set $c21 (v128.and (local.get $c21) (f32x4.gt (local.get $c21) (v128.const f32x4 0 0 0 0))))
            (local.set $c30 (v128.and (local.get $c30) (f32x4.gt (local.get $c30) (v128.const f32x4 0 0 0 0))))
            (local.set $c31 (v128.and (local.get $c31) (f32x4.gt (local.get $c31) (v128.const f32x4 0 0 0 0))))))
        ;; store the tile
        (v128.store (local.get $py) (local.get $c00))
        (v128.store offset=16 (local.get $py) (local.get $c01))
        (local.set $py (i32.add (local.get $py) (local.get $ly)))
        (v128.store (local.get $py) (local.get $c10))
        (v128.store offset=16 (local.get $py) (local.get $c11))
        (local.set $py (i32.add (local.get $py) (local.get $ly)))
        (v128.store (local.get $py) (local.get $c20))
        (v128.store offset=16 (local.get $py) (local.get $c21))
        (local.set $py (i32.add (local.get $py) (local.get $ly)))
        (v128.store (local.get $py) (local.get $c30))
        (v128.store offset=16 (local.get $py) (local.get $c31))
        (local.set $t (i32.add (local.get $t) (i32.const 8)))
        (br $t_loop)))
      (local.set $cb (i32.add (local.get $cb) (i32.const 4)))
      (br $cb_loop)))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (br $n_loop))))

;; The sum of a vector's four lanes.
(func $hsum (param $v v128) (result f32)
  (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
           (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

;; dw[co, ci, k] = Σ_n Σ_{t<T} g[n, co, t] · x[n, ci, t + k]  for co < cout, k < K2 (overwritten):
;; the weight gradient, with x the same zero-padded input as conv_direct's and g = dy
;; (g[n, co, t] at g + n·gsn + co·lg + 4t; zero for t ≥ Lout and for padded channels).
;; A 4-channel x 2-tap register tile summed over the whole batch (8 accumulators, lanes are 4
;; consecutive t), then each accumulator's lanes added. dw [cout][cin][K2] contiguous; cout a
;; multiple of 4, K2 of 2, T of 4 (padded taps are scratch the wrapper never copies out).
;; twin: src/backends/cpu/conv.ts conv1dBackwardNaive (its dw)
(func (export "conv_wgrad")
  (param $x i32) (param $xsn i32) (param $lx i32) (param $cin i32)
  (param $g i32) (param $gsn i32) (param $lg i32) (param $cout i32)
  (param $K2 i32) (param $T i32) (param $N i32) (param $dw i32)
  (local $cb i32) (local $ci i32) (local $kb i32) (local $n i32) (local $t i32)
  (local $px i32) (local $pg0 i32) (local $pg1 i32) (local $pg2 i32) (local $pg3 i32) (local $pd i32) (local $ld i32)
  (local $x0 v128) (local $x1 v128) (local $gv v128)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
  (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (local.set $ld (i32.shl (i32.mul (local.get $cin) (local.get $K2)) (i32.const 2)))   ;; bytes per co row of dw
  (block $cb_done (loop $cb_loop
    (br_if $cb_done (i32.ge_u (local.get $cb) (local.get $cout)))
    (local.set $ci (i32.const 0))
    (block $ci_done (loop $ci_loop
      (br_if $ci_done (i32.ge_u (local.get $ci) (local.get $cin)))
      (local.set $kb (i32.const 0))
      (block $kb_done (loop $kb_loop
        (br_if $kb_done (i32.ge_u (local.get $kb) (local.get $K2)))
        (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $n (i32.const 0))
        (block $n_done (loop $n_loop
          (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
          (local.set $pg0 (i32.add (i32.add (local.get $g) (i32.mul (local.get $n) (local.get $gsn))) (i32.mul (local.get $cb) (local.get $lg))))
          (local.set $pg1 (i32.add (local.get $pg0) (local.get $lg)))
          (local.set $pg2 (i32.add (local.get $pg1) (local.get $lg)))
          (local.set $pg3 (i32.add (local.get $pg2) (local.get $lg)))
          (local.set $px (i32.add (i32.add (i32.add (local.get $x) (i32.mul (local.get $n) (local.get $xsn)))
                                           (i32.mul (local.get $ci) (local.get $lx))) (i32.shl (local.get $kb) (i32.const 2))))
          (local.set $t (local.get $T))
          (block $t_done (loop $t_loop
            (br_if $t_done (i32.eqz (local.get $t)))
            (local.set $x0 (v128.load (local.get $px)))
            (local.set $x1 (v128.load offset=4 (local.get $px)))
            (local.set $gv (v128.load (local.get $pg0)))
            (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $gv) (local.get $x0))))
            (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $gv) (local.get $x1))))
            (local.set $pg0 (i32.add (local.get $pg0) (i32.const 16)))
            (local.set $gv (v128.load (local.get $pg1)))
            (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $gv) (local.get $x0))))
            (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $gv) (local.get $x1))))
            (local.set $pg1 (i32.add (local.get $pg1) (i32.const 16)))
            (local.set $gv (v128.load (local.get $pg2)))
            (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $gv) (local.get $x0))))
            (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $gv) (local.get $x1))))
            (local.set $pg2 (i32.add (local.get $pg2) (i32.const 16)))
            (local.set $gv (v128.load (local.get $pg3)))
            (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $gv) (local.get $x0))))
            (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $gv) (local.get $x1))))
            (local.set $pg3 (i32.add (local.get $pg3) (i32.const 16)))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (local.set $t (i32.sub (local.get $t) (i32.const 4)))
            (br $t_loop)))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $n_loop)))
        ;; dw[cb + r, ci, kb], dw[cb + r, ci, kb + 1] for r = 0…3
        (local.set $pd (i32.add (local.get $dw) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $cb) (local.get $cin)) (local.get $ci)) (local.get $K2)) (local.get $kb)) (i32.const 2))))
        (f32.store (local.get $pd) (call $hsum (local.get $c00)))
        (f32.store offset=4 (local.get $pd) (call $hsum (local.get $c01)))
        (local.set $pd (i32.add (local.get $pd) (local.get $ld)))
        (f32.store (local.get $pd) (call $hsum (local.get $c10)))
        (f32.store offset=4 (local.get $pd) (call $hsum (local.get $c11)))
        (local.set $pd (i32.add (local.get $pd) (local.get $ld)))
        (f32.store (local.get $pd) (call $hsum (local.get $c20)))
        (f32.store offset=4 (local.get $pd) (call $hsum (local.get $c21)))
        (local.set $pd (i32.add (local.get $pd) (local.get $ld)))
        (f32.store (local.get $pd) (call $hsum (local.get $c30)))
        (f32.store offset=4 (local.get $pd) (call $hsum (local.get $c31)))
        (local.set $kb (i32.add (local.get $kb) (i32.const 2)))
        (br $kb_loop)))
      (local.set $ci (i32.add (local.get $ci) (i32.const 1)))
      (br $ci_loop)))
    (local.set $cb (i32.add (local.get $cb) (i32.const 4)))
    (br $cb_loop))))
;; g[i] = y[i] > 0 ? g[i] : 0 for i < n (n a multiple of 4): dy through the ReLU fused into the
;; forward, y being its output (exactly where the pre-activation was > 0).
;; twin: src/backends/composed/conv-rows.ts maskByRelu
(func (export "relu_mask") (param $g i32) (param $y i32) (param $n i32)
  (block $done (loop $vec
    (br_if $done (i32.le_s (local.get $n) (i32.const 0)))
    (v128.store (local.get $g) (v128.and (v128.load (local.get $g)) (f32x4.gt (v128.load (local.get $y)) (v128.const f32x4 0 0 0 0))))
    (local.set $g (i32.add (local.get $g) (i32.const 16)))
    (local.set $y (i32.add (local.get $y) (i32.const 16)))
    (local.set $n (i32.sub (local.get $n) (i32.const 4)))
    (br $vec))))

;; Lays out `rows` rows of lb bytes, packed at base, as rows of lxb bytes with the data at byte
;; pb and zeros around it, in place: from the last row, each row moved (memory.copy, a memmove)
;; before the zeros around it are written, so no row is overwritten before it moves (needs
;; pb + lb <= lxb). The zero-padded conv input, after one contiguous copy in.
;; twin: src/backends/wasm/conv-direct.ts copyInPadded
(func (export "pad_rows") (param $base i32) (param $rows i32) (param $lb i32) (param $lxb i32) (param $pb i32)
  (local $r i32) (local $row i32)
  (local.set $r (local.get $rows))
  (block $done (loop $back
    (br_if $done (i32.le_s (local.get $r) (i32.const 0)))
    (local.set $r (i32.sub (local.get $r) (i32.const 1)))
    (local.set $row (i32.add (local.get $base) (i32.mul (local.get $r) (local.get $lxb))))
    (memory.copy (i32.add (local.get $row) (local.get $pb))
                 (i32.add (local.get $base) (i32.mul (local.get $r) (local.get $lb))) (local.get $lb))
    (memory.fill (i32.add (local.get $row) (i32.add (local.get $pb) (local.get $lb))) (i32.const 0)
                 (i32.sub (local.get $lxb) (i32.add (local.get $pb) (local.get $lb))))
    (memory.fill (local.get $row) (i32.const 0) (local.get $pb))
    (br $back))))

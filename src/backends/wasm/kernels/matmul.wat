;; The matmul family: gemm (every matmul layout), and the two steps around it in the linear layer
;; and 'nt' (bias_act, transpose). TypeScript side: src/backends/wasm/matmul.ts, linear.ts.
;; Part of one module: spliced into module.wat by scripts/build-wasm.ts (not a module by itself).

;; C[m,n] (+)= A[m,k] · B[k,n] with a 4-row x 8-column register tile: 8 v128 accumulators
;; (4 rows x 2 vectors), A[i,p] broadcast with load32_splat, B[p, j..j+7] two v128 loads.
;; m must be a multiple of 4 and n of 8: the wrapper pads (padded rows/columns of A, B, C are
;; scratch whose values are never copied out; SIMD lanes never mix, so they cannot leak).
;; A[i,p] lives at a + i*ars + p*acs, so one kernel serves A ('nn', acs = 4) and Aᵀ ('tn', ars = 4).
;; B[p,j] at b + p*ldb + 4j; C[i,j] at c + i*ldc + 4j. acc != 0 adds into C instead of overwriting.
;;
;; In pseudo-code (x4 is a vector of 4 f32 lanes; splat(v) is v in all four lanes):
;;
;;   for i = 0, 4, 8, … < m:                          ; rows: a band of 4 rows of A and C
;;     for j = 0, 8, 16, … < n:                       ; cols: a tile of 8 columns of B and C
;;       ① c[r][h] = 0 (x4) for r = 0…3, h = 0…1      ; 8 accumulators, kept in registers
;;       ② pa[r] = &A[i+r, 0];  pb = &B[0, j]
;;       ③ for p = 0 … k−1:                           ; inner
;;           b0 = B[p, j…j+3];  b1 = B[p, j+4…j+7]    ; two vector loads
;;           for r = 0…3:                              ; written out four times, no loop
;;             a = splat(A[i+r, p])
;;             c[r][0] += a·b0;  c[r][1] += a·b1
;;       ④ if acc: c[r][h] += C[i+r, j+4h…j+4h+3]
;;          C[i+r, j…j+7] = c[r][0], c[r][1]          ; for r = 0…3
;;
;; The steps stay in one function on purpose: moving the tile (②–④) into a `$tile_4x8` and the
;; store into a `$store_row` gave bit-identical results but cost 1.12x (256x140x64), 1.54x (an LSTM
;; step, 32x32x128) and 3.0x (k = 1) in Node 20, which does not inline wasm calls (measured).
;; twin: src/backends/cpu/matmul.ts matmulBlocked (and matmulNaive, the plain triple loop)
(func $gemm (export "gemm")
  (param $a i32) (param $b i32) (param $c i32)
  (param $m i32) (param $k i32) (param $n i32)
  (param $ars i32) (param $acs i32) (param $ldb i32) (param $ldc i32) (param $acc i32)
  (local $i i32) (local $j i32) (local $p i32)
  (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
  (local $b0 v128) (local $b1 v128) (local $av v128)
  (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
  (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
  (block $rows_done
    (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $cols_done
        (loop $cols
          (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
          ;; ① Zero the tile's accumulators.
          (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
          (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
          (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
          (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
          ;; ② Point at the tile's four rows of A and its eight columns of B.
          (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
          (local.set $pa1 (i32.add (local.get $pa0) (local.get $ars)))
          (local.set $pa2 (i32.add (local.get $pa1) (local.get $ars)))
          (local.set $pa3 (i32.add (local.get $pa2) (local.get $ars)))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
          ;; ③ k rank-1 updates: c += A[i..i+3, p] ⊗ B[p, j..j+7].
          (local.set $p (local.get $k))
          (block $k_done
            (loop $inner
              (br_if $k_done (i32.eqz (local.get $p)))
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $av (v128.load32_splat (local.get $pa0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat (local.get $pa1)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat (local.get $pa2)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat (local.get $pa3)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $pa0 (i32.add (local.get $pa0) (local.get $acs)))
              (local.set $pa1 (i32.add (local.get $pa1) (local.get $acs)))
              (local.set $pa2 (i32.add (local.get $pa2) (local.get $acs)))
              (local.set $pa3 (i32.add (local.get $pa3) (local.get $acs)))
              (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br $inner)))
          ;; ④ Store the 4x8 tile (adding what C holds when accumulating).
          (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                                  (i32.shl (local.get $j) (i32.const 2))))
          (if (local.get $acc)
            (then
              (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $pc))))
              (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $pc))))
              (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
              (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $pc))))
              (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $pc))))
              (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
              (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $pc))))
              (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $pc))))
              (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
              (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $pc))))
              (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $pc))))
              (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                                      (i32.shl (local.get $j) (i32.const 2))))))
          (v128.store (local.get $pc) (local.get $c00))
          (v128.store offset=16 (local.get $pc) (local.get $c01))
          (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
          (v128.store (local.get $pc) (local.get $c10))
          (v128.store offset=16 (local.get $pc) (local.get $c11))
          (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
          (v128.store (local.get $pc) (local.get $c20))
          (v128.store offset=16 (local.get $pc) (local.get $c21))
          (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
          (v128.store (local.get $pc) (local.get $c30))
          (v128.store offset=16 (local.get $pc) (local.get $c31))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $cols)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $rows))))

;; The linear layer's epilogue on the padded C [rows, ldc bytes]: c += bias (per column, n8 of
;; them), then ReLU when relu != 0, as the TS twin: c > 0 ? c : 0 (so NaN → 0, as there).
;; twin: src/backends/composed/linear.ts linearForward (its bias add and ReLU after the matmul)
(func (export "bias_act") (param $c i32) (param $rows i32) (param $n8 i32) (param $ldc i32) (param $bias i32) (param $relu i32)
  (local $r i32) (local $j i32) (local $pc i32) (local $v v128)
  (block $rows_done
    (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $pc (i32.add (local.get $c) (i32.mul (local.get $r) (local.get $ldc))))
      (local.set $j (i32.const 0))
      (block $cols_done
        (loop $col
          (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n8)))
          (local.set $v (f32x4.add (v128.load (local.get $pc)) (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))
          (if (local.get $relu)
            (then (local.set $v (v128.and (local.get $v) (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))))
          (v128.store (local.get $pc) (local.get $v))
          (local.set $pc (i32.add (local.get $pc) (i32.const 16)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $col)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

;; dst[c, r] = src[r, c] for src [rows, cols] (contiguous); dst rows are ldd bytes apart.
;; Turns 'nt' into 'nn' (Bᵀ written once, padded to the tile width) at O(k·n) cost.
;; twin: src/backends/cpu/matmul.ts matmulBlocked (which reads Bᵀ in place for 'nt'; here the copy is what makes 'nt' an 'nn' gemm)
(func (export "transpose")
  (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32) (param $ldd i32)
  (local $r i32) (local $c i32) (local $ps i32) (local $pd i32)
  (block $done
    (loop $row
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $ps (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
      (local.set $pd (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
      (local.set $c (local.get $cols))
      (block $row_done
        (loop $col
          (br_if $row_done (i32.eqz (local.get $c)))
          (f32.store (local.get $pd) (f32.load (local.get $ps)))
          (local.set $ps (i32.add (local.get $ps) (i32.const 4)))
          (local.set $pd (i32.add (local.get $pd) (local.get $ldd)))
          (local.set $c (i32.sub (local.get $c) (i32.const 1)))
          (br $col)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

;; Scaling in place: x[r, t] = f32((f64(x[r, t]) − off[t]) · inv[t]) for rows beats of L samples,
;; off and inv = 1 / scale f64 [L]: float64 as transform, with a multiply for its divide (f64x2.mul
;; cost a tenth of the batch-256 chain); the f32 results equal transform's but where the f64 value
;; lies within an f64 rounding of an f32 halfway point (test: within one f32 ulp).
;; Two samples per step (f64x2), then one when L is odd.
;; twin: src/backends/wasm/dense-chain.ts scaleInTs (same arithmetic), src/detect/scaler.ts transform
(func (export "scale_rows") (param $x i32) (param $rows i32) (param $L i32) (param $off i32) (param $sc i32)
  (local $r i32) (local $t i32) (local $px i32) (local $pairs i32)
  (local.set $pairs (i32.and (local.get $L) (i32.const -2)))
  (local.set $px (local.get $x))
  (block $rows_done
    (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $t (i32.const 0))
      (block $pairs_done
        (loop $pair
          (br_if $pairs_done (i32.ge_u (local.get $t) (local.get $pairs)))
          (v128.store64_lane 0 (local.get $px)
            (f32x4.demote_f64x2_zero
              (f64x2.mul
                (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $px)))
                           (v128.load (i32.add (local.get $off) (i32.shl (local.get $t) (i32.const 3)))))
                (v128.load (i32.add (local.get $sc) (i32.shl (local.get $t) (i32.const 3)))))))
          (local.set $px (i32.add (local.get $px) (i32.const 8)))
          (local.set $t (i32.add (local.get $t) (i32.const 2)))
          (br $pair)))
      (if (i32.lt_u (local.get $t) (local.get $L))
        (then
          (f32.store (local.get $px)
            (f32.demote_f64
              (f64.mul
                (f64.sub (f64.promote_f32 (f32.load (local.get $px)))
                         (f64.load (i32.add (local.get $off) (i32.shl (local.get $t) (i32.const 3)))))
                (f64.load (i32.add (local.get $sc) (i32.shl (local.get $t) (i32.const 3)))))))
          (local.set $px (i32.add (local.get $px) (i32.const 4)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

;; The chain's layer in one pass: C[m,n] = act(A[m,k] · B[k,n] + bias[n]), the core's $gemm
;; (matmul.wat: same 4x8 tile, same strides, same sums in the same order) with the linear layer's
;; epilogue (the core's bias_act) applied in registers before the one store, so C is written once
;; and never read back. bias holds n (padded to 8) values; relu != 0 applies x > 0 ? x : 0.
;; twin: src/backends/composed/linear.ts linearForward (matmul, bias add, ReLU)
(func (export "gemm_bias_act")
  (param $a i32) (param $b i32) (param $c i32)
  (param $m i32) (param $k i32) (param $n i32)
  (param $ars i32) (param $acs i32) (param $ldb i32) (param $ldc i32) (param $bias i32) (param $relu i32)
  (local $i i32) (local $j i32) (local $p i32)
  (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $pc i32)
  (local $b0 v128) (local $b1 v128) (local $av v128) (local $zero v128)
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
          (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                                  (i32.shl (local.get $j) (i32.const 2))))
          ;; ④ Store the 4x8 tile: c += bias[j..j+7] (per column), then ReLU as the TS twin (c > 0 ? c : 0; NaN → 0).
          (local.set $b0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $b1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0))) (local.set $c01 (f32x4.add (local.get $c01) (local.get $b1)))
          (local.set $c10 (f32x4.add (local.get $c10) (local.get $b0))) (local.set $c11 (f32x4.add (local.get $c11) (local.get $b1)))
          (local.set $c20 (f32x4.add (local.get $c20) (local.get $b0))) (local.set $c21 (f32x4.add (local.get $c21) (local.get $b1)))
          (local.set $c30 (f32x4.add (local.get $c30) (local.get $b0))) (local.set $c31 (f32x4.add (local.get $c31) (local.get $b1)))
          (if (local.get $relu)
            (then
              (local.set $c00 (v128.and (local.get $c00) (f32x4.gt (local.get $c00) (local.get $zero))))
              (local.set $c01 (v128.and (local.get $c01) (f32x4.gt (local.get $c01) (local.get $zero))))
              (local.set $c10 (v128.and (local.get $c10) (f32x4.gt (local.get $c10) (local.get $zero))))
              (local.set $c11 (v128.and (local.get $c11) (f32x4.gt (local.get $c11) (local.get $zero))))
              (local.set $c20 (v128.and (local.get $c20) (f32x4.gt (local.get $c20) (local.get $zero))))
              (local.set $c21 (v128.and (local.get $c21) (f32x4.gt (local.get $c21) (local.get $zero))))
              (local.set $c30 (v128.and (local.get $c30) (f32x4.gt (local.get $c30) (local.get $zero))))
              (local.set $c31 (v128.and (local.get $c31) (f32x4.gt (local.get $c31) (local.get $zero))))))
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


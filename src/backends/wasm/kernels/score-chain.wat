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

;; The chain's layer in one pass: C[m,n] = act(A[m,k] · B[k,n] + bias[n]), the sums of the core's
;; $gemm (matmul.wat: each C value summed over p = 0 … k−1 in order, so the same floats) on a 2x16
;; tile instead of 4x8, with the linear layer's epilogue (the core's bias_act) applied in
;; registers before the one store, so C is written once and never read back. m is a multiple of
;; 2 and n of 16; bias holds n values; relu != 0 applies x > 0 ? x : 0 (NaN → 0).
;; Why 2x16: per k step one A value is splat for four B vectors instead of two, and two A
;; pointers move instead of four; 1.05-1.08x the 4x8 tile on the chain's shapes (bench
;; microbenchmark, same run; the mul + add pipes are then the bound).
;; twin: src/backends/composed/linear.ts linearForward (matmul, bias add, ReLU)
(func (export "gemm_bias_act")
  (param $a i32) (param $b i32) (param $c i32)
  (param $m i32) (param $k i32) (param $n i32)
  (param $ars i32) (param $acs i32) (param $ldb i32) (param $ldc i32) (param $bias i32) (param $relu i32)
  (local $i i32) (local $j i32) (local $p i32)
  (local $pa0 i32) (local $pa1 i32) (local $pb i32) (local $pc i32)
  (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128) (local $av v128) (local $zero v128)
  (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
  (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
  (block $rows_done
    (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $j (i32.const 0))
      (block $cols_done
        (loop $cols
          (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
          (local.set $c00 (v128.const i32x4 0 0 0 0))
          (local.set $c01 (v128.const i32x4 0 0 0 0))
          (local.set $c02 (v128.const i32x4 0 0 0 0))
          (local.set $c03 (v128.const i32x4 0 0 0 0))
          (local.set $c10 (v128.const i32x4 0 0 0 0))
          (local.set $c11 (v128.const i32x4 0 0 0 0))
          (local.set $c12 (v128.const i32x4 0 0 0 0))
          (local.set $c13 (v128.const i32x4 0 0 0 0))
          (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
          (local.set $pa1 (i32.add (local.get $pa0) (local.get $ars)))
          (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $p (local.get $k))
          (block $k_done
            (loop $inner
              (br_if $k_done (i32.eqz (local.get $p)))
              (local.set $b0 (v128.load (local.get $pb)))
              (local.set $b1 (v128.load offset=16 (local.get $pb)))
              (local.set $b2 (v128.load offset=32 (local.get $pb)))
              (local.set $b3 (v128.load offset=48 (local.get $pb)))
              (local.set $av (v128.load32_splat (local.get $pa0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $av) (local.get $b2))))
              (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $av) (local.get $b3))))
              (local.set $av (v128.load32_splat (local.get $pa1)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $av) (local.get $b2))))
              (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $av) (local.get $b3))))
              (local.set $pa0 (i32.add (local.get $pa0) (local.get $acs)))
              (local.set $pa1 (i32.add (local.get $pa1) (local.get $acs)))
              (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
              (local.set $p (i32.sub (local.get $p) (i32.const 1)))
              (br $inner)))
          (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i) (local.get $ldc)))
                                  (i32.shl (local.get $j) (i32.const 2))))
          (local.set $b0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $b1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $b2 (v128.load offset=32 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $b3 (v128.load offset=48 (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $c00 (f32x4.add (local.get $c00) (local.get $b0)))
          (local.set $c01 (f32x4.add (local.get $c01) (local.get $b1)))
          (local.set $c02 (f32x4.add (local.get $c02) (local.get $b2)))
          (local.set $c03 (f32x4.add (local.get $c03) (local.get $b3)))
          (local.set $c10 (f32x4.add (local.get $c10) (local.get $b0)))
          (local.set $c11 (f32x4.add (local.get $c11) (local.get $b1)))
          (local.set $c12 (f32x4.add (local.get $c12) (local.get $b2)))
          (local.set $c13 (f32x4.add (local.get $c13) (local.get $b3)))
          (if (local.get $relu)
            (then
              (local.set $c00 (v128.and (local.get $c00) (f32x4.gt (local.get $c00) (local.get $zero))))
              (local.set $c01 (v128.and (local.get $c01) (f32x4.gt (local.get $c01) (local.get $zero))))
              (local.set $c02 (v128.and (local.get $c02) (f32x4.gt (local.get $c02) (local.get $zero))))
              (local.set $c03 (v128.and (local.get $c03) (f32x4.gt (local.get $c03) (local.get $zero))))
              (local.set $c10 (v128.and (local.get $c10) (f32x4.gt (local.get $c10) (local.get $zero))))
              (local.set $c11 (v128.and (local.get $c11) (f32x4.gt (local.get $c11) (local.get $zero))))
              (local.set $c12 (v128.and (local.get $c12) (f32x4.gt (local.get $c12) (local.get $zero))))
              (local.set $c13 (v128.and (local.get $c13) (f32x4.gt (local.get $c13) (local.get $zero))))))
          (v128.store offset=0 (local.get $pc) (local.get $c00))
          (v128.store offset=16 (local.get $pc) (local.get $c01))
          (v128.store offset=32 (local.get $pc) (local.get $c02))
          (v128.store offset=48 (local.get $pc) (local.get $c03))
          (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
          (v128.store offset=0 (local.get $pc) (local.get $c10))
          (v128.store offset=16 (local.get $pc) (local.get $c11))
          (v128.store offset=32 (local.get $pc) (local.get $c12))
          (v128.store offset=48 (local.get $pc) (local.get $c13))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br $cols)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $rows))))
;; 1 when the n floats at a and at b have the same bits (NaN payloads and the sign of zero
;; included), else 0: the dense chain's check that a model's weights are the ones it transposed
;; on its last call. Four at a time, then one by one.
;; twin: src/backends/wasm/dense-chain.ts sameBits (the tests' reference; without this module the chain transposes on every call)
(func (export "same_bits") (param $a i32) (param $b i32) (param $n i32) (result i32)
  (local $end i32) (local $quads i32)
  (local.set $quads (i32.add (local.get $a) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
  (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
  (block $quads_done
    (loop $quad
      (br_if $quads_done (i32.ge_u (local.get $a) (local.get $quads)))
      (if (i32.eqz (i8x16.all_true (i32x4.eq (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $quad)))
  (block $done
    (loop $one
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (if (i32.ne (i32.load (local.get $a)) (i32.load (local.get $b))) (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 4)))
      (br $one)))
  (i32.const 1))

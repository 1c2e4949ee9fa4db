;; The loss and optimizer family: the MSE loss both ways and one Adam step.
;; TypeScript side: src/backends/wasm/loss-adam.ts.
;; Part of one module: spliced into module.wat by scripts/build-wasm.ts (not a module by itself).

;; Σ (p[i] − t[i])² over n values, in f64 like the TypeScript twin (two f64x2 lanes per half).
;; twin: src/backends/cpu/loss.ts mseLoss (times n)
(func (export "sse") (param $p i32) (param $t i32) (param $n i32) (result f64)
  (local $i i32) (local $n4 i32) (local $d v128) (local $s0 v128) (local $s1 v128) (local $tail f64) (local $e f64)
  (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
  (block $done
    (loop $vec
      (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load (local.get $p)))
                               (f64x2.promote_low_f32x4 (v128.load (local.get $t)))))
      (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $d) (local.get $d))))
      ;; The high pair: an 8-byte load (a 16-byte load at offset 8 would read past the data
      ;; when it ends at the end of memory).
      (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $p)))
                               (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $t)))))
      (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $d) (local.get $d))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
  (block $tail_done
    (loop $scalar
      (br_if $tail_done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $e (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (f64.promote_f32 (f32.load (local.get $t)))))
      (local.set $tail (f64.add (local.get $tail) (f64.mul (local.get $e) (local.get $e))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $scalar)))
  (local.set $s0 (f64x2.add (local.get $s0) (local.get $s1)))
  (f64.add (f64.add (f64x2.extract_lane 0 (local.get $s0)) (f64x2.extract_lane 1 (local.get $s0)))
           (local.get $tail)))

;; g[i] += k · (p[i] − t[i]) over n values (n padded by the wrapper to a multiple of 4).
;; twin: src/backends/cpu/loss.ts mseLossBackward
(func (export "mse_backward") (param $p i32) (param $t i32) (param $g i32) (param $n i32) (param $k f32)
  (local $kv v128) (local $end i32)
  (local.set $kv (f32x4.splat (local.get $k)))
  (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
  (block $done
    (loop $vec
      (br_if $done (i32.ge_u (local.get $g) (local.get $end)))
      (v128.store (local.get $g)
        (f32x4.add (v128.load (local.get $g))
                   (f32x4.mul (local.get $kv) (f32x4.sub (v128.load (local.get $p)) (v128.load (local.get $t))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (br $vec))))

;; One torch.optim.Adam step over n values (n padded to a multiple of 4), in f32x4:
;;   g += wd·p;  m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  p −= step·m / (sqrt(v)·ib2 + eps)
;; with step = lr/(1−β1ᵗ) and ib2 = 1/sqrt(1−β2ᵗ) computed by the caller.
;; twin: src/backends/cpu/adam.ts adamUpdate
(func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
  (param $b1 f32) (param $b2 f32) (param $wd f32) (param $step f32) (param $ib2 f32) (param $eps f32)
  (local $end i32) (local $gv v128) (local $mv v128) (local $vv v128) (local $pv v128)
  (local $B1 v128) (local $B2 v128) (local $C1 v128) (local $C2 v128) (local $WD v128)
  (local $STEP v128) (local $IB2 v128) (local $EPS v128)
  (local.set $B1 (f32x4.splat (local.get $b1)))
  (local.set $B2 (f32x4.splat (local.get $b2)))
  (local.set $C1 (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
  (local.set $C2 (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))
  (local.set $WD (f32x4.splat (local.get $wd)))
  (local.set $STEP (f32x4.splat (local.get $step)))
  (local.set $IB2 (f32x4.splat (local.get $ib2)))
  (local.set $EPS (f32x4.splat (local.get $eps)))
  (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
  (block $done
    (loop $vec
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $pv (v128.load (local.get $p)))
      (local.set $gv (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $WD) (local.get $pv))))
      (local.set $mv (f32x4.add (f32x4.mul (local.get $B1) (v128.load (local.get $m)))
                                (f32x4.mul (local.get $C1) (local.get $gv))))
      (local.set $vv (f32x4.add (f32x4.mul (local.get $B2) (v128.load (local.get $v)))
                                (f32x4.mul (f32x4.mul (local.get $C2) (local.get $gv)) (local.get $gv))))
      (v128.store (local.get $m) (local.get $mv))
      (v128.store (local.get $v) (local.get $vv))
      (v128.store (local.get $p)
        (f32x4.sub (local.get $pv)
          (f32x4.div (f32x4.mul (local.get $STEP) (local.get $mv))
                     (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $vv)) (local.get $IB2)) (local.get $EPS)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (br $vec))))

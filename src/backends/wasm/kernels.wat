;; cardiograd's WebAssembly SIMD kernels (128-bit f32x4; no relaxed-SIMD, no threads).
;; Assembled by `npm run build:wasm` (scripts/build-wasm.ts, the npm `wabt` package) into
;; src/backends/wasm/kernels.generated.ts. The TypeScript side (src/backends/wasm/index.ts)
;; copies operands into this module's linear memory, calls one export, and copies results out.
;; Every pointer and stride below is in BYTES; every array is f32, row-major.

(module
  ;; Grown from JavaScript (memory.grow detaches old views: the wrapper re-reads memory.buffer).
  (memory (export "memory") 1)

  ;; C[m,n] (+)= A[m,k] · B[k,n] with a 4-row x 8-column register tile: 8 v128 accumulators
  ;; (4 rows x 2 vectors), A[i,p] broadcast with load32_splat, B[p, j..j+7] two v128 loads.
  ;; m must be a multiple of 4 and n of 8: the wrapper pads (padded rows/columns of A, B, C are
  ;; scratch whose values are never copied out; SIMD lanes never mix, so they cannot leak).
  ;; A[i,p] lives at a + i*ars + p*acs, so one kernel serves A ('nn', acs = 4) and Aᵀ ('tn', ars = 4).
  ;; B[p,j] at b + p*ldb + 4j; C[i,j] at c + i*ldc + 4j. acc != 0 adds into C instead of overwriting.
  (func (export "gemm")
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
            (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $ars))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $ars)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $ars)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $ars)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
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
            ;; Store the 4x8 tile (adding what C holds when accumulating).
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

  ;; dst[c, r] = src[r, c] for src [rows, cols] (contiguous); dst rows are ldd bytes apart.
  ;; Turns 'nt' into 'nn' (Bᵀ written once, padded to the tile width) at O(k·n) cost.
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

  ;; Σ (p[i] − t[i])² over n values, in f64 like the TypeScript twin (two f64x2 lanes per half).
  (func (export "sse") (param $p i32) (param $t i32) (param $n i32) (result f64)
    (local $i i32) (local $n4 i32) (local $d v128) (local $s0 v128) (local $s1 v128) (local $tail f64) (local $e f64)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load (local.get $p)))
                                 (f64x2.promote_low_f32x4 (v128.load (local.get $t)))))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (f64x2.promote_low_f32x4 (v128.load offset=8 (local.get $p)))
                                 (f64x2.promote_low_f32x4 (v128.load offset=8 (local.get $t)))))
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
)

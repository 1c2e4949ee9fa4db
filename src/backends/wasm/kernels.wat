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

  ;; The linear layer's epilogue on the padded C [rows, ldc bytes]: c += bias (per column, n8 of
  ;; them), then ReLU when relu != 0, as the TS twin: c > 0 ? c : 0 (so NaN → 0, as there).
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

  ;; ---- Conv1d over the whole batch as im2row + gemm -------------------------------------------
  ;; rows[n·Lout + t, c·K + k] = x[n, c, t·s − p + k] (0 outside [0, L)); rows are ldr bytes apart.
  ;; x [N, C, L] contiguous. Only the CK = C·K columns of each row are written.
  (func (export "im2row") (param $x i32) (param $N i32) (param $C i32) (param $L i32) (param $K i32)
    (param $s i32) (param $p i32) (param $Lout i32) (param $rows i32) (param $ldr i32)
    (local $n i32) (local $t i32) (local $c i32) (local $k i32) (local $start i32) (local $pos i32)
    (local $dst i32) (local $src i32) (local $rowp i32)
    (local.set $rowp (local.get $rows))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $t (i32.const 0))
      (block $t_done (loop $t_loop
        (br_if $t_done (i32.ge_u (local.get $t) (local.get $Lout)))
        (local.set $start (i32.sub (i32.mul (local.get $t) (local.get $s)) (local.get $p)))
        (local.set $dst (local.get $rowp))
        (local.set $c (i32.const 0))
        (block $c_done (loop $c_loop
          (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
          ;; src = &x[n, c, 0]
          (local.set $src (i32.add (local.get $x)
            (i32.shl (i32.mul (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $c)) (local.get $L)) (i32.const 2))))
          (local.set $k (i32.const 0))
          (block $k_done (loop $k_loop
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $pos (i32.add (local.get $start) (local.get $k)))
            (f32.store (local.get $dst)
              (if (result f32) (i32.and (i32.ge_s (local.get $pos) (i32.const 0)) (i32.lt_s (local.get $pos) (local.get $L)))
                (then (f32.load (i32.add (local.get $src) (i32.shl (local.get $pos) (i32.const 2)))))
                (else (f32.const 0))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $k_loop)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $c_loop)))
        (local.set $rowp (i32.add (local.get $rowp) (local.get $ldr)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $t_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

  ;; The adjoint: dx[n, c, t·s − p + k] += rows[n·Lout + t, c·K + k] (same layouts as im2row).
  (func (export "row2im") (param $rows i32) (param $N i32) (param $C i32) (param $L i32) (param $K i32)
    (param $s i32) (param $p i32) (param $Lout i32) (param $dx i32) (param $ldr i32)
    (local $n i32) (local $t i32) (local $c i32) (local $k i32) (local $start i32) (local $pos i32)
    (local $src i32) (local $dst i32) (local $rowp i32) (local $a i32)
    (local.set $rowp (local.get $rows))
    (block $n_done (loop $n_loop
      (br_if $n_done (i32.ge_u (local.get $n) (local.get $N)))
      (local.set $t (i32.const 0))
      (block $t_done (loop $t_loop
        (br_if $t_done (i32.ge_u (local.get $t) (local.get $Lout)))
        (local.set $start (i32.sub (i32.mul (local.get $t) (local.get $s)) (local.get $p)))
        (local.set $src (local.get $rowp))
        (local.set $c (i32.const 0))
        (block $c_done (loop $c_loop
          (br_if $c_done (i32.ge_u (local.get $c) (local.get $C)))
          (local.set $dst (i32.add (local.get $dx)
            (i32.shl (i32.mul (i32.add (i32.mul (local.get $n) (local.get $C)) (local.get $c)) (local.get $L)) (i32.const 2))))
          (local.set $k (i32.const 0))
          (block $k_done (loop $k_loop
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $K)))
            (local.set $pos (i32.add (local.get $start) (local.get $k)))
            (if (i32.and (i32.ge_s (local.get $pos) (i32.const 0)) (i32.lt_s (local.get $pos) (local.get $L)))
              (then
                (local.set $a (i32.add (local.get $dst) (i32.shl (local.get $pos) (i32.const 2))))
                (f32.store (local.get $a) (f32.add (f32.load (local.get $a)) (f32.load (local.get $src))))))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $k_loop)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $c_loop)))
        (local.set $rowp (i32.add (local.get $rowp) (local.get $ldr)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $t_loop)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $n_loop))))

  ;; ---- LSTM: exp, sigmoid and tanh on f32x4, the cell math, and whole recurrences ----------
  ;; eˣ (Cephes expf): x = n·ln2 + r, eʳ by a degree-6 polynomial, 2ⁿ built in the exponent bits.
  ;; Relative error ~2e-7; x is clamped to [−87.33, 88] so 2ⁿ stays a normal float (NaN stays NaN).
  (func $exp4 (param $x v128) (result v128)
    (local $fx v128) (local $y v128) (local $z v128)
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87.33 -87.33 -87.33 -87.33))
                             (v128.const f32x4 88 88 88 88)))
    (local.set $fx (f32x4.floor (f32x4.add (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))
                                           (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (local.set $x (f32x4.sub (local.get $x) (f32x4.mul (local.get $fx) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $x (f32x4.sub (local.get $x) (f32x4.mul (local.get $fx) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $y (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $x)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $y (f32x4.add (f32x4.add (f32x4.mul (local.get $y) (local.get $z)) (local.get $x)) (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $y)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $fx)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; σ(x) = 1 / (1 + e^−x)  (e^−x saturates instead of overflowing, see $exp4)
  (func $sigmoid4 (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1)
               (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp4 (f32x4.neg (local.get $x))))))

  ;; tanh (Cephes tanhf): |x| < 0.625: x + x³·P(x²); else sign(x)·(1 − 2/(e^{2|x|} + 1)).
  (func $tanh4 (param $x v128) (result v128)
    (local $ax v128) (local $z v128) (local $p v128) (local $big v128)
    (local.set $ax (f32x4.abs (local.get $x)))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $p (v128.const f32x4 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1)))
    (local.set $p (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $z)) (local.get $x)) (local.get $x)))
    (local.set $big (f32x4.sub (v128.const f32x4 1 1 1 1)
      (f32x4.div (v128.const f32x4 2 2 2 2)
                 (f32x4.add (call $exp4 (f32x4.add (local.get $ax) (local.get $ax))) (v128.const f32x4 1 1 1 1)))))
    ;; copy x's sign onto the large-|x| branch
    (local.set $big (v128.or (local.get $big) (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    (v128.bitselect (local.get $p) (local.get $big) (f32x4.lt (local.get $ax) (v128.const f32x4 0.625 0.625 0.625 0.625))))

  ;; Exposed for the tests: out[i] = f(x[i]) over n values (n a multiple of 4); op 0 σ, 1 tanh, 2 exp.
  (func (export "activation") (param $x i32) (param $out i32) (param $n i32) (param $op i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $out)
          (if (result v128) (i32.eqz (local.get $op)) (then (call $sigmoid4 (local.get $v)))
            (else (if (result v128) (i32.eq (local.get $op) (i32.const 1)) (then (call $tanh4 (local.get $v)))
              (else (call $exp4 (local.get $v)))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $vec))))

  ;; One LSTM step's cell math for `rows` rows. Layout (Hp = H padded to 8, row strides):
  ;;   g [rows, 4·Hp] (i | f | g | o blocks of Hp; pre-activations in, activations out),
  ;;   cprev, c, tc, h [rows, Hp]. first != 0: c_{t−1} = 0 (cprev unread).
  ;;   c = f·c_{t−1} + i·g,  tc = tanh(c),  h = o·tc
  (func $cell_fwd (param $g i32) (param $cprev i32) (param $c i32) (param $tc i32) (param $h i32)
    (param $rows i32) (param $hp i32) (param $first i32)
    (local $hb i32) (local $r i32) (local $j i32) (local $ig v128) (local $fg v128) (local $gg v128) (local $og v128)
    (local $cv v128) (local $tv v128)
    (local.set $hb (i32.shl (local.get $hp) (i32.const 2)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $hp)))
            (local.set $ig (call $sigmoid4 (v128.load (local.get $g))))
            (local.set $fg (call $sigmoid4 (v128.load (i32.add (local.get $g) (local.get $hb)))))
            (local.set $gg (call $tanh4 (v128.load (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))))))
            (local.set $og (call $sigmoid4 (v128.load (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))))))
            (v128.store (local.get $g) (local.get $ig))
            (v128.store (i32.add (local.get $g) (local.get $hb)) (local.get $fg))
            (v128.store (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1))) (local.get $gg))
            (v128.store (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))) (local.get $og))
            (local.set $cv (f32x4.mul (local.get $ig) (local.get $gg)))
            (if (i32.eqz (local.get $first))
              (then (local.set $cv (f32x4.add (f32x4.mul (local.get $fg) (v128.load (local.get $cprev))) (local.get $cv)))))
            (local.set $tv (call $tanh4 (local.get $cv)))
            (v128.store (local.get $c) (local.get $cv))
            (v128.store (local.get $tc) (local.get $tv))
            (v128.store (local.get $h) (f32x4.mul (local.get $og) (local.get $tv)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $cprev (i32.add (local.get $cprev) (i32.const 16)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $tc (i32.add (local.get $tc) (i32.const 16)))
            (local.set $h (i32.add (local.get $h) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $col)))
        ;; g advanced over the i block of this row; skip the f, g, o blocks
        (local.set $g (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; The forward recurrence over T steps (layouts as $cell_fwd, time-major, B4 rows a step):
  ;;   gates [T, B4, 4Hp] (x·Wihᵀ + biases in), wt = Whhᵀ [H, 4Hp], cs/tc/hs [T, B4, Hp] out.
  ;;   gates_t += h_{t−1}·Whhᵀ, then the cell math.
  (func (export "lstm_forward") (param $gates i32) (param $wt i32) (param $cs i32) (param $tc i32) (param $hs i32)
    (param $T i32) (param $b4 i32) (param $H i32) (param $hp i32)
    (local $t i32) (local $gstep i32) (local $sstep i32) (local $gt i32) (local $st i32) (local $gp i32)
    (local.set $gp (i32.shl (local.get $hp) (i32.const 2)))                                    ;; 4Hp floats
    (local.set $gstep (i32.shl (i32.mul (local.get $b4) (local.get $gp)) (i32.const 2)))        ;; bytes a step
    (local.set $sstep (i32.shl (i32.mul (local.get $b4) (local.get $hp)) (i32.const 2)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $t) (local.get $T)))
        (local.set $gt (i32.add (local.get $gates) (i32.mul (local.get $t) (local.get $gstep))))
        (local.set $st (i32.mul (local.get $t) (local.get $sstep)))
        (if (local.get $t)
          (then (call $gemm (i32.sub (i32.add (local.get $hs) (local.get $st)) (local.get $sstep)) (local.get $wt) (local.get $gt)
                  (local.get $b4) (local.get $H) (local.get $gp)
                  (i32.shl (local.get $hp) (i32.const 2)) (i32.const 4)
                  (i32.shl (local.get $gp) (i32.const 2)) (i32.shl (local.get $gp) (i32.const 2)) (i32.const 1))))
        (call $cell_fwd (local.get $gt) (i32.sub (i32.add (local.get $cs) (local.get $st)) (local.get $sstep))
          (i32.add (local.get $cs) (local.get $st)) (i32.add (local.get $tc) (local.get $st)) (i32.add (local.get $hs) (local.get $st))
          (local.get $b4) (local.get $hp) (i32.eqz (local.get $t)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $step))))

  ;; One step of backpropagation through the cell (layouts as $cell_fwd; gy, dh, dc [rows, Hp]):
  ;;   dh_t = gy + dh;  dc_t = dc + dh_t·o·(1 − tc²)
  ;;   da_i = dc_t·g·i(1−i)   da_f = dc_t·c_{t−1}·f(1−f)   da_g = dc_t·i·(1−g²)   da_o = dh_t·tc·o(1−o)
  ;;   dc ← dc_t·f   (carried to t−1)
  (func $cell_bwd (param $g i32) (param $cprev i32) (param $tc i32) (param $gy i32) (param $dh i32) (param $dc i32)
    (param $da i32) (param $rows i32) (param $hp i32) (param $first i32)
    (local $hb i32) (local $r i32) (local $j i32) (local $ig v128) (local $fg v128) (local $gg v128) (local $og v128)
    (local $tv v128) (local $dhv v128) (local $dcv v128) (local $cp v128) (local $one v128)
    (local.set $hb (i32.shl (local.get $hp) (i32.const 2)))
    (local.set $one (v128.const f32x4 1 1 1 1))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $col
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $hp)))
            (local.set $ig (v128.load (local.get $g)))
            (local.set $fg (v128.load (i32.add (local.get $g) (local.get $hb))))
            (local.set $gg (v128.load (i32.add (local.get $g) (i32.shl (local.get $hb) (i32.const 1)))))
            (local.set $og (v128.load (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3)))))
            (local.set $tv (v128.load (local.get $tc)))
            (local.set $dhv (f32x4.add (v128.load (local.get $gy)) (v128.load (local.get $dh))))
            (local.set $dcv (f32x4.add (v128.load (local.get $dc))
              (f32x4.mul (f32x4.mul (local.get $dhv) (local.get $og))
                         (f32x4.sub (local.get $one) (f32x4.mul (local.get $tv) (local.get $tv))))))
            (local.set $cp (if (result v128) (local.get $first) (then (v128.const i32x4 0 0 0 0)) (else (v128.load (local.get $cprev)))))
            (v128.store (local.get $da)
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcv) (local.get $gg)) (local.get $ig))
                         (f32x4.sub (local.get $one) (local.get $ig))))
            (v128.store (i32.add (local.get $da) (local.get $hb))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dcv) (local.get $cp)) (local.get $fg))
                         (f32x4.sub (local.get $one) (local.get $fg))))
            (v128.store (i32.add (local.get $da) (i32.shl (local.get $hb) (i32.const 1)))
              (f32x4.mul (f32x4.mul (local.get $dcv) (local.get $ig))
                         (f32x4.sub (local.get $one) (f32x4.mul (local.get $gg) (local.get $gg)))))
            (v128.store (i32.add (local.get $da) (i32.mul (local.get $hb) (i32.const 3)))
              (f32x4.mul (f32x4.mul (f32x4.mul (local.get $dhv) (local.get $tv)) (local.get $og))
                         (f32x4.sub (local.get $one) (local.get $og))))
            (v128.store (local.get $dc) (f32x4.mul (local.get $dcv) (local.get $fg)))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $da (i32.add (local.get $da) (i32.const 16)))
            (local.set $cprev (i32.add (local.get $cprev) (i32.const 16)))
            (local.set $tc (i32.add (local.get $tc) (i32.const 16)))
            (local.set $gy (i32.add (local.get $gy) (i32.const 16)))
            (local.set $dh (i32.add (local.get $dh) (i32.const 16)))
            (local.set $dc (i32.add (local.get $dc) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $col)))
        (local.set $g (i32.add (local.get $g) (i32.mul (local.get $hb) (i32.const 3))))
        (local.set $da (i32.add (local.get $da) (i32.mul (local.get $hb) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; The backward recurrence, t = T−1 … 0 (layouts as lstm_forward; whh [4Hp, Hp] = Whh padded,
  ;; gy [T, B4, Hp] time-major; dh, dc [B4, Hp] zeroed by the caller; da [T, B4, 4Hp] out):
  ;;   dh = da_{t+1}·Whh, then the cell backward.
  (func (export "lstm_backward") (param $gy i32) (param $gates i32) (param $cs i32) (param $tc i32) (param $whh i32)
    (param $da i32) (param $dh i32) (param $dc i32) (param $T i32) (param $b4 i32) (param $hp i32)
    (local $t i32) (local $gstep i32) (local $sstep i32) (local $gt i32) (local $st i32) (local $gp i32)
    (local.set $gp (i32.shl (local.get $hp) (i32.const 2)))
    (local.set $gstep (i32.shl (i32.mul (local.get $b4) (local.get $gp)) (i32.const 2)))
    (local.set $sstep (i32.shl (i32.mul (local.get $b4) (local.get $hp)) (i32.const 2)))
    (local.set $t (local.get $T))
    (block $done
      (loop $step
        (br_if $done (i32.eqz (local.get $t)))
        (local.set $t (i32.sub (local.get $t) (i32.const 1)))
        (local.set $gt (i32.mul (local.get $t) (local.get $gstep)))
        (local.set $st (i32.mul (local.get $t) (local.get $sstep)))
        (if (i32.lt_u (i32.add (local.get $t) (i32.const 1)) (local.get $T))
          (then (call $gemm (i32.add (i32.add (local.get $da) (local.get $gt)) (local.get $gstep)) (local.get $whh) (local.get $dh)
                  (local.get $b4) (local.get $gp) (local.get $hp)
                  (i32.shl (local.get $gp) (i32.const 2)) (i32.const 4)
                  (i32.shl (local.get $hp) (i32.const 2)) (i32.shl (local.get $hp) (i32.const 2)) (i32.const 0))))
        (call $cell_bwd (i32.add (local.get $gates) (local.get $gt)) (i32.sub (i32.add (local.get $cs) (local.get $st)) (local.get $sstep))
          (i32.add (local.get $tc) (local.get $st)) (i32.add (local.get $gy) (local.get $st)) (local.get $dh) (local.get $dc)
          (i32.add (local.get $da) (local.get $gt)) (local.get $b4) (local.get $hp) (i32.eqz (local.get $t)))
        (br $step))))
)

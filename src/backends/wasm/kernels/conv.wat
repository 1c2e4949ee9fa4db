;; The conv1d family: the batch's receptive fields as rows (im2row) and back (row2im); the
;; products themselves run on gemm (matmul.wat). TypeScript side: src/backends/wasm/conv.ts.
;; Part of one module: spliced into module.wat by scripts/build-wasm.ts (not a module by itself).

;; rows[n·Lout + t, c·K + k] = x[n, c, t·s − p + k] (0 outside [0, L)); rows are ldr bytes apart.
;; x [N, C, L] contiguous. Only the CK = C·K columns of each row are written.
;; twin: src/backends/composed/conv-rows.ts im2row
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
;; twin: src/backends/composed/conv-rows.ts row2im
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

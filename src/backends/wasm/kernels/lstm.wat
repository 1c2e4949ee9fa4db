;; The LSTM family: exp, sigmoid and tanh on f32x4, the cell math, and whole recurrences (one call
;; per direction). TypeScript side: src/backends/wasm/lstm.ts.
;; Part of one module: spliced into module.wat by scripts/build-wasm.ts (not a module by itself).

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
;; twin: src/kernel-math/scalar.ts sigmoid (op 0; op 1 is Math.tanh, op 2 Math.exp)
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
;; twin: src/backends/composed/lstm.ts lstmForward
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
;; twin: src/backends/composed/lstm.ts lstmBackward
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

;; Scaling in place: x[r, t] = f32((f64(x[r, t]) − off[t]) / sc[t]) for rows beats of L samples,
;; off and sc f64 [L]: the same float64 arithmetic as the TS twin, so the same float32 results.
;; Two samples per step (f64x2), then one when L is odd.
;; twin: src/detect/scaler.ts transform
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
              (f64x2.div
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
              (f64.div
                (f64.sub (f64.promote_f32 (f32.load (local.get $px)))
                         (f64.load (i32.add (local.get $off) (i32.shl (local.get $t) (i32.const 3)))))
                (f64.load (i32.add (local.get $sc) (i32.shl (local.get $t) (i32.const 3)))))))
          (local.set $px (i32.add (local.get $px) (i32.const 4)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

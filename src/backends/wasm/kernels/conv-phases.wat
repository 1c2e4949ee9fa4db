;; Interleaving the two output phases of an upsample-by-2 conv (src/backends/wasm/conv-polyphase.ts):
;; the phase split computes y[2i] and y[2i + 1] as two channels; these put them back in order
;; (forward) and split dy the same way (backward), in linear memory instead of strided TS loops.
;; Part of the second module (conv-module.wat).

;; out[r, 2i] = a[r, i], out[r, 2i + 1] = b[r, i] for r < rows, i < P (a multiple of 4): a and b
;; rows ld bytes apart, out rows lo bytes apart (written up to 2P floats).
;; twin: src/backends/wasm/conv-polyphase.ts phasesToRows
(func (export "zip2") (param $a i32) (param $b i32) (param $ld i32) (param $rows i32) (param $P i32)
  (param $out i32) (param $lo i32)
  (local $r i32) (local $i i32) (local $o i32) (local $po i32) (local $va v128) (local $vb v128)
  (block $done (loop $row
    (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $o (i32.mul (local.get $r) (local.get $ld)))
    (local.set $po (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $lo))))
    (local.set $i (i32.const 0))
    (block $row_done (loop $vec
      (br_if $row_done (i32.ge_u (local.get $i) (local.get $P)))
      (local.set $va (v128.load (i32.add (local.get $a) (local.get $o))))
      (local.set $vb (v128.load (i32.add (local.get $b) (local.get $o))))
      (v128.store (local.get $po) (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $va) (local.get $vb)))
      (v128.store offset=16 (local.get $po) (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $va) (local.get $vb)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (local.set $po (i32.add (local.get $po) (i32.const 32)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $row))))

;; The inverse: a[r, i] = src[r, 2i], b[r, i] = src[r, 2i + 1] for r < rows, i < P (a multiple of
;; 4): src rows ls bytes apart (read up to 2P floats), a and b rows la bytes apart (need not be
;; 16-byte aligned: the conv backward's padded dy rows, at their offset).
;; twin: src/backends/wasm/conv-polyphase.ts copyInPhases
(func (export "unzip2") (param $src i32) (param $ls i32) (param $rows i32) (param $P i32)
  (param $a i32) (param $b i32) (param $la i32)
  (local $r i32) (local $i i32) (local $ps i32) (local $o i32) (local $v0 v128) (local $v1 v128)
  (block $done (loop $row
    (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $ps (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $ls))))
    (local.set $o (i32.mul (local.get $r) (local.get $la)))
    (local.set $i (i32.const 0))
    (block $row_done (loop $vec
      (br_if $row_done (i32.ge_u (local.get $i) (local.get $P)))
      (local.set $v0 (v128.load (local.get $ps)))
      (local.set $v1 (v128.load offset=16 (local.get $ps)))
      (v128.store (i32.add (local.get $a) (local.get $o)) (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v0) (local.get $v1)))
      (v128.store (i32.add (local.get $b) (local.get $o)) (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v0) (local.get $v1)))
      (local.set $ps (i32.add (local.get $ps) (i32.const 32)))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $row))))

;; cardiograd's WebAssembly SIMD kernels (128-bit f32x4; no relaxed-SIMD, no threads), one module
;; in four families. Assembled by `npm run build:wasm` (scripts/build-wasm.ts, the npm `wabt`
;; package), which splices each `;; include FILE` line below with that file, into
;; src/backends/wasm/kernels.generated.ts. The TypeScript side (src/backends/wasm/index.ts)
;; copies operands into this module's linear memory, calls one export, and copies results out.
;; Every pointer and stride below is in BYTES; every array is f32, row-major.
;; New to WebAssembly text? docs/reading-wasm.md is a primer and reads $gemm with you.

(module
  ;; Grown from JavaScript (memory.grow detaches old views: the wrapper re-reads memory.buffer).
  (memory (export "memory") 1)

  ;; include matmul.wat
  ;; include loss-adam.wat
  ;; include conv.wat
  ;; include lstm.wat
)

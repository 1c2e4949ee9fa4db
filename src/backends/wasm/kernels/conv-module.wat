;; cardiograd's second WebAssembly SIMD module: the direct conv1d kernels (and the linear layer's
;; bias gradient). It imports the core
;; module's (module.wat) memory, so both work on the same linear memory and nothing is copied
;; between them; two modules keep each within the 4,096 bytes Chromium compiles synchronously
;; on a page's main thread. Assembled by `npm run build:wasm` like module.wat.

(module
  (import "core" "memory" (memory 1))

  ;; include conv-direct.wat
  ;; include conv-pool.wat
  ;; include conv-phases.wat
  ;; include linear-rows.wat
)

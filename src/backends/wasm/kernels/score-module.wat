;; cardiograd's third WebAssembly SIMD module: the scoring chain's own kernels (the dense chain,
;; src/backends/wasm/dense-chain.ts). It imports the core module's (module.wat) memory, like the
;; conv module, so the core's gemm runs on what these write; where it cannot compile, the chain
;; does the same work in TypeScript. Assembled by `npm run build:wasm` like module.wat.

(module
  (import "core" "memory" (memory 1))

  ;; include score-chain.wat
)

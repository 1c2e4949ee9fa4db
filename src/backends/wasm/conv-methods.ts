// The wasm backend's conv1d methods (direct, polyphase and im2row kernels, the fused ReLU → max-pool 2),
// attached to it when this module is imported: src/nn/conv.ts imports it, so whatever builds a
// Conv1D layer (the Conv1D autoencoder, the general detector entry, src/index.ts) has them, and a
// page that scores dense models only carries none of this code (test/package/bundle-size.test.ts).
// Until it is imported the wasm backend's conv1d methods are the composed defaults on its matmul.

import { conv1dReluPoolBackward, conv1dReluPoolForward } from '../composed/conv-pool.ts';
import { withUpsampledInput } from '../composed/conv-rows.ts';
import { wasmConv1dBackward, wasmConv1dForward } from './conv.ts';
import { directConv1dBackward, directConv1dForward, directConv1dReluPoolForward, directConvFits } from './conv-direct.ts';
import { polyphaseConv1dBackward, polyphaseConv1dForward, polyphaseFits } from './conv-polyphase.ts';
import { attachWasmConv, type WasmConvMethods } from './index.ts';

attachWasmConv((kx, kc, arena, backend): WasmConvMethods => ({
  // Stride 1 and ≤ 64 channels: the direct kernels (polyphase where the input is upsampled), else im2row + gemm.
  conv1dForward: (x, w, b, y, g, relu) => kc && directConvFits(g)
    ? (polyphaseFits(g) ? polyphaseConv1dForward : directConv1dForward)(kc, arena, x, w, b, y, g, relu)
    : withUpsampledInput(x, null, g, (xs, _dx, gs) => wasmConv1dForward(kx, arena, xs, w, b, y, gs, relu)),
  conv1dBackward: (x, w, gy, dx, dw, db, g, reluOut) => kc && directConvFits(g)
    ? (polyphaseFits(g) ? polyphaseConv1dBackward : directConv1dBackward)(kc, arena, x, w, gy, dx, dw, db, g, reluOut)
    : withUpsampledInput(x, dx, g, (xs, dxs, gs) => wasmConv1dBackward(kx, arena, xs, w, gy, dxs, dw, db, gs, reluOut)),
  // Conv1d → ReLU → MaxPool1d(2): pooled in wasm memory on the direct path, else composed on the methods above.
  conv1dReluPoolForward: (x, w, b, y, sel, g) => kc && directConvFits(g)
    ? directConv1dReluPoolForward(kc, arena, x, w, b, y, sel, g)
    : conv1dReluPoolForward(backend, x, w, b, y, sel, g),
  conv1dReluPoolBackward: (x, w, gy, y, sel, dx, dw, db, g) => kc && directConvFits(g)
    ? directConv1dBackward(kc, arena, x, w, gy, dx, dw, db, g, null, { y, sel })
    : conv1dReluPoolBackward(backend, x, w, gy, y, sel, dx, dw, db, g),
}));

// One backend contract, filled once: the optional fused methods a backend leaves out are completed
// here with their default compositions of its required kernels (composed/), so no op ever asks
// "does this backend have a fast path?". The wasm backend brings them all; cpu and gpujs bring none.

import { conv1dReluPoolBackward, conv1dReluPoolForward } from './composed/conv-pool.ts';
import { conv1dRowsBackward, conv1dRowsForward, withUpsampledInput } from './composed/conv-rows.ts';
import { linearBackward, linearForward } from './composed/linear.ts';
import { lstmBackward, lstmForward } from './composed/lstm.ts';
import { FUSED_METHODS, type Backend, type CompleteBackend } from './contract.ts';

function isComplete(backend: Backend): backend is CompleteBackend {
  return FUSED_METHODS.every((name) => typeof backend[name] === 'function');
}

/**
 * `backend` itself when it has every method; otherwise an object that reads everything through
 * to `backend` (name, getters such as gpujs's kernelCount, its own extra methods) and adds the
 * default for each missing fused method, built on `backend`'s own matmul, binary, unary and
 * sumToShape. Completing a complete backend returns it unchanged, so save-and-restore
 * (`const before = getBackend(); ...; setBackend(before)`) keeps the very same object.
 */
export function completeBackend(backend: Backend): CompleteBackend {
  if (isComplete(backend)) return backend;
  const complete = Object.create(backend) as CompleteBackend;
  const matmul: Backend['matmul'] = (a, b, c, m, k, n, layout, acc) => backend.matmul(a, b, c, m, k, n, layout, acc);
  complete.linearForward = backend.linearForward ?? ((x, w, bias, y, rows, inF, outF, relu) =>
    linearForward(backend, x, w, bias, y, rows, inF, outF, relu));
  complete.linearBackward = backend.linearBackward ?? ((x, w, reluOut, gy, dx, dw, db, rows, inF, outF) =>
    linearBackward(backend, x, w, reluOut, gy, dx, dw, db, rows, inF, outF));
  complete.conv1dForward = backend.conv1dForward ?? ((x, w, bias, y, g, relu) => withUpsampledInput(x, null, g,
    (xs, _dx, gs) => conv1dRowsForward(matmul, xs, w, bias, y, gs, relu)));
  complete.conv1dBackward = backend.conv1dBackward ?? ((x, w, gy, dx, dw, db, g, reluOut) => withUpsampledInput(x, dx, g,
    (xs, dxs, gs) => conv1dRowsBackward(matmul, xs, w, gy, dxs, dw, db, gs, reluOut)));
  complete.conv1dReluPoolForward = backend.conv1dReluPoolForward ?? ((x, w, bias, y, sel, g) =>
    conv1dReluPoolForward(complete, x, w, bias, y, sel, g));
  complete.conv1dReluPoolBackward = backend.conv1dReluPoolBackward ?? ((x, w, gy, y, sel, dx, dw, db, g) =>
    conv1dReluPoolBackward(complete, x, w, gy, y, sel, dx, dw, db, g));
  complete.lstmForward = backend.lstmForward ?? ((gates, wHh, cs, tanhC, hs, T, B, H) =>
    lstmForward(matmul, gates, wHh, cs, tanhC, hs, T, B, H));
  complete.lstmBackward = backend.lstmBackward ?? ((gy, gates, cs, tanhC, wHh, da, T, B, H) =>
    lstmBackward(matmul, gy, gates, cs, tanhC, wHh, da, T, B, H));
  return complete;
}

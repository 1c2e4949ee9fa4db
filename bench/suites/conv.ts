// conv1d forward + backward (ReLU fused, dx, dW, db) at the Conv1D autoencoder's layer shapes, on
// the three implementations of the same sums, timed side by side in one process:
//   direct   the wasm backend's default at stride 1 (kernels/conv-direct.wat)
//   im2row   the wasm backend's general path (row matrix in wasm + gemm), called directly
//   cpu      the TS twin (composed/conv-rows.ts: im2row + the blocked TS matmul)
// bench:check guards direct / im2row and direct / cpu. The three are interleaved call by call and
// each keeps its fastest call (a preemption on this shared machine only ever adds time), which
// holds the ratios steady where tinybench's one-task-after-another medians swung 4x at load 10.

import '../../src/index.ts';
import type { ConvGeometry } from '../../src/backends/backend.ts';
import { completeBackend } from '../../src/backends/complete.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { Arena } from '../../src/backends/wasm/arena.ts';
import { wasmConv1dBackward, wasmConv1dForward } from '../../src/backends/wasm/conv.ts';
import { directConv1dBackward, directConv1dForward } from '../../src/backends/wasm/conv-direct.ts';
import { instantiate, instantiateConv, wasmSupport } from '../../src/backends/wasm/module.ts';
import { pairMax } from '../../src/backends/composed/conv-pool.ts';
import { createRng } from '../../src/engine/random.ts';
import type { BenchConfig, Row } from '../lib.ts';

/** [Cin, Cout, L] of the default Conv1D layers (16,32 channels, kernel 7, 144 samples padded). */
export const CONV_LAYERS: [number, number, number][] = [[16, 32, 72], [16, 16, 144], [16, 1, 144]];

/** Each function's fastest of `rounds` calls, the functions called in turn (after 3 warm-up rounds). */
function interleavedMin(fns: Record<string, () => void>, rounds: number): Record<string, { ms: number; samples: number }> {
  const best: Record<string, { ms: number; samples: number }> = {};
  for (const name of Object.keys(fns)) best[name] = { ms: Infinity, samples: rounds };
  for (let r = -3; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const t0 = performance.now();
      fn();
      const dt = performance.now() - t0;
      if (r >= 0 && dt < best[name].ms) best[name].ms = dt;
    }
  }
  return best;
}

/** [Cin, Cout, Ls] of the decoder's Upsample 2 → Conv1d → ReLU layers (Ls before upsampling). */
export const UPSAMPLED_LAYERS: [number, number, number][] = [[32, 16, 36], [16, 16, 72]];

/** [Cin, Cout, L] of the encoder's Conv1d → ReLU → MaxPool1d(2) stages. */
export const POOLED_LAYERS: [number, number, number][] = [[1, 16, 144], [16, 32, 72]];

export async function convSuite(cfg: BenchConfig, layers = CONV_LAYERS, upsampled = UPSAMPLED_LAYERS,
                                pooled = POOLED_LAYERS): Promise<Row[]> {
  const support = wasmSupport();
  if (!support.ok) throw new Error(`conv suite needs WebAssembly SIMD: ${support.reason}`);
  const kx = instantiate(support.module), arena = new Arena(kx.memory);
  const wasm = completeBackend(createWasmBackend()), cpu = completeBackend(createCpuBackend());
  const rng = createRng('bench-conv');
  const rand = (n: number) => Float32Array.from({ length: n }, () => rng.uniform() - 0.5);
  const rows: Row[] = [];
  for (const [Cin, Cout, L] of layers) {
    const g: ConvGeometry = { N: 32, Cin, Cout, K: 7, stride: 1, padding: 3, L, Lout: L };
    const x = rand(32 * Cin * L), w = rand(Cout * Cin * 7), b = rand(Cout), gy = rand(32 * Cout * L);
    const y = new Float32Array(gy.length), dx = new Float32Array(x.length), dw = new Float32Array(w.length), db = new Float32Array(Cout);
    const times = interleavedMin({
      direct: () => { wasm.conv1dForward(x, w, b, y, g, true); wasm.conv1dBackward(x, w, gy, dx, dw, db, g, y); },
      im2row: () => { wasmConv1dForward(kx, arena, x, w, b, y, g, true); wasmConv1dBackward(kx, arena, x, w, gy, dx, dw, db, g, y); },
      cpu: () => { cpu.conv1dForward(x, w, b, y, g, true); cpu.conv1dBackward(x, w, gy, dx, dw, db, g, y); },
    }, Math.max(10, Math.round(cfg.timeMs / 20)));
    const shape = `[32,${Cin}->${Cout},${L}] k7`;
    const gflops = (ms: number) => (2 * 32 * Cout * L * Cin * 7 * 3) / ms / 1e6;
    const row = (name: string, t: { ms: number; samples: number }, baseline?: string, ratio?: number): Row =>
      ({ suite: 'conv', name, ms: t.ms, value: gflops(t.ms), unit: 'GFLOP/s', baseline, ratio, samples: t.samples });
    rows.push(row(`conv1d+relu fwd+bwd cpu ${shape}`, times.cpu));
    rows.push(row(`conv1d+relu fwd+bwd wasm im2row ${shape}`, times.im2row, `conv1d+relu fwd+bwd cpu ${shape}`, times.cpu.ms / times.im2row.ms));
    rows.push(row(`conv1d+relu fwd+bwd wasm direct ${shape}`, times.direct, `conv1d+relu fwd+bwd wasm im2row ${shape}`, times.im2row.ms / times.direct.ms));
    rows.push(row(`conv1d+relu direct vs cpu ${shape}`, times.direct, `conv1d+relu fwd+bwd cpu ${shape}`, times.cpu.ms / times.direct.ms));
  }
  // Upsample 2 → conv: the backend's default (by output phase, conv-polyphase.ts) against the
  // direct kernels on the upsampled rows (the path before it) and the TS twin.
  const kc = instantiateConv(kx.memory);
  if (!kc) throw new Error('conv suite needs the conv module');
  for (const [Cin, Cout, Ls] of upsampled) {
    const L = 2 * Ls, g: ConvGeometry = { N: 32, Cin, Cout, K: 7, stride: 1, padding: 3, L, Lout: L, up: 2 };
    const x = rand(32 * Cin * Ls), w = rand(Cout * Cin * 7), b = rand(Cout), gy = rand(32 * Cout * L);
    const y = new Float32Array(gy.length), dx = new Float32Array(x.length), dw = new Float32Array(w.length), db = new Float32Array(Cout);
    const times = interleavedMin({
      phases: () => { wasm.conv1dForward(x, w, b, y, g, true); wasm.conv1dBackward(x, w, gy, dx, dw, db, g, y); },
      direct: () => { directConv1dForward(kc, arena, x, w, b, y, g, true); directConv1dBackward(kc, arena, x, w, gy, dx, dw, db, g, y); },
      cpu: () => { cpu.conv1dForward(x, w, b, y, g, true); cpu.conv1dBackward(x, w, gy, dx, dw, db, g, y); },
    }, Math.max(10, Math.round(cfg.timeMs / 20)));
    const shape = `[32,${Cin}->${Cout},${Ls}x2] k7`;
    const gflops = (ms: number) => (2 * 32 * Cout * L * Cin * 7 * 3) / ms / 1e6;       // of the upsampled conv
    const row = (name: string, t: { ms: number; samples: number }, baseline?: string, ratio?: number): Row =>
      ({ suite: 'conv', name, ms: t.ms, value: gflops(t.ms), unit: 'GFLOP/s', baseline, ratio, samples: t.samples });
    rows.push(row(`upsample+conv1d+relu fwd+bwd cpu ${shape}`, times.cpu));
    rows.push(row(`upsample+conv1d+relu fwd+bwd wasm direct ${shape}`, times.direct, `upsample+conv1d+relu fwd+bwd cpu ${shape}`, times.cpu.ms / times.direct.ms));
    rows.push(row(`upsample+conv1d+relu fwd+bwd wasm phases ${shape}`, times.phases, `upsample+conv1d+relu fwd+bwd wasm direct ${shape}`, times.direct.ms / times.phases.ms));
    rows.push(row(`upsample+conv1d+relu phases vs cpu ${shape}`, times.phases, `upsample+conv1d+relu fwd+bwd cpu ${shape}`, times.cpu.ms / times.phases.ms));
  }
  // Conv1d → ReLU → MaxPool1d(2): the backend's fused op (the pool in wasm memory, conv-pool.wat)
  // against the path before it (the direct conv with ReLU, then the TS pair max and its scatter
  // back, dy masked by the full-length ReLU output in the conv backward) and the TS twin.
  for (const [Cin, Cout, L] of pooled) {
    const g: ConvGeometry = { N: 32, Cin, Cout, K: 7, stride: 1, padding: 3, L, Lout: L, up: 1 };
    const P = L >> 1, rowsN = 32 * Cout;
    const x = rand(32 * Cin * L), w = rand(Cout * Cin * 7), b = rand(Cout), gy = rand(rowsN * P);
    const yFull = new Float32Array(rowsN * L), gFull = new Float32Array(rowsN * L), y = new Float32Array(rowsN * P);
    const at = new Int32Array(rowsN * P), sel = new Int32Array(rowsN * P);
    const dx = new Float32Array(x.length), dw = new Float32Array(w.length), db = new Float32Array(Cout);
    const times = interleavedMin({
      fused: () => { wasm.conv1dReluPoolForward(x, w, b, y, sel, g); wasm.conv1dReluPoolBackward(x, w, gy, y, sel, dx, dw, db, g); },
      unfused: () => {
        wasm.conv1dForward(x, w, b, yFull, g, true);
        pairMax(yFull, rowsN, L, P, y, at);
        gFull.fill(0);
        for (let o = 0; o < gy.length; o++) gFull[at[o]] += gy[o];
        wasm.conv1dBackward(x, w, gFull, dx, dw, db, g, yFull);
      },
      cpu: () => { cpu.conv1dReluPoolForward(x, w, b, y, sel, g); cpu.conv1dReluPoolBackward(x, w, gy, y, sel, dx, dw, db, g); },
    }, Math.max(10, Math.round(cfg.timeMs / 20)));
    const shape = `[32,${Cin}->${Cout},${L}] k7`;
    const gflops = (ms: number) => (2 * 32 * Cout * L * Cin * 7 * 3) / ms / 1e6;
    const row = (name: string, t: { ms: number; samples: number }, baseline?: string, ratio?: number): Row =>
      ({ suite: 'conv', name, ms: t.ms, value: gflops(t.ms), unit: 'GFLOP/s', baseline, ratio, samples: t.samples });
    rows.push(row(`conv1d+relu+pool2 fwd+bwd cpu ${shape}`, times.cpu));
    rows.push(row(`conv1d+relu then TS pool2 fwd+bwd wasm ${shape}`, times.unfused, `conv1d+relu+pool2 fwd+bwd cpu ${shape}`, times.cpu.ms / times.unfused.ms));
    rows.push(row(`conv1d+relu+pool2 fwd+bwd wasm fused ${shape}`, times.fused, `conv1d+relu then TS pool2 fwd+bwd wasm ${shape}`, times.unfused.ms / times.fused.ms));
  }
  return rows;
}

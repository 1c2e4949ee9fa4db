// `npm run bench:check`: the guard. Re-measures the guarded ratios (same-process baselines, so
// a slower or busier machine does not trip it) and fails when one falls below its floor:
// blocked vs naive TS matmul, fused vs unfused MSE, the wasm SIMD kernels vs the TS ones, and the
// direct conv1d kernels vs the im2row + gemm path and vs their TS twin.

import '../src/index.ts';
import type { BenchConfig, Row } from './lib.ts';
import { matmulSuite } from './suites/matmul.ts';
import { elementwiseSuite } from './suites/elementwise.ts';
import { convSuite } from './suites/conv.ts';
import { lstmSuite } from './suites/lstm.ts';
import { scoringSuite } from './suites/scoring.ts';
import { loadWorkload } from './workload.ts';

/** Floors sit well below the ratios measured on a 2-core CI machine (see README). */
const FLOORS: { name: string; floor: number }[] = [
  { name: 'blocked 256x140x64 nn', floor: 2.5 },
  { name: 'blocked 256x140x64 tn', floor: 2.5 },
  { name: 'blocked 256x140x64 nt', floor: 2.5 },
  { name: 'mse fwd+bwd fused [256,140]', floor: 1.5 },
  // The wasm SIMD kernel against the blocked TS kernel (measured 8-15x at 256x140x64, busy 2-core machine).
  { name: 'wasm 256x140x64 nn', floor: 4 },
  { name: 'wasm 256x140x64 tn', floor: 4 },
  { name: 'wasm 256x140x64 nt', floor: 4 },
  { name: 'mse kernels fwd+bwd wasm [256,140]', floor: 2 },
  { name: 'linear relu mask + bias grad wasm [32,64]', floor: 3 },
  { name: 'sumToShape rows wasm [4480,128]', floor: 2.5 },
  // Direct conv1d (ReLU fused, fwd + dx + dW + db) against the wasm im2row path (measured 2.4x and
  // 5.3x at load 10) and against the TS twin (23x and 13x).
  { name: 'conv1d+relu fwd+bwd wasm direct [32,16->32,72] k7', floor: 1.3 },
  { name: 'conv1d+relu fwd+bwd wasm direct [32,16->1,144] k7', floor: 1.3 },
  { name: 'conv1d+relu direct vs cpu [32,16->32,72] k7', floor: 5 },
  { name: 'conv1d+relu direct vs cpu [32,16->1,144] k7', floor: 5 },
  // Dense scoring at batch 256: the wasm whole-chain detect against the per-op wasm path (measured
  // 1.2-2.0x, load 0.8-2) and wasm detect against the TS kernels (cpu backend; 16x).
  { name: 'dense detect chain, batch 256, wasm', floor: 1.05 },
  { name: 'dense detect, batch 256, wasm', floor: 5 },
  // Upsample 2 → conv1d by output phase (conv-polyphase.ts) against the direct kernels on the
  // upsampled rows it replaced (measured 1.12-1.16x at load 8) and against the TS twin (12-14x).
  { name: 'upsample+conv1d+relu fwd+bwd wasm phases [32,32->16,36x2] k7', floor: 0.95 },
  { name: 'upsample+conv1d+relu phases vs cpu [32,32->16,36x2] k7', floor: 5 },
  // Conv1d → ReLU → MaxPool1d(2) fused (the pool in wasm memory, conv-pool.wat) against the direct
  // conv then the TS pair max it replaced (measured 1.28x at [16->32, 72] and 1.85x at [1->16, 144], load 4).
  { name: 'conv1d+relu+pool2 fwd+bwd wasm fused [32,16->32,72] k7', floor: 1.05 },
  // The LSTM decoder's input gates once (lstmRepeatedInput, time-major states) against lstm on the
  // built repeat (measured 1.47x at 35 steps, load 0.3), and the scoring chain's kept transposed
  // weights at batch 1 against a call that must transpose (measured 1.47x, load 0.3).
  { name: 'lstm decoder repeated input fwd+bwd [32,35,16->32]', floor: 1.2 },
  { name: 'dense detect, batch 1, wasm, weights kept', floor: 1.1 },
];

/** Long enough warm-up that both sides of each ratio run JIT-compiled code. */
const CHECK: BenchConfig = { timeMs: 400, warmupMs: 250 };

async function main(): Promise<void> {
  const rows: Row[] = [
    ...(await matmulSuite(CHECK, [[256, 140, 64]])),
    ...(await elementwiseSuite(CHECK)),
    ...(await convSuite(CHECK, [[16, 32, 72], [16, 1, 144]], [[32, 16, 36]], [[16, 32, 72]])),
    ...(await scoringSuite(CHECK, loadWorkload().beats)),
    ...(await lstmSuite(CHECK, [35])),
  ];
  let failed = 0;
  for (const { name, floor } of FLOORS) {
    const row = rows.find((r) => r.name === name);
    if (!row?.ratio) { console.log(`MISSING ${name}`); failed++; continue; }
    const ok = row.ratio >= floor;
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${row.ratio.toFixed(2)}x ${row.baseline} (floor ${floor}x)`);
  }
  if (failed) { console.error(`bench:check: ${failed} guarded ratio(s) below the floor`); process.exitCode = 1; }
}

main().catch((e) => { console.error(`bench:check: error: ${(e as Error).message}`); process.exitCode = 1; });

// Elementwise and MSE throughput on the default backend. MSE forward+backward as the fused op
// (one kernel each way) against the same loss composed from sub, square and mean (the unfused
// baseline); and the MSE kernels of the cpu and wasm backends side by side.

import '../../src/index.ts';
import { mseLoss, randNormal, tensor } from '../../src/index.ts';
import { createCpuBackend } from '../../src/backends/cpu/index.ts';
import { createWasmBackend } from '../../src/backends/wasm/index.ts';
import { completeBackend } from '../../src/backends/complete.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';

export async function elementwiseSuite(cfg: BenchConfig): Promise<Row[]> {
  const rows: Row[] = [];
  const [B, L] = [256, 140];
  const target = randNormal([B, L], 'bench-target');
  const predData = randNormal([B, L], 'bench-pred').data;
  const bias = randNormal([L], 'bench-bias');
  const mb = (B * L * 4) / 1e6; // MB of one [B, L] float32 array

  const times = await timeAll({
    fused: () => { const p = tensor(predData, [B, L], { requiresGrad: true }); mseLoss(p, target).backward(); },
    unfused: () => { const p = tensor(predData, [B, L], { requiresGrad: true }); p.sub(target).square().mean().backward(); },
    relu: () => { const p = tensor(predData, [B, L], { requiresGrad: true }); p.relu().sum().backward(); },
    addRow: () => { tensor(predData, [B, L]).add(bias); },
  }, cfg);
  const per = (ms: number) => (B / ms) * 1000; // beats per second
  rows.push({ suite: 'elementwise', name: `mse fwd+bwd unfused [${B},${L}]`, ms: times.unfused.ms, value: per(times.unfused.ms), unit: 'beats/s', samples: times.unfused.samples });
  rows.push({ suite: 'elementwise', name: `mse fwd+bwd fused [${B},${L}]`, ms: times.fused.ms, value: per(times.fused.ms), unit: 'beats/s',
    baseline: `mse fwd+bwd unfused [${B},${L}]`, ratio: times.unfused.ms / times.fused.ms, samples: times.fused.samples });
  rows.push({ suite: 'elementwise', name: `relu fwd+bwd [${B},${L}]`, ms: times.relu.ms, value: mb / times.relu.ms * 1000, unit: 'MB/s', samples: times.relu.samples });
  rows.push({ suite: 'elementwise', name: `add row-broadcast [${B},${L}]+[${L}]`, ms: times.addRow.ms, value: mb / times.addRow.ms * 1000, unit: 'MB/s', samples: times.addRow.samples });
  // The MSE kernels themselves, cpu (TS) against wasm (f32x4, copies included).
  const cpu = createCpuBackend(), wasm = createWasmBackend();
  const t = target.data, g = new Float32Array(B * L);
  const k = await timeAll({
    cpu: () => { cpu.mseLoss(predData, t); cpu.mseLossBackward(predData, t, 1, g); },
    wasm: () => { wasm.mseLoss(predData, t); wasm.mseLossBackward(predData, t, 1, g); },
  }, cfg);
  rows.push({ suite: 'elementwise', name: `mse kernels fwd+bwd cpu [${B},${L}]`, ms: k.cpu.ms, value: per(k.cpu.ms), unit: 'beats/s', samples: k.cpu.samples });
  rows.push({ suite: 'elementwise', name: `mse kernels fwd+bwd wasm [${B},${L}]`, ms: k.wasm.ms, value: per(k.wasm.ms), unit: 'beats/s',
    baseline: `mse kernels fwd+bwd cpu [${B},${L}]`, ratio: k.cpu.ms / k.wasm.ms, samples: k.wasm.samples });
  // The linear backward's ReLU mask and bias gradient alone (dx, dW not asked): wasm's relu_mask +
  // col_sum against the TS twin (the cpu backend's composition: the mask loop and sumToShape).
  const completeCpu = completeBackend(cpu);
  const [R, F] = [32, 64];
  const gy = randNormal([R, F], 'bench-gy').data, y = randNormal([R, F], 'bench-y').data, db = new Float32Array(F);
  const lin = await timeAll({
    cpu: () => completeCpu.linearBackward(predData, predData, y, gy, null, null, db, R, 1, F),
    wasm: () => wasm.linearBackward!(predData, predData, y, gy, null, null, db, R, 1, F),
  }, cfg);
  rows.push({ suite: 'elementwise', name: `linear relu mask + bias grad cpu [${R},${F}]`, ms: lin.cpu.ms, value: 1000 / lin.cpu.ms, unit: 'calls/s', samples: lin.cpu.samples });
  rows.push({ suite: 'elementwise', name: `linear relu mask + bias grad wasm [${R},${F}]`, ms: lin.wasm.ms, value: 1000 / lin.wasm.ms, unit: 'calls/s',
    baseline: `linear relu mask + bias grad cpu [${R},${F}]`, ratio: lin.cpu.ms / lin.wasm.ms, samples: lin.wasm.samples });
  // sumToShape's bias case at the LSTM's gate size ([T·B, 4H]): wasm's col_sum against the TS twin.
  const [TB, G] = [4480, 128];
  const da = randNormal([TB, G], 'bench-da').data, dbias = new Float32Array(G);
  const sum = await timeAll({
    cpu: () => cpu.sumToShape(da, [TB, G], dbias, [G]),
    wasm: () => wasm.sumToShape(da, [TB, G], dbias, [G]),
  }, cfg);
  rows.push({ suite: 'elementwise', name: `sumToShape rows cpu [${TB},${G}]`, ms: sum.cpu.ms, value: 1000 / sum.cpu.ms, unit: 'calls/s', samples: sum.cpu.samples });
  rows.push({ suite: 'elementwise', name: `sumToShape rows wasm [${TB},${G}]`, ms: sum.wasm.ms, value: 1000 / sum.wasm.ms, unit: 'calls/s',
    baseline: `sumToShape rows cpu [${TB},${G}]`, ratio: sum.cpu.ms / sum.wasm.ms, samples: sum.wasm.samples });
  return rows;
}

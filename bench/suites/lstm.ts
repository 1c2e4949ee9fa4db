// The LSTM decoder's input on the default backend: lstmRepeatedInput (the code's input gates once,
// the states time-major; what the LSTM autoencoder's decoder runs) against lstm on the repeat built
// as a tensor and its states batch-major (what it ran before), forward and backward of one decoder
// layer at the default architecture's shapes (batch 32, 35 steps of patch 4, code 16, state 32)
// and at bench:peers' (140 one-sample steps).

import { lstm, lstmRepeatedInput, randNormal, randUniform, tensor, zeros, type Tensor } from '../../src/index.ts';
import { timeAll, type BenchConfig, type Row } from '../lib.ts';

export async function lstmSuite(cfg: BenchConfig, stepsList: readonly number[] = [35, 140]): Promise<Row[]> {
  const rows: Row[] = [];
  const [B, Z, H] = [32, 16, 32];
  const w = [randUniform([4 * H, Z], 'bench-wih', -0.2, 0.2), randUniform([4 * H, H], 'bench-whh', -0.2, 0.2),
    randUniform([4 * H], 'bench-bih', -0.2, 0.2), randUniform([4 * H], 'bench-bhh', -0.2, 0.2)];
  for (const p of w) p.requiresGrad = true;
  const zData = randNormal([B, Z], 'bench-z').data;
  for (const T of stepsList) {
    const code = () => tensor(zData, [B, Z], { requiresGrad: true });
    const backward = (y: Tensor) => { y.sum().backward(); for (const p of w) p.grad = null; };
    const t = await timeAll({
      repeat: () => { const z = code(); backward(lstm(zeros([B, T, Z]).add(z.reshape([B, 1, Z])), w[0], w[1], w[2], w[3])); },
      direct: () => { backward(lstmRepeatedInput(code(), T, w[0], w[1], w[2], w[3], { timeMajor: true })); },
    }, cfg);
    const shape = `[${B},${T},${Z}->${H}]`;
    rows.push({ suite: 'lstm', name: `lstm decoder on the built repeat fwd+bwd ${shape}`, ms: t.repeat.ms, value: 1000 / t.repeat.ms, unit: 'steps/s', samples: t.repeat.samples });
    rows.push({ suite: 'lstm', name: `lstm decoder repeated input fwd+bwd ${shape}`, ms: t.direct.ms, value: 1000 / t.direct.ms, unit: 'steps/s',
      baseline: `lstm decoder on the built repeat fwd+bwd ${shape}`, ratio: t.repeat.ms / t.direct.ms, samples: t.direct.samples });
  }
  return rows;
}

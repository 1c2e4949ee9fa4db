// Issue 10, item 7: training that diverges stops with an error, also when the loss stays finite
// (it climbed to 1.1e33 at --lr 100 and the model was saved); normal runs of every model kind
// never trip the rule; non-finite weights are never handed back.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { defaultArchitecture, trainingDefaults } from '../../src/autoencoders/defaults.ts';
import { createAutoencoder, type ModelKind } from '../../src/autoencoders/registry.ts';
import { selectRows } from '../../src/data/dataset.ts';
import { loadBeatFile } from '../../src/data/load-node.ts';
import { fitScaler, transform } from '../../src/detect/scaler.ts';
import { DIVERGENCE_FACTOR, trainAutoencoder, type BeatMatrix, type EpochRecord } from '../../src/training/trainer.ts';

const TRAIN = fileURLToPath(new URL('../../../shared/data/ecg5000/ECG5000_TRAIN.txt', import.meta.url));
const normal = selectRows(loadBeatFile(TRAIN), (l) => l === '1');
const scaler = fitScaler('standard', normal.beats, normal.n, normal.length);
const beats: BeatMatrix = { data: transform(scaler, normal.beats), n: normal.n, length: normal.length };
const rows = (m: BeatMatrix, from: number, to: number): BeatMatrix =>
  ({ data: m.data.slice(from * m.length, to * m.length), n: to - from, length: m.length });
const fit = rows(beats, 0, 260);
const val = rows(beats, 260, beats.n);

function thrown(fn: () => unknown): Error {
  try { fn(); } catch (e) { return e as Error; }
  throw new Error('expected an error');
}

describe('divergence that stays finite', () => {
  it('--lr 100 on the dense model stops within the first epochs, naming the rule', () => {
    const model = createAutoencoder(defaultArchitecture('dense', 140), 0);
    const seen: EpochRecord[] = [];
    const e = thrown(() => trainAutoencoder(model, fit, null, { epochs: 30, batchSize: 32, lr: 100, patience: 0, seed: 0, onEpoch: (r) => seen.push(r) }));
    expect(e.message).toMatch(/^training diverged at epoch \d+ \(loss [0-9.e+]+\): the loss is over 1000x .*try a lower learning rate/);
    const loss = Number(/\(loss ([^)]+)\)/.exec(e.message)![1]);
    expect(Number.isFinite(loss)).toBe(true); // the finite case the NaN check alone missed
    expect(seen.length).toBeLessThan(5);
  });

  it('the LSTM at --lr 1e6 stops too', () => {
    const model = createAutoencoder(defaultArchitecture('lstm', 140), 0);
    expect(() => trainAutoencoder(model, rows(fit, 0, 64), null, { epochs: 30, batchSize: 32, lr: 1e6, patience: 0, seed: 0, clipNorm: 1 }))
      .toThrow(/training diverged at epoch \d+/);
  });

  it('non-finite weights after training are refused, even when the loss looked fine', () => {
    const model = createAutoencoder(defaultArchitecture('dense', 140), 0);
    const [, firstWeight] = model.namedParameters()[0];
    const poke = (r: EpochRecord) => { if (r.epoch === 3) firstWeight.data[5] = NaN; }; // after the last epoch's checks
    expect(() => trainAutoencoder(model, fit, null, { epochs: 3, batchSize: 32, lr: 1e-3, patience: 0, seed: 0, onEpoch: poke }))
      .toThrow('training produced a non-finite weight (encoder.0.weight[5] = NaN)');
  });
});

describe('normal runs never trip the rule (ECG5000, each kind\'s default recipe)', () => {
  // Largest ratio of an epoch's loss to the lowest epoch loss before it: the rule fires at 1000.
  function worstRise(history: EpochRecord[]): number {
    let lowest = Infinity, worst = 0;
    for (const h of history) { if (lowest < Infinity) worst = Math.max(worst, h.loss / lowest); lowest = Math.min(lowest, h.loss); }
    return worst;
  }
  // dense and vae: their full default runs (fast); lstm and conv: a short run each (slow kinds).
  const epochsOf: Record<ModelKind, number> = { dense: trainingDefaults('dense').epochs, vae: trainingDefaults('vae').epochs, lstm: 6, conv: 4 };
  for (const kind of ['dense', 'vae', 'lstm', 'conv'] as const) {
    it(kind, () => {
      const d = trainingDefaults(kind);
      const model = createAutoencoder(defaultArchitecture(kind, 140), 0);
      const r = trainAutoencoder(model, fit, val, { epochs: epochsOf[kind], batchSize: 32, lr: d.lr, patience: d.patience, seed: 0, clipNorm: kind === 'lstm' ? 1 : 0 });
      expect(r.history.length).toBeGreaterThan(1);
      expect(r.history[r.history.length - 1].loss).toBeLessThan(r.history[0].loss); // it learned
      expect(worstRise(r.history)).toBeLessThan(DIVERGENCE_FACTOR / 100); // two orders of magnitude of margin
    }, 120_000);
  }
});

// The monitor end to end on the three MIT-BIH records with --learn 5m (no labels used):
// PVC ROC-AUC against the annotations, and streaming equals batch for random chunkings.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { createRng } from '../../src/engine/random.ts';
import { evaluateAgainstAnnotations } from '../../src/monitor/annotation-eval.ts';
import { EcgMonitor, type MonitorBeat } from '../../src/monitor/ecg-monitor.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { MITDB, reference } from './helpers.ts';

function run(record: string, chunk: (rng: ReturnType<typeof createRng>) => number = () => Infinity, options = {}) {
  const sig = readWfdbLead(path.join(MITDB, record));
  const mon = new EcgMonitor({ fs: sig.fs, scoring: { kind: 'learn', seconds: 300, options } });
  const rng = createRng(`chunks:${record}`);
  const beats: MonitorBeat[] = [];
  for (let i = 0; i < sig.samples.length;) {
    const n = Math.min(sig.samples.length - i, chunk(rng));
    beats.push(...mon.push(sig.samples.subarray(i, i + n)));
    i += n;
  }
  beats.push(...mon.end());
  return { beats, sig, evaluation: evaluateAgainstAnnotations(beats, reference(record), sig.fs, sig.samples.length) };
}

describe('monitor --learn 5m on MIT-BIH', () => {
  it('record 106 (520 multiform PVCs): PVC ROC-AUC >= 0.97 without labels; beats in order and complete', () => {
    const { beats, evaluation: ev } = run('106');
    expect(ev.pvc.pvcs).toBeGreaterThan(400);
    expect(ev.pvc.rocAuc!).toBeGreaterThanOrEqual(0.97);
    expect(ev.pvc.sensitivity!).toBeGreaterThan(0.7);
    expect(ev.pvc.precision!).toBeGreaterThan(0.9);
    expect(beats.map((b) => b.index)).toEqual(beats.map((_, i) => i));
    expect(beats.filter((b) => b.learning).every((b) => b.sample < 300 * 360)).toBe(true);
    expect(ev.rPeaks.sensitivity).toBeGreaterThanOrEqual(0.995);
  });

  it('trimming makes learning robust to the PVCs in the first minutes (record 106)', () => {
    const trimmed = run('106').evaluation.pvc, untrimmed = run('106', undefined, { trim: 0 }).evaluation.pvc;
    expect(trimmed.rocAucShape!).toBeGreaterThan(untrimmed.rocAucShape! + 0.02);
    expect(trimmed.sensitivity!).toBeGreaterThan(untrimmed.sensitivity! + 0.3);
    expect(trimmed.rocAucPrematurity!).toBeGreaterThan(0.95); // timing alone (shape-blind)
  });

  it('records 100 and 108: the PVCs after the learning period rank high', () => {
    for (const record of ['100', '108']) {
      const { evaluation: ev } = run(record);
      expect(ev.pvc.pvcs).toBeGreaterThan(0);
      expect(ev.pvc.rocAuc!).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('streaming equals batch: random chunk sizes give the same beats and scores (record 106)', () => {
    const whole = run('106').beats;
    const chunked = run('106', (rng) => 1 + rng.int(3000)).beats;
    expect(chunked).toEqual(whole);
  });
});

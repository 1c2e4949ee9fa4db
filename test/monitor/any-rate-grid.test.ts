// R peaks at any rate (issue 24 item 4), bounded: the first 10 minutes of each shared record,
// band-limited-resampled to 128, 250, 500 and 1000 Hz, through the monitor: QRS Se and +P >= 99.5%,
// or within 0.5 points of 360 Hz where the excerpt itself is below that (104's minutes 5-6 are
// noisy at every rate) (bxb matching, after the 300 s learning period, as monitor eval scores).
// Record 104 at 128 Hz was 87.5% before the R peak
// was placed on the signal rather than on its band-pass (its paced complexes). The full records
// and the VEB columns are in docs/signals.md (measured with `monitor eval --resample HZ`).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { readReference } from '../../src/cli/monitor-eval.ts';
import { scoreRecord } from '../../src/monitor/bxb.ts';
import { EcgMonitor } from '../../src/monitor/ecg-monitor.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { resample, resampleIndex } from '../helpers/resample.ts';
import { MITDB } from './helpers.ts';

const LEARN = 300, SECONDS = 600;

const cache = new Map<string, { se: number; ppv: number }>();

function qrsAt(record: string, fs: number): { se: number; ppv: number } {
  const key = `${record}@${fs}`;
  if (!cache.has(key)) cache.set(key, measure(record, fs));
  return cache.get(key)!;
}

function measure(record: string, fs: number): { se: number; ppv: number } {
  const sig = readWfdbLead(path.join(MITDB, record));
  const x = sig.samples.subarray(0, SECONDS * sig.fs);
  const y = resample(x, sig.fs, fs);
  const ref = readReference(path.join(MITDB, record));
  const keep = Array.from(ref.samples.keys()).filter((i) => ref.samples[i] < x.length);
  const refAt = { ...ref, samples: Int32Array.from(keep, (i) => resampleIndex(ref.samples[i], sig.fs, fs)), classes: keep.map((i) => ref.classes[i]) };
  const m = new EcgMonitor({ fs, scoring: { kind: 'learn', seconds: LEARN, options: { seed: 1 } } });
  const beats = [...m.push(y), ...m.end()];
  const s = scoreRecord(beats.map((b) => ({ sample: b.sample, class: b.class })), refAt, { fs, totalSamples: y.length, learningSeconds: LEARN, record });
  return { se: s.qrs.se ?? NaN, ppv: s.qrs.ppv ?? NaN };
}

const base = (record: string) => qrsAt(record, 360);

function expectAsGood(record: string, fs: number): void {
  const q = qrsAt(record, fs), b = base(record);
  expect(q.se, `${record} at ${fs} Hz Se (360 Hz: ${b.se})`).toBeGreaterThanOrEqual(Math.min(0.995, b.se) - 0.005);
  expect(q.ppv, `${record} at ${fs} Hz +P (360 Hz: ${b.ppv})`).toBeGreaterThanOrEqual(Math.min(0.995, b.ppv) - 0.005);
}

describe('R peaks at 128-1000 Hz', () => {
  for (const fs of [128, 250, 500, 1000]) {
    it(`records 100, 106, 108 and 232 at ${fs} Hz: QRS Se and +P >= 99.5% or as at 360 Hz (first 10 min)`, () => {
      for (const record of ['100', '106', '108', '232']) expectAsGood(record, fs);
    }, 30_000);
  }
  it('record 104 (paced) at 500 and 1000 Hz as at 360 Hz; at 128 and 250 Hz over 97% (128 Hz: 87.5% before the fix)', () => {
    expectAsGood('104', 500);
    expectAsGood('104', 1000);
    for (const fs of [128, 250]) expect(qrsAt('104', fs).se, `${fs} Hz`).toBeGreaterThan(0.97);
  }, 30_000);
  // 104's noisy minutes 5-6: 128 and 250 Hz missed 6-7 beats that 360 Hz found (Se 98.1% and 98.4%
  // against 99.7%) while the noise meter measured in samples (319-322 s one hidden episode at 128 Hz,
  // two shown at 360 Hz); measured in Hz it gives the same episodes at every rate.
  it('record 104 at 128 and 250 Hz in its noisy minutes 5-10 as at 360 Hz (was Se 98.1%, 98.4%)', () => {
    expectAsGood('104', 128);
    expectAsGood('104', 250);
  }, 30_000);
});

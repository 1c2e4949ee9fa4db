// The monitor at sampling rates other than MIT-BIH's 360 Hz (issue 24 item 4): the first 15 minutes
// of record 106 (many PVCs) band-limited-resampled to 128 and 1000 Hz score like the original, and
// record 108 (the hard one) meets issue 24's bounds at 128, 250 and 1000 Hz and inverted.
// The full grid (five records x 128/250/500/1000 Hz) is measured by hand; this keeps CI bounded.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { evaluateRecord, readReference } from '../../src/cli/monitor-eval.ts';
import { scoreRecord, type RecordScore } from '../../src/monitor/bxb.ts';
import { EcgMonitor } from '../../src/monitor/ecg-monitor.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { resample } from '../helpers/resample.ts';
import { MITDB } from './helpers.ts';

const LEARN = 300;

function scoreAt(x: Float32Array, fsIn: number, fs: number, record: string): RecordScore {
  const ref = readReference(path.join(MITDB, record));
  const y = fs === fsIn ? x : resample(x, fsIn, fs);
  const end = Math.round((x.length * fs) / fsIn);
  const keep = Array.from(ref.samples, (s, i) => [Math.round((s * fs) / fsIn), i]).filter(([s]) => s < end);
  const refAt = { ...ref, samples: Int32Array.from(keep, ([s]) => s), classes: keep.map(([, i]) => ref.classes[i]) };
  const m = new EcgMonitor({ fs, scoring: { kind: 'learn', seconds: LEARN, options: { seed: 1 } } });
  const beats = [...m.push(y), ...m.end()];
  return scoreRecord(beats.map((b) => ({ sample: b.sample, class: b.class })), refAt, { fs, totalSamples: y.length, learningSeconds: LEARN, record });
}

describe('any sampling rate', () => {
  it('resample keeps a 10 Hz sine and removes a tone above the new Nyquist rate', () => {
    const fs = 360, n = 3600;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 10 * i) / fs) + Math.sin((2 * Math.PI * 100 * i) / fs));
    const y = resample(x, fs, 128);
    expect(y.length).toBe(1280);
    let err = 0;
    for (let k = 200; k < 1080; k++) err = Math.max(err, Math.abs(y[k] - Math.sin((2 * Math.PI * 10 * k) / 128)));
    expect(err).toBeLessThan(0.02); // the 100 Hz tone (> 64 Hz) is gone, the 10 Hz one intact
  });

  it('record 106 at 128 and 1000 Hz: QRS >= 99.5%, VEB within 0.05 of 360 Hz', () => {
    const sig = readWfdbLead(path.join(MITDB, '106'));
    const x = Float32Array.from(sig.samples.subarray(0, sig.fs * 900));
    const base = scoreAt(x, sig.fs, sig.fs, '106');
    for (const fs of [128, 1000]) {
      const s = scoreAt(x, sig.fs, fs, '106');
      expect(s.qrs.se, `${fs} Hz`).toBeGreaterThanOrEqual(0.995);
      expect(s.qrs.ppv, `${fs} Hz`).toBeGreaterThanOrEqual(0.995);
      expect(Math.abs((s.veb.se ?? NaN) - (base.veb.se ?? NaN)), `${fs} Hz`).toBeLessThanOrEqual(0.05);
      expect(Math.abs((s.veb.ppv ?? NaN) - (base.veb.ppv ?? NaN)), `${fs} Hz`).toBeLessThanOrEqual(0.05);
    }
  }, 60_000);

  // Issue 24's acceptance on its hardest record, whole (30 min; bench/rate-polarity.ts runs all
  // 50 cells): before the P-wave re-anchoring and the narrow-and-small rule, every cell failed
  // (QRS Se 99.32-99.39%; VEB +P one or two false V off the 360 Hz result).
  it('record 108 at 128, 250 and 1000 Hz and inverted: QRS Se and +P >= 99.5%, VEB within 0.05 of 360 Hz', () => {
    const run = (hz: number, invert = false) => evaluateRecord(path.join(MITDB, '108'), { learnSeconds: LEARN, seed: 1, resampleHz: hz === 360 ? undefined : hz, invert });
    const base = run(360);
    for (const [hz, invert] of [[360, false], [128, false], [250, true], [1000, false]] as const) {
      const s = run(hz, invert);
      const cell = `${hz} Hz${invert ? ' inverted' : ''}`;
      expect(s.qrs.se, cell).toBeGreaterThanOrEqual(0.995);
      expect(s.qrs.ppv, cell).toBeGreaterThanOrEqual(0.995);
      expect(Math.abs((s.veb.se ?? NaN) - (base.veb.se ?? NaN)), cell).toBeLessThanOrEqual(0.05);
      expect(Math.abs((s.veb.ppv ?? NaN) - (base.veb.ppv ?? NaN)), cell).toBeLessThanOrEqual(0.05);
    }
  }, 60_000);
});

// Issue 24 safety: a flat line hides the signal from the QRS detector (no beats, no pause, no
// rhythm alarm), so a flat stretch longer than the pause-alarm limit after readable signal raises
// "possible asystole or lead off". Record 100 (first 3 min) with 10 s zeroed.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { EcgMonitor } from '../../src/monitor/ecg-monitor.ts';
import { FlatLineAlarms, type FlatLineAlarm } from '../../src/monitor/flat-line-alarm.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { MITDB } from './helpers.ts';

const FS = 360;
const LIMIT = 3;

/** Pushes `x` in chunks of `chunk` samples, feeding the alarm after each push. */
function alarmsOf(x: Float32Array, chunk: number): { alarms: FlatLineAlarm[]; beats: number[] } {
  const m = new EcgMonitor({ fs: FS, scoring: { kind: 'learn', seconds: 60 } });
  const flat = new FlatLineAlarms(FS, LIMIT);
  const alarms: FlatLineAlarm[] = [], beats: number[] = [];
  for (let i = 0; i < x.length; i += chunk) {
    beats.push(...m.push(x.subarray(i, i + chunk)).map((b) => b.sample));
    alarms.push(...flat.update(m.takeQualityEpisodes(), m.openQualityEpisode));
  }
  beats.push(...m.end().map((b) => b.sample));
  alarms.push(...flat.update(m.takeQualityEpisodes(), null));
  return { alarms, beats };
}

describe('flat-line alarm', () => {
  const x = readWfdbLead(path.join(MITDB, '100')).samples.slice(0, 180 * FS);

  it('10 s of zeros in record 100 raise one "possible asystole or lead off" alarm 3 s in, whatever the chunking', () => {
    const zeroed = x.slice();
    const from = 100 * FS, to = 110 * FS;
    zeroed.fill(0, from, to);
    const whole = alarmsOf(zeroed, zeroed.length);
    expect(whole.alarms).toHaveLength(1);
    const a = whole.alarms[0];
    expect(a.message).toBe('possible asystole or lead off');
    expect(Math.abs(a.start - from)).toBeLessThanOrEqual(FS); // the flat line found within 1 s of its edge
    expect(a.sample).toBe(a.start + LIMIT * FS);
    expect(whole.beats.filter((s) => s > from + 0.2 * FS && s < to)).toEqual([]);
    // Streamed in 1 s chunks: the same alarm, and it is known before the flat line ends.
    const streamed = alarmsOf(zeroed, FS);
    expect(streamed.alarms).toEqual(whole.alarms);
  });

  it('no alarm on the untouched record, on a flat line shorter than the limit, or on a recording that begins flat', () => {
    expect(alarmsOf(x, FS).alarms).toEqual([]);
    const short = x.slice();
    short.fill(0, 100 * FS, 102 * FS);
    expect(alarmsOf(short, FS).alarms).toEqual([]);
    const leadOnLate = x.slice();
    leadOnLate.fill(0, 0, 20 * FS);
    expect(alarmsOf(leadOnLate, FS).alarms).toEqual([]);
  });

  it('the alarm is raised while the flat line lasts (streamed: before its end is seen)', () => {
    const zeroed = x.slice();
    zeroed.fill(0, 100 * FS, 130 * FS);
    const m = new EcgMonitor({ fs: FS, scoring: { kind: 'learn', seconds: 60 } });
    const flat = new FlatLineAlarms(FS, LIMIT);
    let raisedAt = -1;
    for (let i = 0; i < zeroed.length && raisedAt < 0; i += FS / 2) {
      m.push(zeroed.subarray(i, i + FS / 2));
      if (flat.update(m.takeQualityEpisodes(), m.openQualityEpisode).length > 0) raisedAt = m.samplesSeen;
    }
    expect(raisedAt).toBeGreaterThan(103 * FS);
    expect(raisedAt).toBeLessThan(105 * FS);
  });
});

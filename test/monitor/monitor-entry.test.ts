// cardiograd/monitor's StreamingMonitor (src/monitor-entry.ts) against the CLI: the same samples
// pushed in random chunks give exactly the CLI's --jsonl beats (with classes), events and
// alerts, and its summary.

import { beforeAll, describe, expect, it } from 'vitest';
import { StreamingMonitor } from '../../src/monitor-entry.ts';
import { chunked, comparableSummary, ENTRY_OPTIONS, monitorExcerpt, type MonitorExcerpt } from '../package/monitor-excerpt.ts';

let ref: MonitorExcerpt;
let finished: StreamingMonitor | undefined;
beforeAll(() => { ref = monitorExcerpt(); }, 60_000);

describe('StreamingMonitor (cardiograd/monitor)', () => {
  it('record 100, 6 min pushed in chunks of 1..5000 samples: the CLI --jsonl records and summary', () => {
    const kinds = new Set(ref.records.map((r) => r.type));
    expect([...kinds].sort(), 'the excerpt has beats, events and alerts').toEqual(['alert', 'beat', 'event']);
    expect(ref.records.filter((r) => r.type === 'beat').length).toBeGreaterThan(400);
    const monitor = new StreamingMonitor(ENTRY_OPTIONS);
    const got: Record<string, unknown>[] = [];
    for (const c of chunked(ref.samples, 5000)) got.push(...monitor.push(c));
    const end = monitor.end();
    finished = monitor;
    got.push(...end.records);
    expect(got).toEqual(ref.records);
    expect(comparableSummary(end.summary)).toEqual(comparableSummary(ref.summary));
  }, 60_000);

  it('refuses a bad sampling rate and pushes after end()', () => {
    expect(() => new StreamingMonitor({ fs: 0 })).toThrow(/fs must be a sampling rate/);
    expect(() => new StreamingMonitor({ fs: 360 }).end(), 'no beat to learn from').toThrow(/only 0 beats/);
    expect(finished, 'ended by the first test').toBeDefined();
    expect(() => finished!.push([0])).toThrow(/after end/);
    expect(() => finished!.end()).toThrow(/twice/);
  });
});

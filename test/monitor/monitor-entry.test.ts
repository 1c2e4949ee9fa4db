// cardiograd/monitor's StreamingMonitor (src/monitor-entry.ts) against the CLI: the same samples
// pushed in random chunks give exactly the CLI's --jsonl beats (with classes), events and
// alerts, and its summary.

import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { StreamingMonitor } from '../../src/monitor-entry.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { MITDB } from './helpers.ts';
import { chunked, comparableSummary, ENTRY_OPTIONS, monitorExcerpt, type MonitorExcerpt } from '../package/monitor-excerpt.ts';

let ref: MonitorExcerpt;
let finished: StreamingMonitor | undefined;
beforeAll(() => { ref = monitorExcerpt(); }, 60_000);

describe('StreamingMonitor (cardiograd/monitor)', () => {
  it('record 100, 6 min pushed in chunks of 1..5000 samples: the CLI --jsonl records and summary', () => {
    const kinds = new Set(ref.records.map((r) => r.type));
    expect([...kinds].sort(), 'the excerpt has beats, events and alerts').toEqual(['alert', 'beat', 'event', 'meta']);
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

  it('a stream that ends inside the learning period scores no beat and says learning never finished', () => {
    const sig = readWfdbLead(path.join(MITDB, '100'));
    const monitor = new StreamingMonitor({ fs: sig.fs, learnSeconds: 120 });
    const got = [...monitor.push(sig.samples.subarray(0, 60 * sig.fs))];
    const end = monitor.end();
    got.push(...end.records);
    expect(got.filter((r) => r.type === 'beat'), 'no beat judged by a normal beat learnt from itself').toEqual([]);
    expect(end.summary.learningFinished).toBe(false);
    expect(end.summary.unscoredBeats).toBeGreaterThan(60);
    expect(end.summary.threshold).toBeNaN();
    expect(end.summary.scorer).toMatch(/learning never finished/);
  });
});

// Beat classes on the shared MIT-BIH records: the eval command's bxb table and gross numbers,
// quality episodes (beats inside are Q; streaming with pushQuality equals batch), and classes in
// the --jsonl output.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { createRng } from '../../src/engine/random.ts';
import { EcgMonitor, type MonitorBeat } from '../../src/monitor/ecg-monitor.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli, MITDB } from './helpers.ts';

describe('beat classes', () => {
  it('eval scores the five shared records bxb-style and meets the class targets', () => {
    const r = cli('monitor', ['eval', MITDB, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const by = Object.fromEntries(out.records.map((s: any) => [s.record, s]));
    expect(Object.keys(by).sort()).toEqual(['100', '104', '106', '108', '232']);
    expect(by['104'].paced).toBe(true);
    expect(by['104'].pacedDetected).toBe(true); // pacemaker spikes found, not only the reference's word
    for (const r of ['100', '106', '108', '232']) expect(by[r].pacedDetected).toBe(false);
    // Records without VT: at most 1 alarm in any hour.
    for (const r of ['100', '104', '108', '232']) expect(by[r].alarms.maxInAnHour).toBeLessThanOrEqual(1);
    expect(by['100'].veb.fp).toBe(0); // record 100: no false V
    const g = out.gross;
    expect(g.qrs.se).toBeGreaterThanOrEqual(0.995);
    expect(g.qrs.ppv).toBeGreaterThanOrEqual(0.995);
    expect(g.veb.se).toBeGreaterThanOrEqual(0.9);
    expect(g.veb.ppv).toBeGreaterThanOrEqual(0.9);
    expect(g.veb.falsePerHour).toBeLessThanOrEqual(5);
    expect(g.sveb.se).toBeGreaterThanOrEqual(0.7);
    expect(g.sveb.ppv).toBeGreaterThanOrEqual(0.5);
    const table = cli('monitor', ['eval', path.join(MITDB, '100'), path.join(MITDB, '104')]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^100\s+99\.\d+\s+100\.00/m);
    expect(table.stdout).toMatch(/paced records[\s\S]*^104\*/m);
    expect(table.stdout).toMatch(/alarms\s+max\/1h$/m);
    expect(table.stdout).toMatch(/^paced rhythm detected: 104$/m);
    expect(table.stdout).toMatch(/^fusion: beats called F \(reference F beats\) 100 0 \(0\), 104 \d+ \(0\)$/m);
    expect(cli('monitor', ['eval', '/nonexistent/rec']).stderr).toMatch(/no reference annotations/);
  });

  it('beats inside a quality episode are Q, and the first after it (its RR spans the episode); streaming with pushQuality equals batch', () => {
    const sig = readWfdbLead(path.join(MITDB, '106'));
    const x = sig.samples.subarray(0, 360 * 420);
    const episode = { start: 360 * 330, end: 360 * 345, kind: 'noise' };
    const scoring = { kind: 'learn' as const, seconds: 120 };
    const batch = new EcgMonitor({ fs: 360, scoring, quality: [episode] });
    const a = [...batch.push(x), ...batch.end()];
    const inside = a.filter((b) => b.sample >= episode.start && b.sample < episode.end);
    expect(inside.length).toBeGreaterThan(10);
    expect(inside.every((b) => b.class === 'Q')).toBe(true);
    const after = a.filter((b) => b.sample >= episode.end);
    expect(after[0].class).toBe('Q');
    expect(after.slice(1).every((b) => b.class !== 'Q')).toBe(true);
    const stream = new EcgMonitor({ fs: 360, scoring });
    const rng = createRng('quality-chunks');
    const b: MonitorBeat[] = [];
    let pushed = false;
    for (let i = 0; i < x.length;) {
      const n = 1 + rng.int(5000);
      if (!pushed && i + n > episode.start) { stream.pushQuality(episode); pushed = true; }
      b.push(...stream.push(x.subarray(i, i + n)));
      i += n;
    }
    b.push(...stream.end());
    expect(b.map((o) => [o.sample, o.class, o.score])).toEqual(a.map((o) => [o.sample, o.class, o.score]));
    expect(() => stream.pushQuality({ start: 0, end: 100, kind: 'late' })).toThrow();
    const late = new EcgMonitor({ fs: 360, scoring });
    late.push(x.subarray(0, 360 * 100));
    expect(() => late.pushQuality({ start: 360 * 10, end: 360 * 20, kind: 'noise' })).not.toThrow(); // still learning: nothing given out
    late.push(x.subarray(360 * 100, 360 * 300));
    expect(() => late.pushQuality({ start: 360 * 150, end: 360 * 160, kind: 'noise' })).toThrow(/push it before the samples it covers/);
  });
});

// `monitor --jsonl` reports quality episodes ("type": "quality") and the flat-line alarm, and the
// summary totals them; the text output has QUALITY and ALARM lines and a signal-quality line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli, MITDB } from './helpers.ts';

describe('monitor CLI quality output', () => {
  it('10 s zeroed in record 100: a flat quality line, an asystole alert, totals in the summary', () => {
    const x = readWfdbLead(path.join(MITDB, '100')).samples.slice(0, 150 * 360);
    x.fill(0, 100 * 360, 110 * 360);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'quality-')), '100-flat.txt');
    writeFileSync(file, Array.from(x, (v) => v.toFixed(3)).join('\n') + '\n');
    const r = cli('monitor', [file, '--fs', '360', '--learn', '1m', '--jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const flat = lines.filter((o) => o.type === 'quality' && o.kind === 'flat');
    expect(flat).toHaveLength(1);
    expect(Math.abs(flat[0].start - 100)).toBeLessThanOrEqual(1);
    expect(Math.abs(flat[0].end - 110)).toBeLessThanOrEqual(1);
    expect(flat[0].start_sample).toBe(Math.round(flat[0].start * 360));
    const alerts = lines.filter((o) => o.type === 'alert' && o.event === 'asystole');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toBe('possible asystole or lead off');
    expect(alerts[0].time).toBeCloseTo(flat[0].start + 3, 5);
    const summary = lines.at(-1);
    expect(summary.type).toBe('summary');
    expect(summary.quality.flatLineAlarms).toBe(1);
    expect(summary.quality.seconds.flat).toBeCloseTo(flat[0].seconds, 5);

    const text = cli('monitor', [file, '--fs', '360', '--learn', '1m', '--quiet']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/QUALITY {2}flat 00:01:/);
    expect(text.stdout).toMatch(/ALARM {2}possible asystole or lead off: flat line since 00:01:4/);
    expect(text.stdout).toMatch(/signal quality: \d+ unreadable episode\(s\) \(.*flat 1\d\.\d s.*\); 1 flat-line alarm/);
  }, 60_000);
});

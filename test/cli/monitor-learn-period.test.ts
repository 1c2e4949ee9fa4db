// `monitor --learn D` on less than D of signal (issue 22): a record that short is refused before
// any work, naming its length and the period; a live stream that ends inside the period says
// learning never finished, gives out no beat, and exits non-zero. Never beats called normal by a
// "normal beat" learnt from the very beats it scores.

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { runCli } from '../helpers/cli.ts';

const MITDB = fileURLToPath(new URL('../../../shared/data/mitdb', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-learn-period-'));
// The first 60 s of record 100 (MLII), one sample per line.
const text = Array.from(readWfdbLead(path.join(MITDB, '100')).samples.subarray(0, 360 * 60), String).join('\n') + '\n';
const file = path.join(tmp, '100-60s.txt');
writeFileSync(file, text);
const objects = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('monitor --learn longer than the signal', () => {
  it('a record shorter than --learn is refused before any work: length and period named, nothing written', () => {
    const out = path.join(tmp, 'out-refused');
    const r = runCli('monitor', [file, '--fs', '360', '--learn', '2m', '--jsonl', '--out', out], { timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/100-60s\.txt: the record is 60\.0 s long, shorter than the learning period \(--learn 120 s\).*shorter --learn, or --model DIR/);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('says so for the default period too', () => {
    const r = runCli('monitor', [file, '--fs', '360', '--quiet'], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shorter than the learning period \(--learn 300 s, the default\)/);
  }, 60_000);

  it('a live stream that ends inside the period: no beat given out, "learning never finished", exit 1', () => {
    const r = runCli('monitor', ['-', '--fs', '360', '--learn', '2m', '--jsonl'], { stdin: text, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/learning never finished: the stream ended after 60\.0 s of the 120 s --learn period; its \d+ beats were not scored/);
    const lines = objects(r.stdout);
    expect(lines.filter((o) => o.type === 'beat')).toEqual([]);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ type: 'summary', learningFinished: false, beats: 0, flagged: 0 });
    expect(summary.unscoredBeats).toBeGreaterThan(50); // ~ 75 bpm for a minute
    expect(summary.scorer).toMatch(/^none: learning never finished/);
    expect(summary.threshold).toBeNull(); // NaN in JSON: no threshold was learnt
  }, 60_000);

  it('a live stream longer than the period is scored as before', () => {
    const r = runCli('monitor', ['-', '--fs', '360', '--learn', '30s', '--jsonl'], { stdin: text, timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    const lines = objects(r.stdout);
    const beats = lines.filter((o) => o.type === 'beat');
    expect(beats.length).toBeGreaterThan(50);
    expect(beats.every((b) => typeof b.score === 'number')).toBe(true);
    expect(lines.at(-1).learningFinished).toBeUndefined();
  }, 60_000);
});

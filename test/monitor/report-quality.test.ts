// The Holter report shades unreadable stretches on its trend and lists them (issue 24, item 6):
// 8 min of record 100 with 60 s of flat line and 60 s of white noise spliced in after learning.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli, MITDB } from './helpers.ts';

const FS = 360;

describe('report.html and signal quality', () => {
  it('shades each quality episode on the trend and lists it, with its kind and times', () => {
    const x = readWfdbLead(path.join(MITDB, '100')).samples.slice(0, 8 * 60 * FS);
    const rand = seedrandom('report-quality');
    const flat = [360 * FS, 420 * FS], noise = [440 * FS, 500 * FS];
    for (let i = flat[0]; i < flat[1]; i++) x[i] = 0;
    for (let i = noise[0]; i < noise[1]; i++) x[i] = 2 * (rand() - 0.5) * 2; // +-2 mV
    const dir = mkdtempSync(path.join(tmpdir(), 'report-quality-'));
    const file = path.join(dir, 'spliced.txt');
    writeFileSync(file, Array.from(x, (v) => v.toFixed(4)).join('\n') + '\n');
    const out = path.join(dir, 'out');
    const r = cli('monitor', [file, '--fs', String(FS), '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    const shaded = [...html.matchAll(/<rect class="quality" data-kind="([a-z-]+)" x="([\d.]+)"/g)].map((m) => m[1]);
    expect(shaded).toContain('flat');
    expect(shaded).toContain('noise');
    const table = html.slice(html.indexOf('<table class="quality">'));
    expect(table).toMatch(/<tr><td>flat<\/td><td>00:0[56]:\d\d\.\d{3}<\/td><td>00:0[67]:\d\d\.\d{3}<\/td>/);
    expect(html).toMatch(/\d+ unreadable episode\(s\), shaded grey on the trend/);
  }, 60_000);

  it('says so when the signal had no unreadable stretch', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-clean-'));
    const r = cli('monitor', [path.join(MITDB, '100'), '--quiet', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<p>No unreadable stretches.</p>');
    expect(html).not.toContain('<rect class="quality"');
  }, 60_000);
});

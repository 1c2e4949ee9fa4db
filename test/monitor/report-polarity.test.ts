// report.html and flagged.svg draw the lead the monitor analysed: an inverted lead, flipped by the
// monitor, is drawn flipped, and the strips say so (issue 24, item 5). Record 106's first 7 min
// (PVCs, so events and strips) as text, and the same negated: the same strips, point for point.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli, MITDB } from './helpers.ts';

const FS = 360;

function report(samples: Float32Array, name: string): { html: string; svg: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `report-polarity-${name}-`));
  const file = path.join(dir, `${name}.txt`);
  writeFileSync(file, Array.from(samples, (v) => v.toFixed(4)).join('\n') + '\n');
  const r = cli('monitor', [file, '--fs', String(FS), '--quiet', '--out', path.join(dir, 'out')]);
  expect(r.code, r.stderr).toBe(0);
  return { html: readFileSync(path.join(dir, 'out', 'report.html'), 'utf8'), svg: readFileSync(path.join(dir, 'out', 'flagged.svg'), 'utf8') };
}

const strips = (html: string) => [...html.matchAll(/<polyline class="ecg" points="([^"]*)"/g)].map((m) => m[1]);

describe('report strips and lead polarity', () => {
  it('an inverted lead is drawn as analysed (flipped), with "lead inverted: shown flipped" on each strip', () => {
    const x = readWfdbLead(path.join(MITDB, '106')).samples.slice(0, 7 * 60 * FS);
    const upright = report(x, 'upright');
    const inverted = report(x.map((v) => -v), 'inverted');
    const a = strips(upright.html), b = strips(inverted.html);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(upright.html).not.toContain('lead inverted');
    expect(inverted.html.match(/<figcaption>[^<]*\(lead inverted: shown flipped\)<\/figcaption>/g)?.length).toBe(a.length);
    expect(inverted.html).toContain('<th>lead polarity</th><td>inverted: analysed and shown flipped</td>');
    expect(upright.html).toContain('<th>lead polarity</th><td>upright</td>');
    // flagged.svg too: the same traces, and the title says so.
    const traces = (svg: string) => [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => m[1]);
    expect(traces(inverted.svg)).toEqual(traces(upright.svg));
    expect(inverted.svg).toContain('(lead inverted: shown flipped)');
  }, 60_000);
});

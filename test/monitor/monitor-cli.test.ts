// `npm run monitor` as a user runs it: a WFDB record, the same samples piped through stdin in
// random chunk sizes (same beats and scores), a saved detector (--model), figures (--out),
// annotations, and clear errors.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/engine/random.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { readAnnotationFile } from '../../src/signals/wfdb-annotations-node.ts';
import { cli, cliWithStdin, MITDB } from './helpers.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'monitor-'));
const jsonLines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l));

describe('monitor CLI', () => {
  it('a record piped through stdin in random chunks gives the same beats and scores as the file', async () => {
    // 8 minutes of record 106, learning from the first 2.
    const sig = readWfdbLead(path.join(MITDB, '106'));
    const x = sig.samples.subarray(0, 360 * 480);
    const dir = tmp();
    const csv = path.join(dir, '106-mlii.txt');
    const text = Array.from(x, String).join('\n') + '\n';
    writeFileSync(csv, text);
    const fromFile = cli('monitor', [csv, '--fs', '360', '--learn', '2m', '--jsonl']);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stderr).toMatch(/monitor 106-mlii\.txt/); // progress for a file
    const rng = createRng('stdin-chunks');
    const chunks: string[] = [];
    for (let i = 0; i < text.length;) { const n = 1 + rng.int(20000); chunks.push(text.slice(i, i + n)); i += n; }
    const fromStdin = await cliWithStdin('monitor', ['-', '--fs', '360', '--learn', '2m', '--jsonl'], chunks);
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.stderr).not.toMatch(/monitor|%/); // no progress on stdin
    const a = jsonLines(fromFile.stdout), b = jsonLines(fromStdin.stdout);
    const beatsA = a.filter((o) => o.type === 'beat');
    expect(beatsA.length).toBeGreaterThan(400);
    // Quality lines go out when their episode closes, so where they fall between beats depends on the chunks; compare them apart.
    const isQuality = (o: any) => o.type === 'quality' || (o.type === 'alert' && o.technical === true);
    expect(b.filter((o) => o.type !== 'summary' && !isQuality(o))).toEqual(a.filter((o) => o.type !== 'summary' && !isQuality(o)));
    expect(b.filter(isQuality)).toEqual(a.filter(isQuality));
    const [sa, sb] = [a.at(-1), b.at(-1)];
    expect(sa.type).toBe('summary');
    // Same summary but for the input's name and the training time inside the scorer's description.
    const timeless = (o: any) => ({ ...o, source: null, lead: null, scorer: o.scorer.replace(/[\d.]+ s\)/, 'T s)') });
    expect(timeless(sb)).toEqual(timeless(sa));
    expect(beatsA[0]).toMatchObject({ sample: expect.any(Number), score: expect.any(Number), flagged: expect.any(Boolean) });
    expect(beatsA.every((o) => ['N', 'S', 'V', 'F', 'Q'].includes(o.class))).toBe(true);
    expect(beatsA.filter((o) => o.class === 'V').length).toBeGreaterThan(50);
    expect(a.filter((o) => o.type === 'event').length).toBeGreaterThan(0); // couplets and bigeminy in 106
  });

  it('reads a WFDB record with --annotations and --out: evaluation, summary and SVG figures', () => {
    const out = path.join(tmp(), 'fig');
    const r = cli('monitor', [path.join(MITDB, '108'), '--lead', 'MLII', '--annotations', path.join(MITDB, '108.beats.csv'), '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/summary: \d+ beats in 30\.1 min, heart rate [\d.]+ bpm/);
    expect(r.stdout).toMatch(/R peaks vs annotations \(150 ms\): Se 99\.\d+%\s+\+P 99\.\d+%/);
    expect(r.stdout).toMatch(/PVCs after the learning period .*ROC-AUC 0\.9\d+/);
    for (const f of ['trend.svg', 'flagged.svg']) {
      const svg = readFileSync(path.join(out, f), 'utf8');
      expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    }
    expect(readFileSync(path.join(out, 'flagged.svg'), 'utf8')).toMatch(/class="strip"/);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.evaluation.pvc.rocAuc).toBeGreaterThan(0.9);
    // beats.atr reads back as the summary's beats, each labelled with an AAMI class.
    const atr = readAnnotationFile(path.join(out, 'beats.atr'));
    expect(atr.length).toBe(summary.beats);
    expect(atr.every((a) => 'NSVFQ'.includes(a.symbol) && a.symbol.length === 1)).toBe(true);
    expect(atr.filter((a) => a.symbol === 'V').length).toBeGreaterThan(0);
  });

  it('--export-beats writes a training file; train fits it; --model scores another record with it', () => {
    const dir = tmp();
    const csv = path.join(dir, '100.csv'), model = path.join(dir, 'dense-100');
    const e = cli('monitor', [path.join(MITDB, '100'), '--annotations', path.join(MITDB, '100.beats.csv'), '--export-beats', csv, '--quiet']);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stderr).toMatch(/wrote .*100\.csv \(2272 beats, 1 PVCs\)/);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows.length).toBe(2272);
    expect(rows.every((r) => r.split(',').length === 141)).toBe(true);
    const t = cli('train', ['--train', csv, '--label-column', 'first', '--normal-label', '1', '--seed', '0', '--epochs', '30',
      // Pinned, not the defaults: the defaults are chosen for ECG5000 (npm run select) and may move.
      '--scaler', 'standard', '--lr', '0.001', '--out', model, '--no-plots']);
    expect(t.code, t.stderr).toBe(0);
    const r = cli('monitor', [path.join(MITDB, '106'), '--model', model, '--annotations', path.join(MITDB, '106.beats.csv'), '--jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    const beats = lines.filter((o) => o.type === 'beat');
    expect(beats.length).toBeGreaterThan(2000);
    expect(beats.every((b) => Number.isFinite(b.score) && b.learning === false)).toBe(true);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ type: 'summary', beats: beats.length, threshold: 1 });
    expect(summary.scorer).toMatch(/trained dense detector/);
    // Another patient's normal beats still rank 106's PVCs by shape (0.927 measured with 100 epochs).
    expect(summary.evaluation.pvc.rocAucShape).toBeGreaterThan(0.85);
  });

  it('explains bad input and exits non-zero', () => {
    expect(cli('monitor', ['--help']).stdout).toMatch(/usage: npm run monitor -- RECORD/);
    expect(cli('monitor', ['-', '--learn', '5m']).stderr).toMatch(/standard input has no sampling rate: give --fs HZ/);
    expect(cli('monitor', [path.join(MITDB, '100'), '--learn', '5m', '--model', 'x']).stderr).toMatch(/not both/);
    expect(cli('monitor', [path.join(MITDB, '100'), '--learn', 'soon']).stderr).toMatch(/--learn must be a duration/);
    expect(cli('monitor', [path.join(MITDB, '100'), '--lead', 'V9']).stderr).toMatch(/no lead "V9"/);
    const bad = path.join(tmp(), 'bad.beats.csv');
    writeFileSync(bad, 'sample,pvc\n10,0\n5,1\n');
    const r = cli('monitor', [path.join(MITDB, '100'), '--annotations', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.beats\.csv:3: field "sample" 5 is not after the previous beat/);
    expect(existsSync(path.join(MITDB, '100.hea'))).toBe(true);
  });
});

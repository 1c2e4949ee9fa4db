// Issue 22 item 4 (the CLI's part): a live stream stopped by SIGINT or SIGTERM still writes its
// beats, summary and --out files (on today's main: exit 130, nothing written), and output paths
// are checked before any work: never over an input of the run, never over an existing file
// without --force (on main --out replaced a user's summary.json and --export-beats could replace
// the record's own header, found only after the whole run).

import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputs, OUT_FILES, type OutputPlan } from '../../src/cli/monitor-outputs.ts';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli, MITDB, REPO } from './helpers.ts';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'monitor-stop-'));

/** monitor on stdin (node with tsx's loader: the signal reaches it, not a relay); `signal` sent once `ready(stdout)`. */
function liveMonitor(args: string[], text: string, signal: NodeJS.Signals, ready: (stdout: string) => boolean) {
  return new Promise<{ code: number | null; signalled: boolean; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/cli/monitor.ts'), '-', ...args], { cwd: REPO });
    let stdout = '', stderr = '', signalled = false;
    child.stdout.setEncoding('utf8').on('data', (d) => {
      stdout += d;
      if (!signalled && ready(stdout)) { signalled = true; child.kill(signal); }
    });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.stdin.on('error', () => {});
    child.stdin.write(text); // and left open: a live stream that has not ended
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, signalled, stdout, stderr }); });
  });
}

describe('a live stream stopped by a signal', () => {
  // 100 s of record 100 (MLII), learning from the first minute.
  const samples = readWfdbLead(path.join(MITDB, '100')).samples.subarray(0, 360 * 100);
  const text = Array.from(samples, (v) => v.toFixed(3)).join('\n') + '\n';
  // Everything written has been read once a beat in its last 5 seconds is out (a beat is out ~3 s after its R peak).
  const lastBeatSample = (stdout: string) => Math.max(-1, ...stdout.split('\n').filter((l) => l.includes('"type":"beat"')).map((l) => JSON.parse(l).sample as number));

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: beats, summary and every --out file written, exit 0`, async () => {
      const out = path.join(tmp(), 'report');
      const r = await liveMonitor(['--fs', '360', '--learn', '1m', '--jsonl', '--out', out], text, signal,
        (stdout) => lastBeatSample(stdout) > samples.length - 5 * 360);
      expect(r.signalled).toBe(true);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`stopped by ${signal}`);
      const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
      expect(summary.type).toBe('summary');
      expect(summary.samples).toBe(samples.length); // every sample written was read and counted
      expect(summary.beats).toBeGreaterThan(100);
      for (const name of OUT_FILES) expect(existsSync(path.join(out, name)), name).toBe(true);
      expect(JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'))).toEqual(summary);
      expect(readFileSync(path.join(out, 'report.html'), 'utf8')).toMatch(/<\/html>\s*$/);
    }, 120_000);
  }
});

describe('output paths, checked before the work', () => {
  const dir = tmp();
  const record = path.join(dir, '100');
  copyFileSync(path.join(MITDB, '100.hea'), `${record}.hea`);
  copyFileSync(path.join(MITDB, '100.dat'), `${record}.dat`);
  copyFileSync(path.join(MITDB, '100.beats.csv'), `${record}.beats.csv`);
  const plan = (p: Partial<OutputPlan>): OutputPlan => ({ record, annotations: null, model: null, outDir: null, exportFile: null, force: false, ...p });

  it('never over an input of the run, even with --force', () => {
    for (const file of [`${record}.hea`, `${record}.dat`, `${record}.atr`]) {
      expect(() => checkOutputs(plan({ exportFile: file, force: true }))).toThrow(/is a file of the record .*never replaces an input/);
    }
    const ann = path.join(dir, 'ref.csv');
    writeFileSync(ann, 'sample,pvc\n');
    expect(() => checkOutputs(plan({ annotations: ann, exportFile: ann, force: true }))).toThrow(/is the --annotations file/);
    const model = path.join(dir, 'model');
    mkdirSync(model);
    expect(() => checkOutputs(plan({ model, outDir: model, force: true }))).toThrow(/inside the --model folder/);
    // The record's own folder as --out: beats.atr would be 100's neighbour, not its file; allowed.
    expect(() => checkOutputs(plan({ outDir: path.join(dir, 'fresh') }))).not.toThrow();
  });

  it('never over an existing file without --force; bad folders named', () => {
    const out = path.join(dir, 'out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'summary.json'), 'my own notes\n');
    expect(() => checkOutputs(plan({ outDir: out }))).toThrow(/out\/summary\.json already exists: pass --force/);
    expect(() => checkOutputs(plan({ outDir: out, force: true }))).not.toThrow();
    const mine = path.join(dir, 'beats.csv');
    writeFileSync(mine, 'x\n');
    expect(() => checkOutputs(plan({ exportFile: mine }))).toThrow(/beats\.csv already exists/);
    expect(() => checkOutputs(plan({ exportFile: path.join(dir, 'no-such-dir', 'b.csv') }))).toThrow(/no folder .*no-such-dir/);
    expect(() => checkOutputs(plan({ outDir: mine }))).toThrow(/--out .*beats\.csv is a file, not a folder/);
    expect(() => checkOutputs(plan({ outDir: out, exportFile: path.join(out, 'summary.json'), force: true }))).toThrow(/also written by --out/);
  });

  it('the CLI refuses at once (exit 2, nothing written or read) and leaves the user\'s file alone', () => {
    const out = path.join(dir, 'user-out');
    mkdirSync(out);
    writeFileSync(path.join(out, 'summary.json'), 'my own notes\n');
    const r = cli('monitor', [record, '--out', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/summary\.json already exists: pass --force/);
    expect(r.stdout).toBe(''); // refused before the record was read
    expect(readFileSync(path.join(out, 'summary.json'), 'utf8')).toBe('my own notes\n');
    const e = cli('monitor', [record, '--export-beats', `${record}.hea`, '--force', '--quiet']);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/100\.hea is a file of the record/);
    expect(readFileSync(`${record}.hea`, 'utf8')).toBe(readFileSync(path.join(MITDB, '100.hea'), 'utf8'));
  }, 60_000);
});

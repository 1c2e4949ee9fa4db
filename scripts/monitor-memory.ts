// Peak memory of `monitor` on a long record: writes a WFDB record of HOURS hours (default 24)
// by repeating MIT-BIH record 100 (30 min 5.6 s) into a temporary folder, monitors it with
// --learn 5m --quiet, and prints the child's peak RSS (getrusage of the child) and wall time.
//   npx tsx scripts/monitor-memory.ts [HOURS] [MITDB_DIR] [--out]
// --out also writes the report files (into the temporary folder): what that costs in memory.
// The issue-22 target: a 24-hour record in under 150 MB.

import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2).filter((a) => a !== '--out');
const withOut = process.argv.includes('--out');
const hours = Number(args[0] ?? 24);
const mitdb = args[1] ?? path.resolve('../shared/data/mitdb');
const dat = readFileSync(path.join(mitdb, '100.dat'));
const reps = Math.max(1, Math.round((hours * 3600) / (650000 / 360)));
const dir = mkdtempSync(path.join(os.tmpdir(), 'cardiograd-long-record-'));
try {
  const fd = openSync(path.join(dir, 'long.dat'), 'w');
  for (let i = 0; i < reps; i++) writeSync(fd, dat);
  closeSync(fd);
  // Checksums are 16-bit sums of the samples: repeating the record multiplies them.
  const s16 = (v: number) => { const m = ((v % 65536) + 65536) % 65536; return m >= 32768 ? m - 65536 : m; };
  writeFileSync(path.join(dir, 'long.hea'), `long 2 360 ${650000 * reps}\n` +
    `long.dat 212 200 11 1024 995 ${s16(-22131 * reps)} 0 MLII\nlong.dat 212 200 11 1024 1011 ${s16(20052 * reps)} 0 V5\n`);
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '--import', 'tsx', 'src/cli/monitor.ts', path.join(dir, 'long'), '--learn', '5m', '--quiet',
    ...(withOut ? ['--out', path.join(dir, 'out')] : [])],
    { encoding: 'utf8', maxBuffer: 1 << 26 });
  const peakKb = Number(r.stderr.trim().split('\n').at(-1));
  const summary = r.stdout.split('\n').find((l) => l.startsWith('summary:'));
  console.log(JSON.stringify({ hours: (reps * 650000) / 360 / 3600, out: withOut, exit: r.status, peakRssMB: peakKb / 1024, wallSeconds: (performance.now() - t0) / 1000, summary }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

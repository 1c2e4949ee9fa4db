// `npm run bench [-- --quick] [-- --only matmul,elementwise,conv,lstm,training,profile,scoring,backends,monitor,server-load,bundle-size]`
// Prints every figure with its same-run baseline and writes all rows as JSON to bench/results/.

import '../src/index.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { FULL, printRows, QUICK, type Row } from './lib.ts';
import { matmulSuite } from './suites/matmul.ts';
import { elementwiseSuite } from './suites/elementwise.ts';
import { trainingSuite } from './suites/training.ts';
import { scoringSuite } from './suites/scoring.ts';
import { backendsSuite } from './suites/backends.ts';
import { bundleSizeSuite } from './suites/bundle-size.ts';
import { serverLoadSuite } from './suites/server-load.ts';
import { monitorSuite } from './suites/monitor.ts';
import { profileSuite } from './suites/profile.ts';
import { convSuite } from './suites/conv.ts';
import { lstmSuite } from './suites/lstm.ts';
import { loadWorkload } from './workload.ts';

const SUITES = ['matmul', 'elementwise', 'conv', 'lstm', 'training', 'profile', 'scoring', 'backends', 'monitor', 'server-load', 'bundle-size'] as const;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(`npm run bench -- [--quick] [--only ${SUITES.join(',')}]\nWrites bench/results/bench-<time>.json and bench/results/latest.json.`);
    return;
  }
  const only = values.only ? values.only.split(',') : [...SUITES];
  const unknown = only.filter((s) => !(SUITES as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown suite(s) ${unknown.join(', ')}; choose from ${SUITES.join(', ')}`);
  const cfg = values.quick ? QUICK : FULL;
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`;
  console.log(`cardiograd bench on ${machine}${values.quick ? ' (quick)' : ''}`);

  const rows: Row[] = [];
  const workload = only.some((s) => s === 'training' || s === 'profile' || s === 'scoring' || s === 'backends' || s === 'server-load') ? loadWorkload() : null;
  if (workload) console.log(`workload: ${workload.description}`);
  for (const suite of only) {
    const got = suite === 'matmul' ? await matmulSuite(cfg)
      : suite === 'elementwise' ? await elementwiseSuite(cfg)
      : suite === 'conv' ? await convSuite(cfg)
      : suite === 'lstm' ? await lstmSuite(cfg)
      : suite === 'training' ? await trainingSuite(cfg, workload!.beats)
      : suite === 'profile' ? await profileSuite(cfg, workload!.beats)
      : suite === 'scoring' ? await scoringSuite(cfg, workload!.beats)
      : suite === 'bundle-size' ? await bundleSizeSuite(cfg)
      : suite === 'monitor' ? await monitorSuite(cfg)
      : suite === 'server-load' ? await serverLoadSuite(cfg, workload!.beats)
      : await backendsSuite(cfg, workload!.beats);
    printRows(suite, got);
    rows.push(...got);
  }
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const result = JSON.stringify({ date: new Date().toISOString(), machine, quick: !!values.quick, rows }, null, 2);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(new URL(`bench-${stamp}.json`, dir), result);
  writeFileSync(new URL('latest.json', dir), result);
  console.log(`\nwrote bench/results/bench-${stamp}.json`);
}

main().catch((e) => { console.error(`bench: error: ${(e as Error).message}`); process.exitCode = 1; });

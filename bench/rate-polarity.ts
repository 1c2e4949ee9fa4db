// The issue 24 rate x polarity sweep, on whole records: each shared MIT-BIH record (../shared/
// data/mitdb) at 360 Hz and band-limited-resampled to 128, 250, 500 and 1000 Hz
// (src/signals/resample.ts), upright and inverted, through `monitor eval`'s evaluateRecord
// (300 s learning, bxb 150 ms). Prints a markdown table: QRS Se / +P and VEB Se / +P per
// record, rate and polarity, and checks the acceptance: QRS Se and +P >= 99.5%, VEB Se and +P
// within 0.05 of the 360 Hz upright result. Exits 1 when a cell fails.
//   npx tsx bench/rate-polarity.ts [DIR] [--records 100,104]
import path from 'node:path';
import '../src/index.ts';
import { evaluateRecord } from '../src/cli/monitor-eval.ts';
import type { RecordScore } from '../src/monitor/bxb.ts';

const args = process.argv.slice(2);
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--records') ?? path.join(import.meta.dirname, '../../shared/data/mitdb');
const only = args.includes('--records') ? args[args.indexOf('--records') + 1].split(',') : ['100', '104', '106', '108', '232'];
const RATES = [128, 250, 360, 500, 1000];
const pct = (v: number | null) => (v === null ? 'n/a' : (100 * v).toFixed(2));

let failures = 0;
console.log('| record | rate | polarity | QRS Se | QRS +P | VEB Se | VEB +P | acceptance |');
console.log('|---|---|---|---|---|---|---|---|');
for (const record of only) {
  const run = (hz: number, invert: boolean): RecordScore => evaluateRecord(path.join(dir, record), { learnSeconds: 300, seed: 1, resampleHz: hz === 360 ? undefined : hz, invert });
  const base = run(360, false);
  for (const hz of RATES) for (const invert of [false, true]) {
    const s = hz === 360 && !invert ? base : run(hz, invert);
    const fails: string[] = [];
    if ((s.qrs.se ?? 0) < 0.995) fails.push('QRS Se');
    if ((s.qrs.ppv ?? 0) < 0.995) fails.push('QRS +P');
    if (!s.paced) {
      for (const k of ['se', 'ppv'] as const) {
        const v = s.veb[k], b = base.veb[k];
        if ((v === null) !== (b === null) || (v !== null && b !== null && Math.abs(v - b) > 0.05)) fails.push(`VEB ${k === 'se' ? 'Se' : '+P'}`);
      }
    }
    failures += fails.length > 0 ? 1 : 0;
    const veb = s.paced ? ['- (paced)', '-'] : [pct(s.veb.se), pct(s.veb.ppv)];
    console.log(`| ${record} | ${hz} | ${invert ? 'inverted' : 'upright'} | ${pct(s.qrs.se)} | ${pct(s.qrs.ppv)} | ${veb[0]} | ${veb[1]} | ${fails.length ? 'FAIL ' + fails.join(', ') : 'ok'} |`);
  }
}
console.log(`\n${failures} failing cell(s)`);
process.exitCode = failures > 0 ? 1 : 0;

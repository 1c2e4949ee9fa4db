// Signal-quality verdicts across sampling rates (issue 24): each shared MIT-BIH record (whole,
// ../shared/data/mitdb) at 360 Hz and band-limited-resampled to 128, 250, 500 and 1000 Hz
// (src/signals/resample.ts), through src/monitor/signal-quality.ts's meter. Windows are 0.5 s at
// every rate, so window k covers the same seconds everywhere. Prints, per record and rate, the
// windows called noise and how many differ from 360 Hz (noise here and not there, and the reverse).
//   npx tsx bench/quality-rates.ts [DIR] [--records 100,104] [--cache DIR]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import '../src/index.ts';
import { SignalQualityMeter, type WindowVerdict } from '../src/monitor/signal-quality.ts';
import { readWfdbLead } from '../src/signals/wfdb-node.ts';
import { resample } from '../src/signals/resample.ts';

const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? path.join(import.meta.dirname, '../../shared/data/mitdb');
const only = opt('--records')?.split(',') ?? ['100', '104', '106', '108', '232'];
const cache = opt('--cache');
const RATES = [128, 250, 360, 500, 1000];

function signalAt(record: string, hz: number): Float32Array {
  const file = cache && path.join(cache, `${record}@${hz}.f32`);
  if (file && existsSync(file)) { const b = readFileSync(file); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); }
  const sig = readWfdbLead(path.join(dir, record));
  const y = hz === sig.fs ? sig.samples : resample(sig.samples, sig.fs, hz);
  if (file) { mkdirSync(cache!, { recursive: true }); writeFileSync(file, y); }
  return y;
}

function verdicts(x: Float32Array, fs: number): WindowVerdict['kind'][] {
  const m = new SignalQualityMeter(fs);
  const out: WindowVerdict['kind'][] = [];
  for (let i = 0; i < x.length; i++) { const v = m.push(x[i]); if (v) out.push(v.kind); }
  return out;
}

console.log('| record | rate | noise windows | noise here, not at 360 | noise at 360, not here | pairs (2+ in a row) |');
console.log('|---|---|---|---|---|---|');
for (const record of only) {
  const base = verdicts(signalAt(record, 360), 360);
  for (const hz of RATES) {
    const v = hz === 360 ? base : verdicts(signalAt(record, hz), hz);
    const n = Math.min(v.length, base.length);
    let noise = 0, extra = 0, missing = 0, paired = 0;
    for (let k = 0; k < n; k++) {
      const a = v[k] === 'noise', b = base[k] === 'noise';
      if (a) noise++;
      if (a && !b) extra++;
      if (b && !a) missing++;
      if (a && (v[k - 1] === 'noise' || v[k + 1] === 'noise')) paired++;
    }
    console.log(`| ${record} | ${hz} | ${noise} | ${extra} | ${missing} | ${paired} |`);
  }
}

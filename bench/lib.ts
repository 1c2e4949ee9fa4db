// Shared benchmark plumbing: tinybench runs, one row per measured figure, each printed next to
// the baseline it is compared with in the same process (so ratios, not wall times, are the claim).

import { Bench } from 'tinybench';

export interface Row {
  suite: string;
  name: string;
  /** Median time per call, milliseconds. */
  ms: number;
  /** The figure people compare: GFLOP/s, MB/s, beats/s, s/epoch... */
  value: number;
  unit: string;
  /** Name of the baseline row in the same run and value / baseline value (higher is better). */
  baseline?: string;
  ratio?: number;
  samples: number;
}

export interface BenchConfig { timeMs: number; warmupMs: number }

export const QUICK: BenchConfig = { timeMs: 150, warmupMs: 50 };
export const FULL: BenchConfig = { timeMs: 600, warmupMs: 150 };

/** Times each function with tinybench and returns its median ms per call and sample count. */
export async function timeAll(fns: Record<string, () => void>, cfg: BenchConfig): Promise<Record<string, { ms: number; samples: number }>> {
  const bench = new Bench({ time: cfg.timeMs, warmupTime: cfg.warmupMs, warmupIterations: 3, iterations: 5 });
  for (const [name, fn] of Object.entries(fns)) bench.add(name, fn);
  await bench.run();
  const out: Record<string, { ms: number; samples: number }> = {};
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state !== 'completed') throw new Error(`benchmark "${task.name}" did not complete: ${r.state === 'errored' ? r.error.message : r.state}`);
    out[task.name] = { ms: r.latency.p50, samples: r.latency.samples?.length ?? 0 };
  }
  return out;
}

export function printRows(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const header = ['name', 'median ms', 'value', 'vs baseline'];
  const lines = rows.map((r) => [r.name, r.ms.toFixed(4), `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${r.ratio!.toFixed(2)}x ${r.baseline}` : '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmtLine = (l: string[]) => l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmtLine(header));
  for (const l of lines) console.log(fmtLine(l));
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

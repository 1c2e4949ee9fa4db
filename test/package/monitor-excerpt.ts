// The monitor's reference run for the embedding tests: the first 6 minutes of MIT-BIH record
// 100 (MLII) as a text signal, through `npm run monitor -- FILE --fs 360 --learn 2m --jsonl`
// with a tachycardia limit low enough (74 bpm; the record runs at ~74) that the excerpt has
// rhythm events and alarms as well as beats. Every embedding (the src entry, the packed
// cardiograd/monitor in Chromium and QuickJS) must give these records for the same samples.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { readWfdbLead } from '../../src/signals/wfdb-node.ts';
import { cli, MITDB } from '../monitor/helpers.ts';

export const EXCERPT_FS = 360;
/** The CLI flags, and the same settings as StreamingMonitor options. */
const FLAGS = ['--fs', '360', '--learn', '2m', '--tachy', '74', '--refractory', '30s', '--jsonl'];
export const ENTRY_OPTIONS = { fs: EXCERPT_FS, learnSeconds: 120, rhythm: { tachyBpm: 74 }, alarms: { refractorySeconds: 30 } };

export interface MonitorExcerpt {
  /** The samples exactly as the CLI parsed them from the text file. */
  samples: number[];
  /** The CLI's --jsonl records (beats, events, alerts), without the summary. */
  records: Record<string, unknown>[];
  summary: Record<string, unknown>;
}

export function monitorExcerpt(): MonitorExcerpt {
  const sig = readWfdbLead(path.join(MITDB, '100'));
  const text = Array.from(sig.samples.subarray(0, EXCERPT_FS * 360), String).join('\n') + '\n';
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'monitor-excerpt-')), '100-6m.txt');
  writeFileSync(file, text);
  const r = cli('monitor', [file, ...FLAGS]);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const summary = lines.pop()!;
  expect(summary.type).toBe('summary');
  const samples = readFileSync(file, 'utf8').trim().split('\n').map(Number);
  return { samples, records: lines, summary };
}

/** The summary fields an embedding has too (not the input's name or lead; evaluation is the CLI's --annotations). */
export function comparableSummary(s: object): Record<string, unknown> {
  const { source, lead, evaluation, scorer, ...rest } = s as Record<string, unknown>;
  void source; void lead; void evaluation;
  // The learned scorer's description holds its training time.
  return { ...rest, scorer: String(scorer).replace(/, [\d.]+ s\)/, ', T s)') };
}

/** Splits `samples` into chunks of 1..maxChunk samples, from a fixed seed (a stream's packets). */
export function chunked(samples: number[], maxChunk: number, seed = 7): number[][] {
  const out: number[][] = [];
  let s = seed >>> 0;
  for (let i = 0; i < samples.length;) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const n = 1 + (s % maxChunk);
    out.push(samples.slice(i, i + n));
    i += n;
  }
  return out;
}

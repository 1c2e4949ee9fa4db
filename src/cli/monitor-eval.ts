// `npm run monitor -- eval RECORD... | DIR`: runs the monitor (defaults: learn 5 min, classify)
// on records with reference annotations and scores them as bxb does (monitor/bxb.ts). The
// reference beside each record: NNN.ann.txt (rdann listing), else NNN.beats.csv (V / not V).

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LEARNING_SECONDS, grossScore, scoreRecord, type RecordScore } from '../monitor/bxb.ts';
import { maxWithin } from '../monitor/alarms.ts';
import { BeatAnalysis } from '../monitor/beat-analysis.ts';
import { EcgMonitor } from '../monitor/ecg-monitor.ts';
import { evalTable } from '../monitor/eval-table.ts';
import type { ReferenceAnnotations } from '../monitor/reference-annotations.ts';
import { readReferenceFile } from '../signals/reference-file-node.ts';
import { readWfdbLead } from '../signals/wfdb-node.ts';
import { resample, resampleIndex } from '../signals/resample.ts';
import { intFlag, numberFlag, UserError, type CommandSpec, type Parsed } from './args.ts';

export const evalSpec: CommandSpec = {
  name: 'monitor eval',
  summary: 'score the monitor\'s beats and classes against reference annotations the way bxb does (ANSI/AAMI EC57)',
  usage: 'npm run monitor -- eval RECORD... | DIR [--lead NAME] [--learn DURATION] [--resample HZ] [--invert] [--json]',
  allowPositionals: true,
  options: {
    lead: { type: 'string', value: 'NAME', description: 'lead to analyse (default: the first of each record)' },
    learn: { type: 'string', value: 'DURATION', description: 'learning period: the monitor learns the patient\'s beat from it and scoring starts after it', default: '5m' },
    seed: { type: 'string', value: 'N', description: 'seed for the learned autoencoder', default: '1' },
    json: { type: 'boolean', description: 'print the per-record and gross scores (with confusion matrices) as one JSON object' },
    resample: { type: 'string', value: 'HZ', description: 'first resample each record to this rate (band-limited; the reference samples move with it): checks the monitor at other rates' },
    invert: { type: 'boolean', description: 'first invert the lead (multiply by -1): checks the polarity handling' },
  },
  examples: [
    'npm run monitor -- eval ../shared/data/mitdb',
    'npm run monitor -- eval ../shared/data/mitdb/100 ../shared/data/mitdb/106 --json',
    'npm run monitor -- eval ../shared/data/mitdb --resample 128 --invert',
  ],
};

/** RECORD paths (without extension) from the arguments: records, or folders of records with a reference. */
export function evalRecords(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (existsSync(a) && statSync(a).isDirectory()) {
      const names = readdirSync(a).filter((f) => f.endsWith('.hea')).map((f) => f.slice(0, -4)).sort();
      const withRef = names.filter((n) => referencePath(path.join(a, n)) !== null);
      if (withRef.length === 0) throw new UserError(`${a}: no WFDB record (.hea) with a reference (.atr, .ann.txt or .beats.csv)`);
      out.push(...withRef.map((n) => path.join(a, n)));
    } else {
      out.push(a.replace(/\.(hea|dat)$/, ''));
    }
  }
  return out;
}

function referencePath(record: string): string | null {
  for (const ext of ['.atr', '.ann.txt', '.beats.csv']) if (existsSync(record + ext)) return record + ext;
  return null;
}

export function readReference(record: string): ReferenceAnnotations {
  const file = referencePath(record);
  if (!file) throw new UserError(`${record}: no reference annotations (${record}.atr, .ann.txt or .beats.csv)`);
  try {
    return readReferenceFile(file);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

export interface EvalOptions { lead?: string; learnSeconds: number; seed: number; /** Resample the record (and its reference) to this rate first. */ resampleHz?: number; /** Invert the lead first. */ invert?: boolean }

export function evaluateRecord(record: string, opts: EvalOptions): RecordScore {
  let ref = readReference(record);
  let sig;
  try { sig = readWfdbLead(record, opts.lead); } catch (e) { throw new UserError((e as Error).message); }
  let { fs, samples } = sig;
  if (opts.resampleHz !== undefined && opts.resampleHz !== fs) {
    const to = opts.resampleHz;
    samples = resample(samples, fs, to);
    const moved = Int32Array.from(ref.samples, (s) => resampleIndex(s, fs, to));
    const keep = Array.from(moved.keys()).filter((i) => moved[i] < samples.length);
    ref = { ...ref, samples: Int32Array.from(keep, (i) => moved[i]), classes: keep.map((i) => ref.classes[i]) };
    fs = to;
  }
  if (opts.invert) samples = samples.map((v) => -v);
  const monitor = new EcgMonitor({ fs, scoring: { kind: 'learn', seconds: opts.learnSeconds, options: { seed: opts.seed } } });
  const beats = [...monitor.push(samples), ...monitor.end()];
  // The alarms the monitor would raise with its defaults (none from the learning period's beats).
  const analysis = new BeatAnalysis(fs, { keepEvents: false });
  for (const b of beats) analysis.next(b);
  analysis.end();
  const score = scoreRecord(beats.map((b) => ({ sample: b.sample, class: b.class })), ref,
    { fs, totalSamples: samples.length, learningSeconds: opts.learnSeconds, record: path.basename(record) });
  const raised = analysis.alarms.raised;
  score.alarms = { count: raised.length, perHour: score.hours > 0 ? raised.length / score.hours : 0, types: raised.map((a) => a.type),
    maxInAnHour: maxWithin(raised.map((a) => a.sample), 3600 * fs) };
  score.pacedDetected = monitor.pacedRhythm;
  return score;
}

export function evalMain({ values, positionals }: Parsed, parseDuration: (t: string, flag: string) => number): void {
  if (positionals.length === 0) throw new UserError('expected RECORD... or a DIR of records with reference annotations', 2);
  const learnSeconds = parseDuration(String(values.learn ?? `${DEFAULT_LEARNING_SECONDS}s`), 'learn');
  const seed = intFlag(values, 'seed', { min: 0 });
  const records = evalRecords(positionals);
  const lead = typeof values.lead === 'string' ? values.lead : undefined;
  const resampleHz = values.resample !== undefined ? numberFlag(values, 'resample', { min: 50, max: 100000 }) : undefined;
  const scores = records.map((r) => evaluateRecord(r, { lead, learnSeconds, seed, resampleHz, invert: values.invert === true }));
  const gross = grossScore(scores);
  if (values.json === true) process.stdout.write(JSON.stringify({ learningSeconds: learnSeconds, records: scores, gross }, null, 2) + '\n');
  else process.stdout.write(evalTable(scores, gross, learnSeconds).join('\n') + '\n');
}

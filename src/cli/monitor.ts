// `npm run monitor -- RECORD`: a continuous ECG in (a WFDB record, a text signal, or samples on
// standard input), every beat detected, cut and scored, PVC-like beats flagged, alerts for runs
// of flagged beats, a summary; optionally evaluated against reference annotations and drawn.
// The work is in monitor/; this file reads the flags and writes the output.

import '../index.ts';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createProgressBar } from '../io/progress-node.ts';
import { replaceFileAtomically } from '../io/durable-file-node.ts';
import { DetectorScorer } from '../monitor/beat-scorer.ts';
import { alertJson, alertLine, BEAT_HEADER, beatJson, beatLine } from '../monitor/beat-format.ts';
import { SummaryAccumulator } from '../monitor/beat-summary.ts';
import { EcgMonitor, type MonitorBeat, type MonitorScoring } from '../monitor/ecg-monitor.ts';
import { evaluateAgainstAnnotations, labelsFromAnnotations, parseBeatAnnotations, type AnnotationEvaluation, type ReferenceBeats } from '../monitor/annotation-eval.ts';
import { DEFAULT_LEARN } from '../monitor/learn-normal-beat.ts';
import { RunAlerts, type AlertEvent } from '../monitor/run-alerts.ts';
import { openSignalInput } from '../signals/signal-input-node.ts';
import { flaggedStrips, trendChart } from '../monitor/strip-chart.ts';
import { intFlag, numberFlag, runCommand, UserError, type CommandSpec, type Parsed } from './args.ts';
import { loadDetector } from './model-store.ts';
import { evalMain, evalSpec } from './monitor-eval.ts';

export const monitorSpec: CommandSpec = {
  name: 'monitor',
  summary: 'detect, cut and score every beat of a continuous ECG; flag PVC-like beats and alert on runs',
  usage: 'npm run monitor -- RECORD [--model DIR | --learn 5m] [--lead NAME] [--fs HZ] [--jsonl] [--out DIR] [--annotations FILE.beats.csv]\n' +
    '       npm run monitor -- eval RECORD... | DIR   (bxb-style scoring against reference annotations; eval --help)',
  allowPositionals: true,
  options: {
    model: { type: 'string', value: 'DIR', description: 'score beats with a detector saved by train (beats resampled to its length, z-normalised like ECG5000)' },
    learn: { type: 'string', value: 'DURATION', description: 'learn this patient\'s normal beat from the first DURATION (e.g. 5m, 300s) without labels, then score (default when no --model: 5m)' },
    lead: { type: 'string', value: 'NAME', description: 'WFDB lead to read, e.g. MLII (default: the first)' },
    fs: { type: 'string', value: 'HZ', description: 'sampling rate of a text signal or of standard input (WFDB headers state it)' },
    jsonl: { type: 'boolean', description: 'one JSON object per beat / alert on stdout, then a summary object' },
    out: { type: 'string', value: 'DIR', description: 'write trend.svg (heart rate and score over time), flagged.svg (ECG strips of flagged stretches) and summary.json' },
    annotations: { type: 'string', value: 'FILE', description: 'reference beats (sample,pvc CSV): R-peak Se/+P (150 ms) and PVC ROC-AUC, Se, precision, false alarms per hour' },
    'alert-run': { type: 'string', value: 'N', description: 'flagged beats in a row that raise an alert', default: '3' },
    threshold: { type: 'string', value: 'X', description: `flag threshold on the learned score (robust z units; default ${DEFAULT_LEARN.threshold})` },
    seed: { type: 'string', value: 'N', description: 'seed for --learn training', default: '1' },
    trim: { type: 'string', value: 'F', description: `--learn drops this share of worst-reconstructed learning beats and refits (0 = no trimming; default ${DEFAULT_LEARN.trim})` },
    quiet: { type: 'boolean', description: 'no per-beat lines (alerts and the summary only)' },
    'export-beats': { type: 'string', value: 'FILE', description: 'write every beat, cut the --model way (z-normalised), as a training CSV for train: label first (1 = not a PVC, 2 = PVC, from --annotations; all 1 without)' },
    'export-length': { type: 'string', value: 'N', description: 'samples per exported beat', default: '140' },
  },
  examples: [
    'npm run monitor -- ../shared/data/mitdb/106 --learn 5m --annotations ../shared/data/mitdb/106.beats.csv',
    'npm run monitor -- ../shared/data/mitdb/100 --model models/dense --lead MLII --jsonl',
    'cat samples.txt | npm run monitor -- - --fs 360 --learn 2m',
  ],
};

/** "5m", "300s", "300", "1.5min", "1h" -> seconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$/i.exec(text);
  const v = m ? Number(m[1]) * ({ s: 1, sec: 1, m: 60, min: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's'] ?? 1) : NaN;
  if (!(v > 0)) throw new UserError(`--${flag} must be a duration like 5m, 300s or 1h, got "${text}"`, 2);
  return v;
}

async function main({ values, positionals }: Parsed): Promise<void> {
  if (positionals.length !== 1) throw new UserError(`expected exactly one RECORD (a WFDB record, a .csv/.txt signal, or - for stdin), got ${positionals.length}`, 2);
  const record = positionals[0];
  if (values.model !== undefined && values.learn !== undefined) throw new UserError('give --model DIR or --learn DURATION, not both', 2);
  const fs = values.fs !== undefined ? numberFlag(values, 'fs', { min: 50, max: 100000 }) : undefined;
  const alertRun = intFlag(values, 'alert-run', { min: 1 });
  const seed = intFlag(values, 'seed', { min: 0 });
  const threshold = values.threshold !== undefined ? numberFlag(values, 'threshold', { min: 0 }) : undefined;
  const trim = values.trim !== undefined ? numberFlag(values, 'trim', { min: 0, max: 0.9 }) : undefined;
  if (trim !== undefined && values.model !== undefined) throw new UserError('--trim applies to --learn', 2);
  if (threshold !== undefined && values.model !== undefined) throw new UserError('--threshold applies to --learn; a --model uses its own threshold', 2);
  const jsonl = values.jsonl === true;
  const quiet = values.quiet === true;
  const reference = typeof values.annotations === 'string' ? readAnnotations(values.annotations) : null;
  const outDir = typeof values.out === 'string' ? values.out : null;
  const exportFile = typeof values['export-beats'] === 'string' ? values['export-beats'] : null;
  const exportLength = intFlag(values, 'export-length', { min: 8, max: 4096 });

  let input;
  try {
    input = openSignalInput(record, { fs, lead: typeof values.lead === 'string' ? values.lead : undefined });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  const log = (msg: string) => process.stderr.write(`${msg}\n`);
  let scoring: MonitorScoring;
  let scorerText = '';
  if (typeof values.model === 'string') {
    const { detector } = loadDetector(values.model);
    const scorer = new DetectorScorer(detector, values.model);
    scoring = { kind: 'scorer', scorer };
    scorerText = scorer.description;
  } else {
    const seconds = parseDuration(typeof values.learn === 'string' ? values.learn : '5m', 'learn');
    scoring = { kind: 'learn', seconds, options: { seed, ...(threshold !== undefined ? { threshold } : {}), ...(trim !== undefined ? { trim } : {}) },
      onLearned: (s) => { scorerText = s.description; if (input.total !== null) log(`learned: ${s.description}`); } };
  }
  const monitor = new EcgMonitor({ fs: input.fs, scoring, ...(exportFile ? { exportLength } : {}) });
  const alerts = new RunAlerts(alertRun);
  const summary = new SummaryAccumulator(input.fs);
  const beats: MonitorBeat[] = [];
  const keepBeats = reference !== null || exportFile !== null || outDir !== null;
  const keepSignal = outDir !== null;
  const signalParts: Float32Array[] = [];
  const bar = input.total !== null ? createProgressBar({ total: input.total, label: `monitor ${path.basename(input.source)}` }) : null;
  const write = (lines: string[]) => { if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n'); };

  const emit = (batch: MonitorBeat[]): string[] => {
    const lines: string[] = [];
    for (const b of batch) {
      if (keepBeats) beats.push(b); // only what --annotations, --export-beats or --out needs: a live stream never ends
      summary.add(b);
      if (!quiet) lines.push(jsonl ? JSON.stringify(beatJson(b, input.fs)) : beatLine(b, input.fs));
      const ev = alerts.next(b);
      if (ev) lines.push(alertText(ev));
    }
    return lines;
  };
  const alertText = (ev: AlertEvent) => (jsonl ? JSON.stringify(alertJson(ev, input.fs)) : alertLine(ev, input.fs));

  if (!jsonl && !quiet) write([`# ${input.source}, lead ${input.lead}, ${input.fs} Hz`, BEAT_HEADER]);
  for await (const chunk of input.chunks) {
    if (keepSignal) signalParts.push(Float32Array.from(chunk));
    write(emit(monitor.push(chunk)));
    bar?.update(monitor.samplesSeen);
  }
  const last = emit(monitor.end());
  const closing = alerts.close();
  if (closing) last.push(alertText(closing));
  write(last);
  bar?.done();

  const total = monitor.samplesSeen;
  const s = summary.result(total);
  const evaluation = reference ? evaluateAgainstAnnotations(beats, reference, input.fs, total) : null;
  const threshold0 = monitor.activeScorer?.threshold ?? NaN;
  const summaryObject = { type: 'summary', source: input.source, lead: input.lead, fs: input.fs, samples: total,
    ...s, alerts: alerts.closed.length, threshold: threshold0, scorer: scorerText, evaluation };
  if (jsonl) write([JSON.stringify(summaryObject)]);
  else write(summaryLines(s, alerts.closed.length, scorerText, evaluation));
  if (exportFile) writeBeatFile(exportFile, beats, reference, input.fs);
  if (outDir) writeFigures(outDir, beats, signalParts, input.fs, threshold0, `${path.basename(input.source)} (${input.lead})`, summaryObject);
}

function readAnnotations(file: string) {
  if (!existsSync(file)) throw new UserError(`--annotations: no such file: ${file}`);
  try {
    return parseBeatAnnotations(readFileSync(file, 'utf8'), file);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(2)}%`);
const auc = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));

function summaryLines(s: ReturnType<SummaryAccumulator['result']>, alertCount: number, scorer: string, ev: AnnotationEvaluation | null): string[] {
  const hr = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
  const lines = ['', `summary: ${s.beats} beats in ${(s.seconds / 60).toFixed(1)} min, heart rate ${hr(s.heartRate)} bpm (min ${hr(s.minHeartRate)}, max ${hr(s.maxHeartRate)}), ` +
    `${s.flagged} flagged, ${alertCount} alert(s)`, `scorer: ${scorer}`];
  if (ev) {
    const r = ev.rPeaks, p = ev.pvc;
    lines.push(`R peaks vs annotations (150 ms): Se ${pct(r.sensitivity)}  +P ${pct(r.positivePredictivity)}  (TP ${r.tp}, FP ${r.fp}, FN ${r.fn}; ${r.reference} reference beats)`);
    lines.push(`PVCs after the learning period (${p.beats} beats, ${p.pvcs} PVCs, ${p.hours.toFixed(2)} h): ROC-AUC ${auc(p.rocAuc)}  ` +
      `Se ${pct(p.sensitivity)}  precision ${pct(p.precision)}  false alarms ${p.falseAlarms} (${p.falseAlarmsPerHour.toFixed(1)}/h)`);
    lines.push(`  ROC-AUC of the parts alone: shape (reconstruction error) ${auc(p.rocAucShape)}, timing (prematurity) ${auc(p.rocAucPrematurity)}`);
  }
  return lines;
}

/** The exported beats as "label,v1,...,vN" rows (labels from the annotations, matched within 150 ms). */
function writeBeatFile(file: string, beats: MonitorBeat[], reference: ReferenceBeats | null, fs: number): void {
  const labels = reference ? labelsFromAnnotations(beats, reference, fs) : null;
  if (!reference) process.stderr.write(`${file}: no --annotations, so every beat is labelled 1 (normal)\n`);
  const rows = beats.map((b, i) => `${labels ? (labels[i] ? 2 : 1) : 1},${Array.from(b.exported!, (v) => v.toPrecision(6)).join(',')}`);
  replaceFileAtomically(file, rows.join('\n') + '\n');
  process.stderr.write(`wrote ${file} (${beats.length} beats${labels ? `, ${labels.reduce((s, l) => s + l, 0)} PVCs` : ''})\n`);
}

/** Figures and the summary, written to temp files and renamed, so no half-written figure is left. */
function writeFigures(dir: string, beats: MonitorBeat[], parts: Float32Array[], fs: number, threshold: number, title: string, summary: object): void {
  const signal = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { signal.set(p, o); o += p.length; }
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'trend.svg': trendChart(beats, fs, threshold, `${title}: heart rate and beat score`),
    'flagged.svg': flaggedStrips(signal, beats, fs, `${title}: flagged stretches`),
    'summary.json': JSON.stringify(summary, null, 2) + '\n',
  };
  for (const [name, text] of Object.entries(files)) {
    replaceFileAtomically(path.join(dir, name), text);
  }
  process.stderr.write(`wrote ${Object.keys(files).map((f) => path.join(dir, f)).join(', ')}\n`);
}

if (process.argv[2] === 'eval') void runCommand(evalSpec, (p) => evalMain(p, parseDuration), process.argv.slice(3));
else void runCommand(monitorSpec, main);

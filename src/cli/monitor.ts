// `npm run monitor -- RECORD`: a continuous ECG in (a WFDB record, an EDF/EDF+ file, a text signal, or samples on
// standard input), every beat detected, cut and scored, PVC-like beats flagged, alerts for runs
// of flagged beats, a summary; optionally evaluated against reference annotations and drawn.
// The work is in monitor/; this file reads the flags and writes the output.
// Output paths are checked before the work starts (monitor-outputs.ts). A live stream (stdin)
// ends at end of input or at SIGINT/SIGTERM: either way its beats, summary and files are
// written, and it exits 0 (1 when it ended inside the --learn period: no beat was scored);
// a second signal stops it at once. A record shorter than --learn is refused.

import '../index.ts';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createProgressBar } from '../io/progress-node.ts';
import { replaceFileAtomically } from '../io/durable-file-node.ts';
import { DetectorScorer } from '../monitor/beat-scorer.ts';
import { alarmJson, alarmLine, BEAT_HEADER, beatJson, beatLine, eventJson, eventLine } from '../monitor/beat-format.ts';
import { SummaryAccumulator, type MonitorSummary } from '../monitor/beat-summary.ts';
import { BEAT_CLASSES } from '../monitor/beat-class.ts';
import { BeatAnalysis, type AnalysisStep } from '../monitor/beat-analysis.ts';
import { parseAlarmTypes, DEFAULT_ALARMS, type AlarmSettings } from '../monitor/alarms.ts';
import { DEFAULT_RHYTHM, type RhythmSettings } from '../monitor/rhythm-events.ts';
import type { HolterSummary } from '../monitor/holter-summary.ts';
import { holterReport } from '../monitor/holter-report.ts';
import { EcgMonitor, type MonitorBeat, type MonitorScoring } from '../monitor/ecg-monitor.ts';
import { FlatLineAlarms } from '../monitor/flat-line-alarm.ts';
import { polarityJson, polarityLine } from '../signals/polarity.ts';
import { flatLineAlarmJson, flatLineAlarmLine, qualityJson, qualityLine, qualitySummaryLine, QualityTotals } from '../monitor/quality-format.ts';
import { readReferenceFile } from '../signals/reference-file-node.ts';
import { beatAnnotations, encodeAnnotations } from '../signals/wfdb-annotations.ts';
import { evaluateAgainstAnnotations, labelsFromAnnotations, parseBeatAnnotations, type AnnotationEvaluation, type ReferenceBeats } from '../monitor/annotation-eval.ts';
import { DEFAULT_LEARN } from '../monitor/learn-normal-beat.ts';
import { openSignalInput, type SignalInput } from '../signals/signal-input-node.ts';
import { flaggedStrips, trendChart } from '../monitor/strip-chart.ts';
import { intFlag, numberFlag, runCommand, UserError, type CommandSpec, type Parsed } from './args.ts';
import { loadDetector } from './model-store.ts';
import { evalMain, evalSpec } from './monitor-eval.ts';
import { checkOutputs } from './monitor-outputs.ts';

export const monitorSpec: CommandSpec = {
  name: 'monitor',
  summary: 'detect, cut and score every beat of a continuous ECG; flag PVC-like beats and alert on runs',
  usage: 'npm run monitor -- RECORD [--model DIR | --learn 5m] [--lead NAME] [--fs HZ] [--jsonl] [--out DIR] [--annotations FILE.atr|.ann.txt|.beats.csv]\n' +
    '       npm run monitor -- eval RECORD... | DIR   (bxb-style scoring against reference annotations; eval --help)',
  allowPositionals: true,
  options: {
    model: { type: 'string', value: 'DIR', description: 'score beats with a detector saved by train (beats resampled to its length, z-normalised like ECG5000)' },
    learn: { type: 'string', value: 'DURATION', description: 'learn this patient\'s normal beat from the first DURATION (e.g. 5m, 300s) without labels, then score (default when no --model: 5m); a record shorter than DURATION is refused' },
    lead: { type: 'string', value: 'NAME', description: 'lead to read: a WFDB signal description, e.g. MLII (default: the first), or an EDF label (default: the first labelled ECG/EKG); FILE.edf is read as EDF/EDF+, FILE.bdf as BDF/BDF+ (24-bit)' },
    fs: { type: 'string', value: 'HZ', description: 'sampling rate of a text signal or of standard input, when its header does not state it (WFDB and EDF headers do; so does an Apple Watch export\'s "Sample Rate,512 hertz")' },
    unit: { type: 'string', value: 'UNIT', description: 'unit of a text signal\'s samples when its header does not state it: mV (default for small values), uV/µV or V' },
    column: { type: 'string', value: 'N', description: 'column (1-based) of a text signal holding the ECG, when no header line names it (e.g. "timestamp;ecg [uV]")' },
    jsonl: { type: 'boolean', description: 'one JSON object per beat (with its "class": N, S, V, F or Q), event ("type":"event") and alert on stdout, then a summary object' },
    out: { type: 'string', value: 'DIR', description: 'write report.html (Holter summary, hourly trend, event strips on ECG paper), trend.svg (heart rate and score over time), flagged.svg (ECG strips of flagged stretches) and summary.json, beats.atr (the beats as a WFDB annotation file, labels N/S/V/F/Q)' },
    annotations: { type: 'string', value: 'FILE', description: 'reference beats (WFDB .atr, rdann .ann.txt or sample,pvc CSV): R-peak Se/+P (150 ms) and PVC ROC-AUC, Se, precision, false alarms per hour' },
    alarms: { type: 'string', value: 'LIST', description: `rhythm events that raise an alarm, comma-separated, or none (default ${DEFAULT_ALARMS.types.join(',')}; never a single ectopic beat)` },
    refractory: { type: 'string', value: 'DURATION', description: `after an alarm, the same kind stays silent this long (default ${DEFAULT_ALARMS.refractorySeconds / 60}m)` },
    pause: { type: 'string', value: 'SECONDS', description: `an RR interval over this is a pause event (default ${DEFAULT_RHYTHM.pauseSeconds})` },
    'pause-alarm': { type: 'string', value: 'SECONDS', description: `a pause alarms from this length (default ${DEFAULT_ALARMS.pauseAlarmSeconds})` },
    brady: { type: 'string', value: 'BPM', description: `bradycardia below this N-N heart rate for ${DEFAULT_RHYTHM.rateMinSeconds} s (default ${DEFAULT_RHYTHM.bradyBpm})` },
    tachy: { type: 'string', value: 'BPM', description: `tachycardia above this N-N heart rate for ${DEFAULT_RHYTHM.rateMinSeconds} s (default ${DEFAULT_RHYTHM.tachyBpm})` },
    threshold: { type: 'string', value: 'X', description: `flag threshold on the learned score (robust z units; default ${DEFAULT_LEARN.threshold})` },
    seed: { type: 'string', value: 'N', description: 'seed for --learn training', default: '1' },
    trim: { type: 'string', value: 'F', description: `--learn drops this share of worst-reconstructed learning beats and refits (0 = no trimming; default ${DEFAULT_LEARN.trim})` },
    quiet: { type: 'boolean', description: 'no per-beat lines (alerts and the summary only)' },
    'export-beats': { type: 'string', value: 'FILE', description: 'write every beat, cut the --model way (z-normalised), as a training CSV for train: label first (1 = not a PVC, 2 = PVC, from --annotations; all 1 without)' },
    'export-length': { type: 'string', value: 'N', description: 'samples per exported beat', default: '140' },
    force: { type: 'boolean', description: 'replace existing --out files and --export-beats FILE (never an input of the run)' },
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

interface MonitorRun {
  record: string;
  fs: number | undefined;
  lead: string | undefined;
  unit: string | undefined;
  column: number | undefined;
  jsonl: boolean;
  quiet: boolean;
  reference: ReferenceBeats | null;
  outDir: string | null;
  exportFile: string | null;
  exportLength: number;
  analysis: { rhythm: Partial<RhythmSettings>; alarms: Partial<AlarmSettings> };
}

async function main(parsed: Parsed): Promise<void> {
  const run = readFlags(parsed);
  checkOutputs({ record: run.record, annotations: typeof parsed.values.annotations === 'string' ? parsed.values.annotations : null,
    model: typeof parsed.values.model === 'string' ? parsed.values.model : null, outDir: run.outDir, exportFile: run.exportFile,
    force: parsed.values.force === true });
  const input = openInput(run);
  const { scoring, describe } = chooseScoring(parsed, input);
  const learnSamples = scoring.kind === 'learn' ? scoring.seconds * input.fs : null;
  if (learnSamples !== null && input.total !== null && input.total < learnSamples) {
    throw new UserError(`${input.source}: the record is ${(input.total / input.fs).toFixed(1)} s long, shorter than the learning period ` +
      `(--learn ${learnSamples / input.fs} s${parsed.values.learn === undefined ? ', the default' : ''}): ` +
      'no beat could be scored by a learned normal beat. Pass a shorter --learn, or --model DIR', 2);
  }
  const monitor = new EcgMonitor({ fs: input.fs, scoring, ...(run.exportFile ? { exportLength: run.exportLength } : {}) });
  const out = await streamRecord(run, input, monitor, learnSamples);
  writeResults(run, input, monitor, out, describe());
  if (out.unlearned) process.exitCode = 1;
}

function readFlags({ values, positionals }: Parsed): MonitorRun {
  if (positionals.length !== 1) throw new UserError(`expected exactly one RECORD (a WFDB record, a .csv/.txt signal, or - for stdin), got ${positionals.length}`, 2);
  if (values.model !== undefined && values.learn !== undefined) throw new UserError('give --model DIR or --learn DURATION, not both', 2);
  const num = (name: string, min: number) => (values[name] !== undefined ? numberFlag(values, name, { min }) : undefined);
  const rhythm: Partial<RhythmSettings> = {};
  const pause = num('pause', 0.5), brady = num('brady', 10), tachy = num('tachy', 30);
  if (pause !== undefined) rhythm.pauseSeconds = pause;
  if (brady !== undefined) rhythm.bradyBpm = brady;
  if (tachy !== undefined) rhythm.tachyBpm = tachy;
  const alarms: Partial<AlarmSettings> = {};
  if (typeof values.alarms === 'string') {
    try { alarms.types = values.alarms === 'none' ? [] : parseAlarmTypes(values.alarms); } catch (e) { throw new UserError(`--alarms: ${(e as Error).message}`, 2); }
  }
  if (typeof values.refractory === 'string') alarms.refractorySeconds = parseDuration(values.refractory, 'refractory');
  const pauseAlarm = num('pause-alarm', 0.5);
  if (pauseAlarm !== undefined) alarms.pauseAlarmSeconds = pauseAlarm;
  return {
    record: positionals[0],
    fs: values.fs !== undefined ? numberFlag(values, 'fs', { min: 50, max: 100000 }) : undefined,
    unit: typeof values.unit === 'string' ? values.unit : undefined,
    column: values.column !== undefined ? intFlag(values, 'column', { min: 1 }) - 1 : undefined,
    lead: typeof values.lead === 'string' ? values.lead : undefined,
    jsonl: values.jsonl === true, quiet: values.quiet === true,
    reference: typeof values.annotations === 'string' ? readAnnotations(values.annotations) : null,
    outDir: typeof values.out === 'string' ? values.out : null,
    exportFile: typeof values['export-beats'] === 'string' ? values['export-beats'] : null,
    exportLength: intFlag(values, 'export-length', { min: 8, max: 4096 }),
    analysis: { rhythm, alarms },
  };
}

function openInput(run: MonitorRun): SignalInput {
  try {
    return openSignalInput(run.record, { fs: run.fs, lead: run.lead, unit: run.unit, column: run.column });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

/** --model DIR, or --learn (default 5m); `describe` gives the scorer's line once known. */
function chooseScoring({ values }: Parsed, input: SignalInput): { scoring: MonitorScoring; describe: () => string } {
  const seed = intFlag(values, 'seed', { min: 0 });
  const threshold = values.threshold !== undefined ? numberFlag(values, 'threshold', { min: 0 }) : undefined;
  const trim = values.trim !== undefined ? numberFlag(values, 'trim', { min: 0, max: 0.9 }) : undefined;
  if (trim !== undefined && values.model !== undefined) throw new UserError('--trim applies to --learn', 2);
  if (threshold !== undefined && values.model !== undefined) throw new UserError('--threshold applies to --learn; a --model uses its own threshold', 2);
  if (typeof values.model === 'string') {
    const { detector } = loadDetector(values.model);
    const scorer = new DetectorScorer(detector, values.model);
    return { scoring: { kind: 'scorer', scorer }, describe: () => scorer.description };
  }
  let text = '';
  const seconds = parseDuration(typeof values.learn === 'string' ? values.learn : '5m', 'learn');
  const scoring: MonitorScoring = { kind: 'learn', seconds, options: { seed, ...(threshold !== undefined ? { threshold } : {}), ...(trim !== undefined ? { trim } : {}) },
    onLearned: (s) => { text = s.description; if (input.total !== null) process.stderr.write(`learned: ${s.description}\n`); } };
  return { scoring, describe: () => text };
}

interface StreamResult {
  beats: MonitorBeat[]; signal: Float32Array[]; analysis: BeatAnalysis; summary: SummaryAccumulator; quality: QualityTotals;
  /** A live stream that ended inside the --learn period: its beats (this many) were never scored, nor given out. */
  unlearned: { beats: number; learnSeconds: number } | null;
}

/** Pushes the input through the monitor chunk by chunk, writing each beat, event and alarm as it comes. */
async function streamRecord(run: MonitorRun, input: SignalInput, monitor: EcgMonitor, learnSamples: number | null): Promise<StreamResult> {
  const fs = input.fs;
  const analysis = new BeatAnalysis(fs, { ...run.analysis, keepEvents: run.outDir !== null });
  const summary = new SummaryAccumulator(fs);
  const beats: MonitorBeat[] = [];
  // Only what --annotations, --export-beats or --out needs is kept: a live stream never ends.
  const keepBeats = run.reference !== null || run.exportFile !== null || run.outDir !== null;
  const signal: Float32Array[] = [];
  const bar = input.total !== null ? createProgressBar({ total: input.total, label: `monitor ${path.basename(input.source)}` }) : null;
  const lines = (step: AnalysisStep, into: string[]) => {
    for (const e of step.events) into.push(run.jsonl ? JSON.stringify(eventJson(e, fs)) : eventLine(e, fs));
    for (const a of step.alarms) into.push(run.jsonl ? JSON.stringify(alarmJson(a, fs)) : alarmLine(a, fs));
  };
  const emit = (batch: MonitorBeat[]): string[] => {
    const out: string[] = [];
    for (const b of batch) {
      if (keepBeats) beats.push(b);
      summary.add(b);
      if (!run.quiet) out.push(run.jsonl ? JSON.stringify(beatJson(b, fs)) : beatLine(b, fs));
      lines(analysis.next(b), out);
    }
    return out;
  };
  // Quality episodes as they close, and the flat-line alarm while a flat line grows.
  const quality = new QualityTotals(fs);
  const flatLine = new FlatLineAlarms(fs, run.analysis.alarms.pauseAlarmSeconds ?? DEFAULT_ALARMS.pauseAlarmSeconds);
  let polarityShown = false;
  const qualityLines = (into: string[]) => {
    if (!polarityShown && monitor.polarity) {
      polarityShown = true;
      // Before the beats it bears on (none come before the polarity is decided).
      if (run.jsonl) into.unshift(JSON.stringify(polarityJson(monitor.polarity)));
      else if (!run.quiet) into.unshift(`# ${polarityLine(monitor.polarity)}`);
    }
    const closed = monitor.takeQualityEpisodes();
    for (const e of closed) { quality.addEpisode(e); into.push(run.jsonl ? JSON.stringify(qualityJson(e, fs)) : qualityLine(e, fs)); }
    for (const a of flatLine.update(closed, monitor.openQualityEpisode)) {
      quality.addAlarm();
      into.push(run.jsonl ? JSON.stringify(flatLineAlarmJson(a, fs)) : flatLineAlarmLine(a, fs));
    }
    return into;
  };
  if (!run.jsonl && !run.quiet) write([`# ${input.source}, lead ${input.lead}, ${fs} Hz`, BEAT_HEADER]);
  const stop = input.total === null ? stopOnSignal() : null;
  for await (const chunk of stop ? untilAborted(input.chunks, stop.signal) : input.chunks) {
    if (run.outDir !== null) signal.push(Float32Array.from(chunk));
    write(qualityLines(emit(monitor.push(chunk))));
    bar?.update(monitor.samplesSeen);
  }
  if (stop?.signal.aborted) {
    process.stderr.write(`stopped by ${stop.signal.reason}: writing the results of ${monitor.samplesSeen} samples\n`);
    process.stdin.destroy(); // nothing more is read: the process may end
  }
  stop?.dispose();
  // Ended before the learning period did: the held beats would be scored by a normal beat learnt
  // from themselves, so none is given out (a file this short is refused before the work).
  const unlearnedEnd = learnSamples !== null && monitor.samplesSeen < learnSamples;
  const held = monitor.end();
  const last = emit(unlearnedEnd ? [] : held);
  lines(analysis.end(), last);
  write(qualityLines(last));
  bar?.done();
  const unlearned = unlearnedEnd ? { beats: held.length, learnSeconds: learnSamples / fs } : null;
  if (unlearned) {
    process.stderr.write(`learning never finished: the stream ended after ${(monitor.samplesSeen / fs).toFixed(1)} s of the ` +
      `${unlearned.learnSeconds} s --learn period; its ${unlearned.beats} beats were not scored\n`);
  }
  return { beats, signal, analysis, summary, quality, unlearned };
}

/** An AbortSignal fired (reason: the signal's name) by the first SIGINT or SIGTERM; a second one kills as usual. */
function stopOnSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      for (const [n, h] of handlers) process.off(n, h);
      controller.abort(name);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return { signal: controller.signal, dispose: () => { for (const [n, h] of handlers) process.off(n, h); } };
}

/** `source`'s items until `signal` aborts (a pending read is abandoned, not awaited). */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
  const it = source[Symbol.asyncIterator]();
  const aborted = new Promise<null>((resolve) => signal.addEventListener('abort', () => resolve(null), { once: true }));
  while (!signal.aborted) {
    const next = await Promise.race([it.next(), aborted]);
    if (next === null || next.done) return;
    yield next.value;
  }
}

function write(lines: string[]): void {
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
}

/** The summary (text or JSON), then the files asked for. */
function writeResults(run: MonitorRun, input: SignalInput, monitor: EcgMonitor, r: StreamResult, scorerText: string): void {
  const total = monitor.samplesSeen;
  const s = r.summary.result(total);
  const holter = r.analysis.summary(total);
  const evaluation = run.reference ? evaluateAgainstAnnotations(r.beats, run.reference, input.fs, total) : null;
  const threshold = r.unlearned ? NaN : (monitor.activeScorer?.threshold ?? NaN);
  if (r.unlearned) scorerText = `none: learning never finished (the stream ended inside the ${r.unlearned.learnSeconds} s --learn period; ${r.unlearned.beats} beats not scored)`;
  const alerts = r.analysis.alarms.raised.length;
  const quality = r.quality.result();
  const summaryObject = { type: 'summary', source: input.source, lead: input.lead, fs: input.fs, samples: total,
    ...s, alerts, threshold, scorer: scorerText, holter, evaluation, quality, polarity: monitor.polarity,
    ...(r.unlearned ? { learningFinished: false, unscoredBeats: r.unlearned.beats } : {}) };
  if (run.jsonl) write([JSON.stringify(summaryObject)]);
  else write([...summaryLines(s, holter, alerts, scorerText, evaluation), qualitySummaryLine(quality), ...(monitor.polarity ? [polarityLine(monitor.polarity)] : [])]);
  if (run.exportFile) writeBeatFile(run.exportFile, r.beats, run.reference, input.fs);
  if (run.outDir) {
    const title = `${path.basename(input.source)} (${input.lead})`;
    writeFigures(run.outDir, r, input.fs, threshold, title, summaryObject, holter, monitor.polarity?.inverted === true);
  }
}

function readAnnotations(file: string) {
  if (!existsSync(file)) throw new UserError(`--annotations: no such file: ${file}`);
  try {
    if (/\.csv$/i.test(file)) return parseBeatAnnotations(readFileSync(file, 'utf8'), file);
    // .atr or the rdann listing: V or not V is what this evaluation scores.
    const ref = readReferenceFile(file);
    return { samples: ref.samples, pvc: Uint8Array.from(ref.classes, (c) => (c === 'V' ? 1 : 0)) };
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(100 * v).toFixed(2)}%`);
const auc = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));

function summaryLines(s: MonitorSummary, h: HolterSummary, alertCount: number, scorer: string, ev: AnnotationEvaluation | null): string[] {
  const hr = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
  const classes = BEAT_CLASSES.map((c) => `${c} ${h.byClass[c]}`).join(', ');
  const events = Object.entries(h.events).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const lines = ['', `summary: ${s.beats} beats in ${(s.seconds / 60).toFixed(1)} min, heart rate ${hr(h.heartRate.mean)} bpm (N-N; min ${hr(h.heartRate.min)}, max ${hr(h.heartRate.max)}), ` +
    `${s.flagged} flagged, ${alertCount} alarm(s)`,
    `classes: ${classes}; PVC burden ${h.pvcBurden.percent === null ? 'n/a' : h.pvcBurden.percent.toFixed(2)}% (${hr(h.pvcBurden.perHour)}/h); SDNN ${hr(h.sdnnMs)} ms, RMSSD ${hr(h.rmssdMs)} ms`,
    `events: ${events}`,
    ...(h.pacedRhythm ? [`paced rhythm detected: ${h.pacedBeats} paced beats (class Q)`] : []),
    `scorer: ${scorer}`];
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

/** Figures, the report and the summary, written to temp files and renamed, so no half-written file is left. */
function writeFigures(dir: string, r: StreamResult, fs: number, threshold: number, title: string, summary: object, holter: HolterSummary, leadInverted: boolean): void {
  // The strips show what the monitor analysed: an inverted lead multiplied by -1, as it was.
  const signal = new Float32Array(r.signal.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of r.signal) { signal.set(p, o); o += p.length; }
  if (leadInverted) for (let i = 0; i < signal.length; i++) signal[i] = -signal[i];
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string | Uint8Array> = {
    'trend.svg': trendChart(r.beats, fs, threshold, `${title}: heart rate and beat score`),
    'flagged.svg': flaggedStrips(signal, r.beats, fs, `${title}: flagged stretches${leadInverted ? ' (lead inverted: shown flipped)' : ''}`),
    'report.html': holterReport({ title, fs, signal, beats: r.beats, events: r.analysis.events, alarms: r.analysis.alarms.raised, summary: holter,
      quality: r.quality.list, qualityTotal: r.quality.result().episodes, leadInverted }),
    'summary.json': JSON.stringify(summary, null, 2) + '\n',
    // The beats and their classes as a WFDB annotation file (rdann, WAVE and bxb read it).
    'beats.atr': encodeAnnotations(beatAnnotations(r.beats)),
  };
  for (const [name, text] of Object.entries(files)) {
    replaceFileAtomically(path.join(dir, name), text);
  }
  process.stderr.write(`wrote ${Object.keys(files).map((f) => path.join(dir, f)).join(', ')}\n`);
}

if (process.argv[2] === 'eval') void runCommand(evalSpec, (p) => evalMain(p, parseDuration), process.argv.slice(3));
else void runCommand(monitorSpec, main);

// Evaluation of a monitored record against reference annotations (sample, pvc):
//   R peaks: sensitivity and positive predictivity with the 150 ms matching rule;
//   PVCs: ROC-AUC of the beat scores, sensitivity, precision and false alarms per hour at the
//   flagging threshold, over the beats after the learning period (the learning beats were seen
//   by the model). A detected beat takes its reference beat's label; an unmatched detection
//   (not a beat at all) counts as not-a-PVC, so flagging it is a false alarm.

import { rocAuc } from '../evaluation/metrics.ts';
import { matchBeats } from './beat-matching.ts';
import type { MonitorBeat } from './ecg-monitor.ts';

export interface ReferenceBeats { samples: Int32Array; pvc: Uint8Array }

export interface AnnotationEvaluation {
  rPeaks: { reference: number; detected: number; tp: number; fp: number; fn: number; sensitivity: number; positivePredictivity: number };
  pvc: {
    /** Beats scored outside the learning period, and the PVCs among them. */
    beats: number;
    pvcs: number;
    rocAuc: number | null;
    /** The two parts alone: reconstruction error (shape) and prematurity (timing). */
    rocAucShape: number | null;
    rocAucPrematurity: number | null;
    sensitivity: number | null;
    precision: number | null;
    flagged: number;
    falseAlarms: number;
    falseAlarmsPerHour: number;
    hours: number;
  };
}

export const MATCH_TOLERANCE_SECONDS = 0.15;

export function evaluateAgainstAnnotations(beats: readonly MonitorBeat[], ref: ReferenceBeats, fs: number,
                                           totalSamples: number): AnnotationEvaluation {
  const m = matchBeats(beats.map((b) => b.sample), ref.samples, Math.round(MATCH_TOLERANCE_SECONDS * fs));
  const scored = beats.map((b, i) => ({ b, i })).filter(({ b }) => !b.learning);
  const labels = scored.map(({ i }) => (m.matchOf[i] >= 0 ? ref.pvc[m.matchOf[i]] : 0));
  // Non-finite scores rank highest (they are flagged).
  const scores = scored.map(({ b }) => (Number.isFinite(b.score) ? b.score : Number.MAX_VALUE));
  const pvcs = labels.reduce((s, l) => s + l, 0);
  const both = pvcs > 0 && pvcs < scored.length;
  const aucOf = (values: number[]) => (both ? rocAuc(values.map((v) => (Number.isFinite(v) ? v : Number.MAX_VALUE)), labels) : null);
  let tp = 0, flagged = 0;
  scored.forEach(({ b }, k) => { if (b.flagged) { flagged++; tp += labels[k]; } });
  // Hours of signal the scored beats cover: from the first scored beat to the end.
  const start = scored.length > 0 ? scored[0].b.sample : totalSamples;
  const hours = Math.max(0, totalSamples - start) / fs / 3600;
  return {
    rPeaks: { reference: ref.samples.length, detected: beats.length, tp: m.tp, fp: m.fp, fn: m.fn,
      sensitivity: m.sensitivity, positivePredictivity: m.positivePredictivity },
    pvc: {
      beats: scored.length, pvcs,
      rocAuc: aucOf(scores),
      rocAucShape: aucOf(scored.map(({ b }) => b.error)),
      rocAucPrematurity: aucOf(scored.map(({ b }) => b.prematurity ?? 0)),
      sensitivity: pvcs > 0 ? tp / pvcs : null,
      precision: flagged > 0 ? tp / flagged : null,
      flagged, falseAlarms: flagged - tp,
      falseAlarmsPerHour: hours > 0 ? (flagged - tp) / hours : 0,
      hours,
    },
  };
}

/** Each detected beat's reference label (1 = PVC), 0 for detections that match no reference beat. */
export function labelsFromAnnotations(beats: readonly MonitorBeat[], ref: ReferenceBeats, fs: number): Uint8Array {
  const m = matchBeats(beats.map((b) => b.sample), ref.samples, Math.round(MATCH_TOLERANCE_SECONDS * fs));
  return Uint8Array.from(m.matchOf, (j) => (j >= 0 ? ref.pvc[j] : 0));
}

/** Parses NNN.beats.csv ("sample,pvc" header, then one beat per line); errors name file, line and field. */
export function parseBeatAnnotations(text: string, source: string): ReferenceBeats {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().toLowerCase().replace(/\s/g, '');
  if (header !== 'sample,pvc') throw new Error(`${source}:1: expected the header "sample,pvc", got "${lines[0] ?? ''}"`);
  const samples: number[] = [], pvc: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const [s, p, extra] = line.split(',');
    if (extra !== undefined) throw new Error(`${source}:${i + 1}: expected 2 fields (sample,pvc), got ${line.split(',').length}`);
    const v = Number(s);
    if (!/^\s*\d+\s*$/.test(s ?? '') || !Number.isSafeInteger(v)) throw new Error(`${source}:${i + 1}: field "sample" is "${s}", not a non-negative integer`);
    if (samples.length > 0 && v <= samples[samples.length - 1]) throw new Error(`${source}:${i + 1}: field "sample" ${v} is not after the previous beat (${samples[samples.length - 1]})`);
    if (p?.trim() !== '0' && p?.trim() !== '1') throw new Error(`${source}:${i + 1}: field "pvc" is "${p ?? ''}", expected 0 or 1`);
    samples.push(v); pvc.push(Number(p));
  }
  if (samples.length === 0) throw new Error(`${source}: no beats`);
  return { samples: Int32Array.from(samples), pvc: Uint8Array.from(pvc) };
}

// Beat-by-beat comparison of a monitor's classified beats with reference annotations, the way
// PhysioNet's bxb scores records for ANSI/AAMI EC57:
//   - a test beat matches a reference beat within 150 ms (nearest unmatched, in time order);
//   - beats before the end of the learning period (default 5 min) are left out: a reference beat
//     by its own time, an unmatched test beat by its time;
//   - a confusion matrix, reference class (N S V F Q, or O = no reference beat) x test class
//     (N S V F Q, or O = missed), from which
//       QRS   Se = matched / reference beats,          +P = matched / test beats;
//       VEB   TP = Vv;  FN = reference V called N, S, F, Q or missed;  FP = test V on a reference N
//             or S beat or on no beat;  FPR = FP on reference N or S / reference N and S beats;
//       SVEB  TP = Ss;  FN = reference S called anything else or missed;  FP = test S on a reference
//             N or V beat or on no beat.
//     Reference F and Q beats called V or S are neither TP nor FP (EC57 does not penalise them).
// Gross statistics sum the matrices over records; paced records count for QRS only.

import { BEAT_CLASSES, type BeatClass } from './beat-class.ts';
import { matchBeats } from './beat-matching.ts';
import type { ReferenceAnnotations } from './reference-annotations.ts';

export const BXB_MATCH_SECONDS = 0.15;
export const DEFAULT_LEARNING_SECONDS = 300;
/** The records EC57 names as paced (left out of class statistics). */
export const PACED_MITDB_RECORDS = new Set(['102', '104', '107', '217']);

export type Row = BeatClass | 'O';
/** matrix[reference][test]: counts; 'O' as reference = test beat with no reference, as test = missed. */
export type ConfusionMatrix = Record<Row, Record<Row, number>>;

const ROWS: readonly Row[] = [...BEAT_CLASSES, 'O'];

export function emptyMatrix(): ConfusionMatrix {
  const m = {} as ConfusionMatrix;
  for (const r of ROWS) { m[r] = {} as Record<Row, number>; for (const c of ROWS) m[r][c] = 0; }
  return m;
}

export function addMatrix(into: ConfusionMatrix, m: ConfusionMatrix): void {
  for (const r of ROWS) for (const c of ROWS) into[r][c] += m[r][c];
}

export interface TestBeat { sample: number; class: BeatClass }

export interface DetectionStats { tp: number; fp: number; fn: number; se: number | null; ppv: number | null }
export interface VebStats extends DetectionStats { fpr: number | null; falsePerHour: number }

export interface RecordScore {
  record: string;
  /** Paced: counted for QRS only. */
  paced: boolean;
  /** False for references that tell V from not-V only (no SVEB statistics). */
  knowsAllClasses: boolean;
  hours: number;
  matrix: ConfusionMatrix;
  qrs: DetectionStats;
  veb: VebStats;
  sveb: DetectionStats | null;
  /** Filled by the eval command: alarms the monitor raised (after the learning period) and whether it detected pacing. */
  alarms?: { count: number; perHour: number; types: string[]; /** Most alarms within any 60 minutes. */ maxInAnHour: number };
  pacedDetected?: boolean;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

function detection(tp: number, fp: number, fn: number): DetectionStats {
  return { tp, fp, fn, se: ratio(tp, tp + fn), ppv: ratio(tp, tp + fp) };
}

/** Fills matrix from one record's test beats and reference after `startSample`. */
export function confusionMatrix(test: readonly TestBeat[], ref: ReferenceAnnotations, fs: number, startSample: number): ConfusionMatrix {
  const m = emptyMatrix();
  const match = matchBeats(test.map((b) => b.sample), ref.samples, Math.round(BXB_MATCH_SECONDS * fs));
  const matchedRef = new Uint8Array(ref.samples.length);
  test.forEach((b, i) => {
    const j = match.matchOf[i];
    if (j >= 0) {
      matchedRef[j] = 1;
      if (ref.samples[j] >= startSample) m[ref.classes[j]][b.class]++;
    } else if (b.sample >= startSample) m.O[b.class]++;
  });
  ref.samples.forEach((s, j) => { if (!matchedRef[j] && s >= startSample) m[ref.classes[j]].O++; });
  return m;
}

/** The statistics of one matrix (one record, or the gross sum). */
export function statistics(m: ConfusionMatrix, hours: number, knowsAllClasses: boolean): Pick<RecordScore, 'qrs' | 'veb' | 'sveb'> {
  const refTotal = (r: Row) => ROWS.reduce((s, c) => s + m[r][c], 0);
  let matched = 0, missed = 0, extra = 0;
  for (const r of BEAT_CLASSES) { for (const c of BEAT_CLASSES) matched += m[r][c]; missed += m[r].O; }
  for (const c of BEAT_CLASSES) extra += m.O[c];
  const vTp = m.V.V;
  const vFn = refTotal('V') - vTp;
  const vFpOnBeats = m.N.V + m.S.V;
  const vFp = vFpOnBeats + m.O.V;
  const nsBeats = refTotal('N') - m.N.O + refTotal('S') - m.S.O;
  const veb: VebStats = { ...detection(vTp, vFp, vFn), fpr: ratio(vFpOnBeats, nsBeats), falsePerHour: hours > 0 ? vFp / hours : 0 };
  const sveb = knowsAllClasses ? detection(m.S.S, m.N.S + m.V.S + m.O.S, refTotal('S') - m.S.S) : null;
  return { qrs: detection(matched, extra, missed), veb, sveb };
}

export interface ScoreOptions { fs: number; totalSamples: number; learningSeconds?: number; record: string }

export function scoreRecord(test: readonly TestBeat[], ref: ReferenceAnnotations, o: ScoreOptions): RecordScore {
  const start = Math.round((o.learningSeconds ?? DEFAULT_LEARNING_SECONDS) * o.fs);
  const matrix = confusionMatrix(test, ref, o.fs, start);
  const hours = Math.max(0, o.totalSamples - start) / o.fs / 3600;
  const paced = ref.paced || PACED_MITDB_RECORDS.has(o.record);
  return { record: o.record, paced, knowsAllClasses: ref.knowsAllClasses, hours, matrix, ...statistics(matrix, hours, ref.knowsAllClasses) };
}

export interface GrossScore {
  records: number;
  hours: number;
  /** QRS over every record, paced included. */
  qrs: DetectionStats;
  /** Class statistics over the records that are not paced (SVEB over those whose reference knows S). */
  veb: VebStats;
  sveb: DetectionStats | null;
  classRecords: number;
  /** Alarms per hour over the records the eval command ran (null when not counted). */
  alarmsPerHour: number | null;
}

export function grossScore(scores: readonly RecordScore[]): GrossScore {
  const all = emptyMatrix(), cls = emptyMatrix(), sv = emptyMatrix();
  let hours = 0, classHours = 0, svRecords = 0;
  const classScores = scores.filter((s) => !s.paced);
  for (const s of scores) { addMatrix(all, s.matrix); hours += s.hours; }
  for (const s of classScores) {
    addMatrix(cls, s.matrix); classHours += s.hours;
    if (s.knowsAllClasses) { addMatrix(sv, s.matrix); svRecords++; }
  }
  const counted = scores.filter((s) => s.alarms !== undefined);
  const alarmHours = counted.reduce((h, s) => h + s.hours, 0);
  const alarmsPerHour = counted.length > 0 && alarmHours > 0 ? counted.reduce((n, s) => n + s.alarms!.count, 0) / alarmHours : null;
  return { records: scores.length, hours, classRecords: classScores.length, alarmsPerHour,
    qrs: statistics(all, hours, true).qrs, veb: statistics(cls, classHours, true).veb,
    sveb: svRecords > 0 ? statistics(sv, classHours, true).sveb : null };
}

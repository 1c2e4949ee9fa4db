// Lead polarity from the first seconds of a recording: is the lead inverted (or are its electrodes
// swapped)? The monitor flips such a lead before anything else sees it, so its beats, shapes and
// classes do not depend on the lead's sign.
//   1. R peaks by the QRS detector (it sees energy, x², so the sign does not move them);
//   2. per beat: baseline = median of x within ±BASELINE_SECONDS; QRS deflection = largest
//      excursion above it minus largest below it within ±QRS_SECONDS of the peak; width = samples
//      of that window over half its largest |excursion|; P wave = the largest excursion 250-90 ms
//      before R from the line through the signal before it and the PR segment;
//   3. only the narrower half of the beats vote (normal conducted beats are narrow; wide PVCs,
//      often of the opposite sign, are left out, so a PVC-rich or bigeminal record still reads
//      its normal beats);
//   4. the P waves decide when at least 80% agree in sign and they are at least 8% of the QRS
//      (sinus P waves are upright in the limb leads, I and II, whatever the QRS: record 108's
//      QS-like complexes read inverted by the QRS alone); else the QRS deflections, when at least
//      80% agree; else the lead is not judged and taken as it is (paced complexes, record 104:
//      a positive spike on a wide negative QRS, read either way depending on the rate).
// Every step is odd in x (negating x negates each deflection exactly and keeps each width), so
// a judged record and its inversion get opposite verdicts and, once flipped, the very same signal.

import { median } from '../detect/thresholds.ts';
import { detectRPeaks } from '../monitor/qrs-detector.ts';

export const POLARITY_SECONDS = 30;
export const MIN_POLARITY_BEATS = 5;
const BASELINE_SECONDS = 0.35;
const QRS_SECONDS = 0.06;
/** The P wave is looked for 250-90 ms before R, against a baseline from 320-280 ms before R and the PR segment 70-50 ms before R. */
const P_WINDOW_MS = [250, 90] as const;
const P_BASE_BEFORE_MS = [320, 280] as const;
const P_BASE_PR_MS = [70, 50] as const;
/** The P waves decide when this share of the voting beats agree on their sign ... */
const P_AGREEMENT = 0.8;
/** ... and their median height is at least this share of the median QRS peak-to-peak. */
const P_MIN_SIZE = 0.08;
/** Without such P waves, this share of the voting beats must agree on the sign of their QRS deflection; else the lead is not judged. */
const QRS_AGREEMENT = 0.8;

export interface PolarityVerdict {
  /** True when the dominant deflection of the narrow beats is negative: the monitor multiplies the lead by -1. */
  inverted: boolean;
  /** Beats that voted (the narrower half of those found) and how many of them pointed down. */
  votes: number;
  negative: number;
  /** False when too few beats were found to judge (then the lead is taken as it is). */
  decided: boolean;
  /** What decided: the P waves (consistent and clear) or the QRS deflections. */
  by: 'p' | 'qrs';
}

/** x: [n] samples (mV; non-finite samples hold the last finite value), fs in Hz. */
export function decidePolarity(x: ArrayLike<number>, fs: number): PolarityVerdict {
  const y = new Float64Array(x.length);
  let held = 0;
  for (let i = 0; i < x.length; i++) { const v = x[i]; if (Number.isFinite(v)) held = v; y[i] = held; }
  const base = Math.round(BASELINE_SECONDS * fs), half = Math.max(1, Math.round(QRS_SECONDS * fs));
  const ms = (t: number) => Math.round((t * fs) / 1000);
  const pFrom = ms(P_WINDOW_MS[0]), pTo = ms(P_WINDOW_MS[1]);
  const beats: { deflection: number; size: number; p: number; width: number }[] = [];
  for (const { sample: r } of detectRPeaks(y, fs)) {
    if (r - Math.max(base, ms(P_BASE_BEFORE_MS[0])) < 0 || r + base >= y.length) continue;
    const b = median(y.subarray(r - base, r + base + 1));
    let hi = 0, lo = 0;
    for (let i = r - half; i <= r + half; i++) { const d = y[i] - b; if (d > hi) hi = d; if (d < lo) lo = d; }
    const big = Math.max(hi, -lo);
    let width = 0;
    for (let i = r - half; i <= r + half; i++) if (Math.abs(y[i] - b) > 0.5 * big) width++;
    beats.push({ deflection: hi + lo, size: hi - lo, p: pWave(y, r, fs, pFrom, pTo), width });
  }
  if (beats.length < MIN_POLARITY_BEATS) return { inverted: false, votes: beats.length, negative: 0, decided: false, by: 'qrs' };
  const widths = beats.map((b) => b.width).sort((a, b) => a - b);
  const limit = widths[(widths.length - 1) >> 1];
  const voters = beats.filter((b) => b.width <= limit);
  // The P wave first: in sinus rhythm it is upright in the limb leads a monitor records (I, II),
  // whatever the QRS looks like (record 108's QS-like complexes under tall upright P waves).
  const pUp = voters.filter((b) => b.p > 0).length, pDown = voters.filter((b) => b.p < 0).length;
  const pSize = median(Float64Array.from(voters, (b) => Math.abs(b.p)));
  const qrsSize = median(Float64Array.from(voters, (b) => b.size));
  if (Math.max(pUp, pDown) >= P_AGREEMENT * voters.length && pSize >= P_MIN_SIZE * qrsSize) {
    return { inverted: pDown > pUp, votes: voters.length, negative: pDown, decided: true, by: 'p' };
  }
  // Else the QRS deflections, when they agree as clearly: a paced complex (a positive spike on a
  // wide negative QRS, record 104) splits them, the more so at rates where the spike is filtered.
  const negative = voters.filter((b) => b.deflection < 0).length;
  const positive = voters.filter((b) => b.deflection > 0).length;
  if (Math.max(negative, positive) < QRS_AGREEMENT * voters.length) return { inverted: false, votes: voters.length, negative, decided: false, by: 'qrs' };
  return { inverted: negative > positive, votes: voters.length, negative, decided: true, by: 'qrs' };
}

/**
 * The P wave's signed height: the largest excursion over P_WINDOW_MS before R from the straight
 * line through the signal's means just before it and on the PR segment (P_BASE_*_MS), so the
 * baseline is the P wave's own, not pulled by the QRS and T. Odd in x.
 */
function pWave(y: Float64Array, r: number, fs: number, pFrom: number, pTo: number): number {
  const ms = (t: number) => Math.round((t * fs) / 1000);
  const mean = (a: number, b: number) => { let s = 0; for (let i = r - a; i <= r - b; i++) s += y[i]; return s / (a - b + 1); };
  const [a0, a1] = [ms(P_BASE_BEFORE_MS[0]), ms(P_BASE_BEFORE_MS[1])], [b0, b1] = [ms(P_BASE_PR_MS[0]), ms(P_BASE_PR_MS[1])];
  const left = mean(a0, a1), right = mean(b0, b1);
  const x0 = (a0 + a1) / 2, x1 = (b0 + b1) / 2; // their distances before R
  let best = 0;
  for (let k = pFrom; k >= pTo; k--) {
    const line = left + ((right - left) * (x0 - k)) / (x0 - x1);
    const d = y[r - k] - line;
    if (Math.abs(d) > Math.abs(best)) best = d;
  }
  return best;
}

/** The --jsonl meta line: {"type": "meta", "polarity": "inverted" | "upright", ...}. */
export function polarityJson(v: PolarityVerdict): Record<string, unknown> {
  return { type: 'meta', polarity: v.inverted ? 'inverted' : 'upright', flipped: v.inverted, decided: v.decided,
    judged_by: v.by === 'p' ? 'P waves' : 'QRS deflections', voting_beats: v.votes, negative_beats: v.negative, seconds: POLARITY_SECONDS };
}

export function polarityLine(v: PolarityVerdict): string {
  const what = v.by === 'p' ? 'P wave' : 'dominant QRS deflection';
  const counts = `${what} negative in ${v.negative} of ${v.votes} narrow beats of the first ${POLARITY_SECONDS} s`;
  if (!v.decided && v.votes < MIN_POLARITY_BEATS) return `lead polarity: not judged (${v.votes} beats in the first ${POLARITY_SECONDS} s, ${MIN_POLARITY_BEATS} needed); taken as it is`;
  if (!v.decided) return `lead polarity: not judged (no clear P waves, and the ${counts}: split); taken as it is`;
  return v.inverted ? `lead polarity: INVERTED (${counts}); flipped internally` : `lead polarity: upright (${counts})`;
}

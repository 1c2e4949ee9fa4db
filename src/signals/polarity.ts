// Lead polarity from the first seconds of a recording: is the dominant QRS deflection negative
// (an inverted lead, or electrodes swapped)? The monitor flips such a lead before anything else
// sees it, so its beats, shapes and classes do not depend on the lead's sign.
//   1. R peaks by the QRS detector (it sees energy, x², so the sign does not move them);
//   2. per beat: baseline = median of x within ±BASELINE_SECONDS; deflection = largest excursion
//      above it minus largest below it within ±QRS_SECONDS of the peak; width = samples of that
//      window over half its largest |excursion|;
//   3. only the narrower half of the beats vote (normal conducted beats are narrow; wide PVCs,
//      often of the opposite sign, are left out, so a PVC-rich or bigeminal record still reads
//      its normal beats); inverted when most votes are negative.
// Every step is odd in x (negating x negates each deflection exactly and keeps each width), so
// a record and its inversion get opposite verdicts and, once flipped, the very same signal.

import { median } from '../detect/thresholds.ts';
import { detectRPeaks } from '../monitor/qrs-detector.ts';

export const POLARITY_SECONDS = 30;
export const MIN_POLARITY_BEATS = 5;
const BASELINE_SECONDS = 0.35;
const QRS_SECONDS = 0.06;

export interface PolarityVerdict {
  /** True when the dominant deflection of the narrow beats is negative: the monitor multiplies the lead by -1. */
  inverted: boolean;
  /** Beats that voted (the narrower half of those found) and how many of them pointed down. */
  votes: number;
  negative: number;
  /** False when too few beats were found to judge (then the lead is taken as it is). */
  decided: boolean;
}

/** x: [n] samples (mV; non-finite samples hold the last finite value), fs in Hz. */
export function decidePolarity(x: ArrayLike<number>, fs: number): PolarityVerdict {
  const y = new Float64Array(x.length);
  let held = 0;
  for (let i = 0; i < x.length; i++) { const v = x[i]; if (Number.isFinite(v)) held = v; y[i] = held; }
  const base = Math.round(BASELINE_SECONDS * fs), half = Math.max(1, Math.round(QRS_SECONDS * fs));
  const beats: { deflection: number; width: number }[] = [];
  for (const { sample: r } of detectRPeaks(y, fs)) {
    if (r - base < 0 || r + base >= y.length) continue;
    const b = median(y.subarray(r - base, r + base + 1));
    let hi = 0, lo = 0;
    for (let i = r - half; i <= r + half; i++) { const d = y[i] - b; if (d > hi) hi = d; if (d < lo) lo = d; }
    const big = Math.max(hi, -lo);
    let width = 0;
    for (let i = r - half; i <= r + half; i++) if (Math.abs(y[i] - b) > 0.5 * big) width++;
    beats.push({ deflection: hi + lo, width });
  }
  if (beats.length < MIN_POLARITY_BEATS) return { inverted: false, votes: beats.length, negative: 0, decided: false };
  const widths = beats.map((b) => b.width).sort((a, b) => a - b);
  const limit = widths[(widths.length - 1) >> 1];
  const voters = beats.filter((b) => b.width <= limit);
  const negative = voters.filter((b) => b.deflection < 0).length;
  const positive = voters.filter((b) => b.deflection > 0).length;
  // A tie in votes goes by the summed deflection (still odd in x).
  const inverted = negative !== positive ? negative > positive : voters.reduce((s, b) => s + b.deflection, 0) < 0;
  return { inverted, votes: voters.length, negative, decided: true };
}

/** The --jsonl meta line: {"type": "meta", "polarity": "inverted" | "upright", ...}. */
export function polarityJson(v: PolarityVerdict): Record<string, unknown> {
  return { type: 'meta', polarity: v.inverted ? 'inverted' : 'upright', flipped: v.inverted, decided: v.decided,
    voting_beats: v.votes, negative_beats: v.negative, seconds: POLARITY_SECONDS };
}

export function polarityLine(v: PolarityVerdict): string {
  if (!v.decided) return `lead polarity: not judged (${v.votes} beats in the first ${POLARITY_SECONDS} s, ${MIN_POLARITY_BEATS} needed); taken as it is`;
  return v.inverted
    ? `lead polarity: INVERTED (dominant QRS deflection negative in ${v.negative} of ${v.votes} narrow beats of the first ${POLARITY_SECONDS} s); flipped internally`
    : `lead polarity: upright (dominant QRS deflection negative in ${v.negative} of ${v.votes} narrow beats of the first ${POLARITY_SECONDS} s)`;
}

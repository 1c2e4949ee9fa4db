// What the out-of-fold errors are good for even where no oof- rule is the default: estimating a
// threshold's false-alarm rate on unseen normal beats. For the default rule on every cross-fitted
// run, the share of the test file's normal beats above the threshold (the truth) against two
// label-free estimates: the share of the held-out beats above it (7 beats at 70) and the share of
// the out-of-fold errors above it (63). The default reads the held-out beats (heldout-max), so the
// held-out estimate is optimistic by construction; the out-of-fold one is not read by it.

import { computeThreshold } from '../../src/detect/thresholds.ts';
import type { TransferRun } from './study.ts';

const above = (xs: ArrayLike<number>, t: number) => { let k = 0; for (let i = 0; i < xs.length; i++) k += xs[i] > t ? 1 : 0; return k / xs.length; };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export interface FalseAlarmEstimates { runs: number; truth: number; heldOut: number; outOfFold: number; heldOutMae: number; outOfFoldMae: number }

export function falseAlarmEstimates(runs: TransferRun[], rule: string): FalseAlarmEstimates {
  const rows = runs.filter((r) => r.oofErrors && r.valErrors?.length).map((r) => {
    const t = computeThreshold(rule, r.fitErrors, r.valErrors, r.oofErrors);
    const normals = r.scores.filter((_, i) => !r.labels[i]);
    return { truth: above(normals, t), heldOut: above(r.valErrors!, t), outOfFold: above(r.oofErrors!, t) };
  });
  return { runs: rows.length, truth: mean(rows.map((x) => x.truth)), heldOut: mean(rows.map((x) => x.heldOut)), outOfFold: mean(rows.map((x) => x.outOfFold)),
    heldOutMae: mean(rows.map((x) => Math.abs(x.heldOut - x.truth))), outOfFoldMae: mean(rows.map((x) => Math.abs(x.outOfFold - x.truth))) };
}

export function formatFalseAlarms(label: string, e: FalseAlarmEstimates): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `| ${label} | ${e.runs} | ${pct(e.truth)} | ${pct(e.heldOut)} | ${pct(e.heldOutMae)} | ${pct(e.outOfFold)} | ${pct(e.outOfFoldMae)} |`;
}

export const FALSE_ALARM_HEADER = '| sets | cross-fitted runs | test normals flagged | held-out estimate | its mean abs. error | out-of-fold estimate | its mean abs. error |\n| --- | --- | --- | --- | --- | --- | --- |';

// Detection metrics. Inputs: anomaly scores (higher = more anomalous), binary labels
// (1 = anomaly, 0 = normal) and a threshold (a beat is flagged when score > threshold).
// rocAuc and prAuc use the scores only; the rest use the flags. Divisions by zero give 0;
// the two AUCs are NaN when the labels hold only one class (they are undefined then).

export interface Confusion { tp: number; fp: number; tn: number; fn: number }

export interface ClassDetection { count: number; flagged: number; rate: number }

export interface Metrics {
  rocAuc: number;
  prAuc: number;
  f1: number;
  precision: number;
  recall: number;
  accuracy: number;
  threshold: number;
  confusion: Confusion;
  /** Per original class label: how many beats, how many flagged, and the share flagged. */
  byClass: Record<string, ClassDetection>;
}

function checkPair(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) throw new Error(`${scores.length} scores but ${labels.length} labels`);
}

/** Indices sorted by score, descending. */
function byScoreDescending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
}

/**
 * Area under the ROC curve, exact with ties: the Mann-Whitney U statistic over nPos · nNeg,
 * i.e. the chance that a random anomaly scores above a random normal beat (ties count 1/2).
 * Ranks are 1-based ascending; tied scores share their average rank.
 *   AUC = (Σ ranks of anomalies − nPos (nPos + 1) / 2) / (nPos · nNeg)
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair(scores, labels);
  const n = scores.length;
  const order = byScoreDescending(scores).reverse(); // ascending
  let nPos = 0, rankSumPos = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end++;
    const avgRank = (start + end) / 2 + 1; // ranks start+1 .. end+1
    for (let k = start; k <= end; k++) if (labels[order[k]]) { nPos++; rankSumPos += avgRank; }
    start = end + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Average precision, as sklearn's average_precision_score: with one threshold per distinct
 * score (high to low), AP = Σ_k (R_k − R_{k−1}) · P_k. Tied scores enter together.
 */
export function prAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair(scores, labels);
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] ? 1 : 0;
  if (positives === 0) return NaN;
  const order = byScoreDescending(scores);
  let tp = 0, fp = 0, prevRecall = 0, ap = 0;
  for (let k = 0; k < n; k++) {
    if (labels[order[k]]) tp++; else fp++;
    if (k + 1 < n && scores[order[k + 1]] === scores[order[k]]) continue; // finish the tie group
    const recall = tp / positives, precision = tp / (tp + fp);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

export function confusion(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): Confusion {
  checkPair(scores, labels);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i] > threshold, anomaly = labels[i] !== 0;
    if (flagged) { if (anomaly) c.tp++; else c.fp++; } else if (anomaly) c.fn++; else c.tn++;
  }
  return c;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Share of flagged beats that are anomalies: tp / (tp + fp). */
export const precision = (c: Confusion): number => ratio(c.tp, c.tp + c.fp);
/** Share of anomalies that are flagged: tp / (tp + fn). */
export const recall = (c: Confusion): number => ratio(c.tp, c.tp + c.fn);
/** Harmonic mean of precision and recall: 2tp / (2tp + fp + fn). */
export const f1 = (c: Confusion): number => ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
export const accuracy = (c: Confusion): number => ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn);

/** For each original class label: count, flagged and rate = flagged / count. */
export function detectionRateByClass(flags: ArrayLike<number | boolean>, originalLabels: readonly string[]): Record<string, ClassDetection> {
  if (flags.length !== originalLabels.length) throw new Error(`${flags.length} flags but ${originalLabels.length} labels`);
  const out: Record<string, ClassDetection> = {};
  for (let i = 0; i < flags.length; i++) {
    const c = (out[originalLabels[i]] ??= { count: 0, flagged: 0, rate: 0 });
    c.count++;
    if (flags[i]) c.flagged++;
  }
  for (const c of Object.values(out)) c.rate = ratio(c.flagged, c.count);
  return out;
}

/**
 * All metrics at once. Without original labels, byClass groups the beats as "normal" and
 * "anomaly".
 */
export function evaluate(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number,
                         originalLabels?: readonly string[]): Metrics {
  const c = confusion(scores, labels, threshold);
  const flags = Array.from(scores, (s) => (s > threshold ? 1 : 0));
  const groups = originalLabels ?? Array.from(labels, (l) => (l ? 'anomaly' : 'normal'));
  return {
    rocAuc: rocAuc(scores, labels), prAuc: prAuc(scores, labels),
    f1: f1(c), precision: precision(c), recall: recall(c), accuracy: accuracy(c),
    threshold, confusion: c, byClass: detectionRateByClass(flags, groups),
  };
}

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(4));

/** A readable, aligned text table of the metrics. */
export function formatMetricsTable(m: Metrics): string {
  const { tp, fp, tn, fn } = m.confusion;
  const rows: [string, string][] = [
    ['ROC AUC', fmt(m.rocAuc)],
    ['PR AUC (avg precision)', fmt(m.prAuc)],
    ['F1', fmt(m.f1)],
    ['precision', fmt(m.precision)],
    ['recall', fmt(m.recall)],
    ['accuracy', fmt(m.accuracy)],
    ['threshold', Number.isFinite(m.threshold) ? m.threshold.toPrecision(5) : String(m.threshold)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`);
  const cw = Math.max(String(tp + fn).length, String(fp + tn).length, 7);
  lines.push('', 'confusion (rows: truth, columns: flagged)',
    `${''.padEnd(9)}${'anomaly'.padStart(cw)}  ${'normal'.padStart(cw)}`,
    `${'anomaly'.padEnd(9)}${String(tp).padStart(cw)}  ${String(fn).padStart(cw)}`,
    `${'normal'.padEnd(9)}${String(fp).padStart(cw)}  ${String(tn).padStart(cw)}`);
  const classes = Object.keys(m.byClass).sort((a, b) => (Number(a) - Number(b)) || a.localeCompare(b));
  if (classes.length > 0) {
    const lw = Math.max(5, ...classes.map((c) => c.length));
    lines.push('', `${'class'.padEnd(lw)}  ${'beats'.padStart(6)}  ${'flagged'.padStart(7)}  ${'rate'.padStart(6)}`);
    for (const c of classes) {
      const d = m.byClass[c];
      lines.push(`${c.padEnd(lw)}  ${String(d.count).padStart(6)}  ${String(d.flagged).padStart(7)}  ${(100 * d.rate).toFixed(1).padStart(5)}%`);
    }
  }
  return lines.join('\n');
}

// Where to put the line between "normal" and "anomaly" on the reconstruction-error axis.
// Label-free rules use only the errors of normal training beats:
//   pN         the N-th percentile (linear interpolation, numpy's default)
//   mean+Kstd  mean + K · population std (numpy's default ddof = 0)
//   max        the largest training error
//   median+Kmad     median + K · 1.4826 · MAD: a robust mean + K·std, blind to a long right tail
//   logmedian+Kmad  the same on ln(error), mapped back: a robustly fitted log-normal, whose
//                   K = z(1 - α) targets a false-alarm rate α on normal beats (K 2.33: 1%)
// Two forms combine them (docs/thresholds.md):
//   heldout-RULE    RULE on the errors of the held-out normal beats (the early-stopping split), which
//                   the model never fitted: an honest sample of unseen normal beats, but a small one
//   min(RULE,RULE)  the lower of two thresholds, e.g. min(median+5mad,heldout-max)
//   scaled-RULE     RULE on the fitted errors times median(held-out) / median(fitted): the fitted
//                   errors are optimistic by about that factor on beats the model never saw, so the
//                   whole fitted distribution is stretched by it (1 when the model does not overfit)
//   shifted-RULE    RULE on the fitted errors moved by median(held-out) - median(fitted)
//   oof-RULE        RULE on the out-of-fold errors of the fitted beats: on small training sets
//                   `train` also cross-fits K models (src/training/cross-fit.ts), each scoring the
//                   fold it never saw, so every fitted beat gets an unseen-beat error
// With a labelled validation set, bestF1Threshold picks the threshold with the best F1.
// A beat is flagged when its score is strictly greater than the threshold.

/** A rule on one set of errors. */
export type BaseThresholdSpec =
  | { kind: 'percentile'; value: number }
  | { kind: 'meanPlusKStd'; value: number }
  | { kind: 'max'; value: number }
  | { kind: 'medianPlusKMad'; value: number }
  | { kind: 'logMedianPlusKMad'; value: number };

export type ThresholdSpec =
  | BaseThresholdSpec
  | { kind: 'heldOut'; of: BaseThresholdSpec }
  | { kind: 'scaled'; of: BaseThresholdSpec }
  | { kind: 'shifted'; of: BaseThresholdSpec }
  | { kind: 'outOfFold'; of: BaseThresholdSpec }
  | { kind: 'min'; of: ThresholdSpec[] };

/**
 * The default rule of `train` (dense and VAE), chosen by the threshold-transfer study
 * (docs/thresholds.md, `npx tsx bench/transfer.ts`): among the rules that keep ECG5000's inner F1
 * >= 0.95 in every scenario of `npm run select`, the one closest to the best label-chosen F1 on
 * small ECG200-like training sets (70 normal beats). The largest held-out error caps median+5mad:
 * with ~60 fitted beats the model's errors on them are optimistic and the fitted rule lands
 * above unseen normal beats and many anomalies; with thousands the cap rarely binds.
 */
export const DEFAULT_THRESHOLD = 'min(median+5mad,heldout-max)';

/**
 * Kinds whose own selection run kept another rule. The LSTM (`npm run select -- --models lstm`)
 * chose median+7mad from the same plateau of median rules: it reconstructs normal beats less
 * tightly, so its errors have a wider core and fewer MADs reach the anomalies. The Conv1D's own
 * run (`-- --models conv`, 20% hold-out) chose median+9mad; neither ran in the transfer study (they
 * train 10-50x slower), so both keep the rule their own runs chose.
 */
const RULE_OF_KIND: Readonly<Record<string, string>> = { lstm: 'median+7mad', conv: 'median+9mad' };

/**
 * The default rule per model kind (see RULE_OF_KIND). Without held-out beats (`--val-fraction 0`)
 * a min() default keeps its parts on the training errors (median+5mad): the rule it names, and
 * the saved method says, is what was computed. (No default reads out-of-fold errors: the
 * cross-fitting study's pick broke the tested transfer claim on MIT-BIH 232; docs/thresholds.md.)
 */
export function defaultThreshold(kind: string, heldOut = true): string {
  const rule = RULE_OF_KIND[kind] ?? DEFAULT_THRESHOLD;
  if (heldOut) return rule;
  const spec = parseThresholdSpec(rule);
  if (spec.kind !== 'min') return rule;
  const fitted = spec.of.filter((p) => !usesHeldOut(p));
  return formatThresholdSpec(fitted.length === 1 ? fitted[0] : { kind: 'min', of: fitted });
}

/**
 * Below this many fitted normal beats `train` cross-fits (src/training/cross-fit.ts): there the
 * 10% hold-out is under ~22 beats, so a held-out quantile is a noisy estimate and the fitted
 * errors are optimistic; K extra models cost about K times such a set's training (measured 4-5x on
 * 70 beats: dense 17 -> 86 ms, LSTM 4.5 -> 22 s; docs/thresholds.md). Every set `npm run select` scored
 * (ECG5000: 211+ fitted beats in its inner splits, 263+ in train) stays above it, so the rules
 * it validated there behave as they did.
 */
export const CROSS_FIT_BELOW = 200;

/** 1 / Φ⁻¹(3/4): scales a MAD to a standard deviation for normally distributed data. */
export const MAD_TO_STD = 1.482602218505602;

function checkErrors(errors: ArrayLike<number>, what: string): void {
  if (errors.length === 0) throw new Error(`${what}: no errors given`);
  for (let i = 0; i < errors.length; i++) {
    if (!Number.isFinite(errors[i])) throw new Error(`${what}: error ${i} is ${errors[i]} (not finite)`);
  }
}

/**
 * p-th percentile, p in [0, 100], like numpy.percentile (method 'linear'):
 * sort, h = (n - 1) · p / 100, interpolate between sorted[floor(h)] and sorted[floor(h) + 1].
 */
export function percentile(errors: ArrayLike<number>, p: number): number {
  checkErrors(errors, 'percentile');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${p}`);
  const sorted = Float64Array.from(errors).sort();
  const h = (sorted.length - 1) * (p / 100);
  const lo = Math.floor(h);
  if (lo + 1 >= sorted.length) return sorted[sorted.length - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** mean + k · std, population std (divide by n), accumulated in float64. */
export function meanPlusKStd(errors: ArrayLike<number>, k: number): number {
  checkErrors(errors, 'meanPlusKStd');
  let sum = 0;
  for (let i = 0; i < errors.length; i++) sum += errors[i];
  const mean = sum / errors.length;
  let sq = 0;
  for (let i = 0; i < errors.length; i++) sq += (errors[i] - mean) ** 2;
  return mean + k * Math.sqrt(sq / errors.length);
}

/** Median (the 50th percentile, numpy's linear method). */
export function median(errors: ArrayLike<number>): number {
  return percentile(errors, 50);
}

/** median + k · 1.4826 · median(|e - median|): mean + k·std for Gaussian data, robust to outliers. */
export function medianPlusKMad(errors: ArrayLike<number>, k: number): number {
  checkErrors(errors, 'medianPlusKMad');
  const m = median(errors);
  const deviations = Float64Array.from(errors, (e) => Math.abs(e - m));
  return m + k * MAD_TO_STD * median(deviations);
}

/**
 * exp(median + k · 1.4826 · MAD) of ln(errors): fits a log-normal to the errors by robust
 * statistics (so a few badly reconstructed "normal" beats do not stretch it) and returns its
 * Φ(k) quantile. Reconstruction errors are positive and right-skewed; their logs are close to
 * symmetric, which is what a median/MAD fit assumes.
 */
export function logMedianPlusKMad(errors: ArrayLike<number>, k: number): number {
  checkErrors(errors, 'logMedianPlusKMad');
  for (let i = 0; i < errors.length; i++) {
    if (!(errors[i] > 0)) throw new Error(`logMedianPlusKMad: error ${i} is ${errors[i]} (needs > 0 to take its log)`);
  }
  return Math.exp(medianPlusKMad(Float64Array.from(errors, Math.log), k));
}

export function max(errors: ArrayLike<number>): number {
  checkErrors(errors, 'max');
  let m = -Infinity;
  for (let i = 0; i < errors.length; i++) if (errors[i] > m) m = errors[i];
  return m;
}

const SPEC_HELP = 'expected p95, p99, p<0..100>, mean+<K>std (e.g. mean+3std), median+<K>mad, logmedian+<K>mad, max, ' +
  'heldout-RULE, scaled-RULE, shifted-RULE, oof-RULE or min(RULE,RULE)';

/**
 * Parses a method string: "p95", "p99.5", "mean+3std", "mean+2.5std", "max", "heldout-max",
 * "min(median+5mad,heldout-max)".
 */
export function parseThresholdSpec(text: string): ThresholdSpec {
  const s = text.trim().toLowerCase();
  const min = /^min\((.*)\)$/.exec(s);
  if (min) {
    const parts = min[1].split(',');
    if (parts.length < 2 || parts.some((p) => p.includes('(') || p.includes(')'))) {
      throw new Error(`threshold "${text}": min() takes two or more plain, heldout-, scaled-, shifted- or oof- rules separated by commas; ${SPEC_HELP}`);
    }
    return { kind: 'min', of: parts.map((p) => parseThresholdSpec(p)) };
  }
  if (s.startsWith('heldout-')) return { kind: 'heldOut', of: parseBaseSpec(s.slice('heldout-'.length), text) };
  if (s.startsWith('scaled-')) return { kind: 'scaled', of: parseBaseSpec(s.slice('scaled-'.length), text) };
  if (s.startsWith('shifted-')) return { kind: 'shifted', of: parseBaseSpec(s.slice('shifted-'.length), text) };
  if (s.startsWith('oof-')) return { kind: 'outOfFold', of: parseBaseSpec(s.slice('oof-'.length), text) };
  return parseBaseSpec(s, text);
}

function parseBaseSpec(s: string, text: string): BaseThresholdSpec {
  if (s === 'max') return { kind: 'max', value: 0 };
  let m = /^p(\d+(?:\.\d+)?)$/.exec(s);
  if (m) {
    const p = Number(m[1]);
    if (p > 100) throw new Error(`threshold "${text}": percentile ${p} is above 100; ${SPEC_HELP}`);
    return { kind: 'percentile', value: p };
  }
  m = /^mean\+(\d+(?:\.\d+)?)std$/.exec(s);
  if (m) return { kind: 'meanPlusKStd', value: Number(m[1]) };
  m = /^(log)?median\+(\d+(?:\.\d+)?)mad$/.exec(s);
  if (m) return { kind: m[1] ? 'logMedianPlusKMad' : 'medianPlusKMad', value: Number(m[2]) };
  throw new Error(`unknown threshold "${text}": ${SPEC_HELP}`);
}

/** Whether the rule reads the held-out errors (a heldout-, scaled- or shifted- part). */
export function usesHeldOut(spec: ThresholdSpec): boolean {
  return spec.kind === 'heldOut' || spec.kind === 'scaled' || spec.kind === 'shifted' || (spec.kind === 'min' && spec.of.some(usesHeldOut));
}

/** Whether the rule reads the out-of-fold errors (an oof- part). */
export function usesOutOfFold(spec: ThresholdSpec): boolean {
  return spec.kind === 'outOfFold' || (spec.kind === 'min' && spec.of.some(usesOutOfFold));
}

/**
 * The threshold a spec gives on these (training) errors and, for heldout- rules, the errors of
 * the held-out normal beats (oof- rules: the out-of-fold errors). A heldout- or oof- rule without
 * those errors is an error, not a fallback.
 */
export function computeThreshold(spec: ThresholdSpec | string, errors: ArrayLike<number>,
                                 heldOut?: ArrayLike<number> | null, outOfFold?: ArrayLike<number> | null): number {
  const s = typeof spec === 'string' ? parseThresholdSpec(spec) : spec;
  if (s.kind === 'min') return Math.min(...s.of.map((part) => computeThreshold(part, errors, heldOut, outOfFold)));
  if (s.kind === 'outOfFold') {
    if (!outOfFold || outOfFold.length === 0) {
      throw new Error(`threshold ${formatThresholdSpec(s)} needs the out-of-fold errors of a cross-fitted model, and there are none ` +
        `(this model was saved without them: trained on ${CROSS_FIT_BELOW} or more fitted normal beats, with --cross-fit 0, or before ` +
        'cross-fitting existed; retrain with --cross-fit K, or choose a heldout- or training-error rule)');
    }
    return computeBase(s.of, outOfFold);
  }
  if (s.kind === 'heldOut' || s.kind === 'scaled' || s.kind === 'shifted') {
    if (!heldOut || heldOut.length === 0) {
      throw new Error(`threshold ${formatThresholdSpec(s)} needs the errors of held-out normal beats, and there are none ` +
        '(train with --val-fraction > 0, or choose a rule on the training errors)');
    }
    if (s.kind === 'heldOut') return computeBase(s.of, heldOut);
    const fitted = computeBase(s.of, errors), fitMedian = median(errors), heldMedian = median(heldOut);
    if (s.kind === 'shifted') return fitted + (heldMedian - fitMedian);
    if (!(fitMedian > 0)) throw new Error(`threshold ${formatThresholdSpec(s)}: the median training error is ${fitMedian} (needs > 0 to scale by)`);
    return fitted * (heldMedian / fitMedian);
  }
  return computeBase(s, errors);
}

function computeBase(s: BaseThresholdSpec, errors: ArrayLike<number>): number {
  switch (s.kind) {
    case 'percentile': return percentile(errors, s.value);
    case 'meanPlusKStd': return meanPlusKStd(errors, s.value);
    case 'max': return max(errors);
    case 'medianPlusKMad': return medianPlusKMad(errors, s.value);
    case 'logMedianPlusKMad': return logMedianPlusKMad(errors, s.value);
  }
}

/** What a saved threshold says about where it came from: "median+9mad of training errors". */
export function thresholdMethod(spec: ThresholdSpec): string {
  const sources = ['training', ...(usesHeldOut(spec) ? ['held-out'] : []), ...(usesOutOfFold(spec) ? ['out-of-fold'] : [])];
  return `${formatThresholdSpec(spec)} of ${sources.length === 3 ? 'training, held-out and out-of-fold' : sources.join(' and ')} errors`;
}

/** Readable name of a spec: "p95", "mean+3std", "max", "min(median+5mad,heldout-max)". */
export function formatThresholdSpec(spec: ThresholdSpec): string {
  switch (spec.kind) {
    case 'min': return `min(${spec.of.map(formatThresholdSpec).join(',')})`;
    case 'heldOut': return `heldout-${formatThresholdSpec(spec.of)}`;
    case 'scaled': return `scaled-${formatThresholdSpec(spec.of)}`;
    case 'shifted': return `shifted-${formatThresholdSpec(spec.of)}`;
    case 'outOfFold': return `oof-${formatThresholdSpec(spec.of)}`;
    case 'percentile': return `p${spec.value}`;
    case 'meanPlusKStd': return `mean+${spec.value}std`;
    case 'medianPlusKMad': return `median+${spec.value}mad`;
    case 'logMedianPlusKMad': return `logmedian+${spec.value}mad`;
    case 'max': return 'max';
  }
}

/**
 * Best-F1 threshold on labelled data (labels: 1 = anomaly). Every unique score is a candidate;
 * a beat is flagged when score > threshold. One pass over the scores sorted high to low.
 * Among equal F1 the highest threshold (fewest flags) wins.
 */
export function bestF1Threshold(scores: ArrayLike<number>, labels: ArrayLike<number>):
  { threshold: number; f1: number; precision: number; recall: number } {
  const n = scores.length;
  if (n === 0 || labels.length !== n) throw new Error(`bestF1Threshold: need as many labels as scores (${n} scores, ${labels.length} labels), n > 0`);
  checkErrors(scores, 'bestF1Threshold');
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] ? 1 : 0;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  // Threshold = the highest score flags nothing: F1 = 0.
  let best = { threshold: scores[order[0]], f1: 0, precision: 0, recall: 0 };
  let tp = 0, fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i]) tp++; else fp++;
    // Lower the threshold to the next distinct score: everything seen so far is flagged.
    const next = k + 1 < n ? scores[order[k + 1]] : null;
    if (next === null || next === scores[i]) continue;
    const precision = tp / (tp + fp), recall = positives > 0 ? tp / positives : 0;
    const f1 = tp > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold: next, f1, precision, recall };
  }
  return best;
}

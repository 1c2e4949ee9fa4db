// Per-timestep scaling of beats, fitted on normal training beats only.
//   standard: x'[t] = (x[t] - mean[t]) / std[t]     (population std, like sklearn's StandardScaler)
//   minmax:   x'[t] = (x[t] - min[t]) / (max[t] - min[t])   → [0, 1] on the fitted beats
// A column with (almost) no spread (std or range < 1e-8) is divided by 1 instead, like sklearn.
// Statistics are accumulated in float64; beats stay Float32Array [n, length] row-major.

export type ScalerKind = 'standard' | 'minmax';

export const SCALER_KINDS: readonly ScalerKind[] = ['standard', 'minmax'];

export interface Scaler {
  kind: ScalerKind;
  /** Samples per beat. */
  length: number;
  /** Subtracted per timestep: the mean (standard) or the minimum (minmax). */
  offset: Float64Array;
  /** Divided by per timestep: the std (standard) or max - min (minmax); 1 where that is ~0. */
  scale: Float64Array;
}

const MIN_SPREAD = 1e-8;

/** Fits a scaler on beats [n, length]. */
export function fitScaler(kind: ScalerKind, beats: Float32Array, n: number, length: number): Scaler {
  if (!SCALER_KINDS.includes(kind)) throw new Error(`unknown scaler "${kind}" (expected ${SCALER_KINDS.join(' or ')})`);
  if (!(n >= 1) || !(length >= 1) || beats.length !== n * length) {
    throw new Error(`fitScaler: need n >= 1 beats of length >= 1 with beats.length = n * length (got n=${n}, length=${length}, ${beats.length} values)`);
  }
  const offset = new Float64Array(length);
  const scale = new Float64Array(length);
  if (kind === 'standard') {
    // mean[t] = Σ_i x[i,t] / n ;  std[t] = sqrt(Σ_i (x[i,t] - mean[t])² / n)   (two passes)
    for (let i = 0; i < n; i++) for (let t = 0; t < length; t++) offset[t] += beats[i * length + t];
    for (let t = 0; t < length; t++) offset[t] /= n;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < length; t++) { const d = beats[i * length + t] - offset[t]; scale[t] += d * d; }
    }
    for (let t = 0; t < length; t++) {
      const std = Math.sqrt(scale[t] / n);
      scale[t] = std < MIN_SPREAD ? 1 : std;
    }
  } else {
    const max = new Float64Array(length).fill(-Infinity);
    offset.fill(Infinity);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < length; t++) {
        const x = beats[i * length + t];
        if (x < offset[t]) offset[t] = x;
        if (x > max[t]) max[t] = x;
      }
    }
    for (let t = 0; t < length; t++) {
      const range = max[t] - offset[t];
      scale[t] = range < MIN_SPREAD ? 1 : range;
    }
  }
  return { kind, length, offset, scale };
}

function checkBeats(scaler: Scaler, beats: Float32Array, what: string): void {
  if (beats.length % scaler.length !== 0) {
    throw new Error(`${what}: ${beats.length} values are not whole beats of length ${scaler.length} (the scaler's beat length)`);
  }
}

/** Scaled copy of beats [n, length]. */
export function transform(scaler: Scaler, beats: Float32Array): Float32Array {
  checkBeats(scaler, beats, 'transform');
  const { length: L, offset, scale } = scaler;
  const out = new Float32Array(beats.length);
  for (let i = 0; i < beats.length; i += L) {
    for (let t = 0; t < L; t++) out[i + t] = (beats[i + t] - offset[t]) / scale[t];
  }
  return out;
}

/** Undoes transform: x = x' * scale + offset (e.g. to plot a reconstruction in signal units). */
export function inverseTransform(scaler: Scaler, scaled: Float32Array): Float32Array {
  checkBeats(scaler, scaled, 'inverseTransform');
  const { length: L, offset, scale } = scaler;
  const out = new Float32Array(scaled.length);
  for (let i = 0; i < scaled.length; i += L) {
    for (let t = 0; t < L; t++) out[i + t] = scaled[i + t] * scale[t] + offset[t];
  }
  return out;
}

/** JSON form, with the statistics under their usual names. */
export type ScalerJSON =
  | { kind: 'standard'; length: number; mean: number[]; std: number[] }
  | { kind: 'minmax'; length: number; min: number[]; range: number[] };

export function scalerToJSON(scaler: Scaler): ScalerJSON {
  const a = Array.from(scaler.offset), b = Array.from(scaler.scale);
  return scaler.kind === 'standard'
    ? { kind: 'standard', length: scaler.length, mean: a, std: b }
    : { kind: 'minmax', length: scaler.length, min: a, range: b };
}

/**
 * Rebuilds a scaler from its JSON form, checking everything: the kind, the arrays' lengths,
 * finite numbers, positive scales, and (when given) the beat length the model expects.
 */
export function scalerFromJSON(json: unknown, expectedLength?: number): Scaler {
  if (typeof json !== 'object' || json === null) throw new Error('scaler: expected an object');
  const o = json as Record<string, unknown>;
  const kind = o.kind;
  if (kind !== 'standard' && kind !== 'minmax') {
    throw new Error(`scaler: unknown kind ${JSON.stringify(kind)} (expected "standard" or "minmax")`);
  }
  const length = o.length;
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1) throw new Error(`scaler: length must be a positive integer, got ${JSON.stringify(length)}`);
  if (expectedLength !== undefined && length !== expectedLength) {
    throw new Error(`scaler: fitted on beats of length ${length}, but the model expects ${expectedLength}`);
  }
  const [offsetKey, scaleKey] = kind === 'standard' ? ['mean', 'std'] : ['min', 'range'];
  const array = (key: string, positive: boolean): Float64Array => {
    const v = o[key];
    if (!Array.isArray(v)) throw new Error(`scaler: "${key}" must be an array of numbers`);
    if (v.length !== length) throw new Error(`scaler: "${key}" has ${v.length} values, expected ${length} (the scaler's length)`);
    v.forEach((x, i) => {
      if (typeof x !== 'number' || !Number.isFinite(x) || (positive && !(x > 0))) {
        throw new Error(`scaler: "${key}"[${i}] = ${JSON.stringify(x)} is not a ${positive ? 'positive ' : ''}finite number`);
      }
    });
    return Float64Array.from(v as number[]);
  };
  return { kind, length, offset: array(offsetKey, false), scale: array(scaleKey, true) };
}

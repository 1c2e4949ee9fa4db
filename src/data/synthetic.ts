// Synthetic heartbeats from the ECGSYN dynamical model (McSharry, Clifford, Tarassenko, Smith,
// "A dynamical model for generating synthetic electrocardiogram signals", IEEE TBME 2003).
//
// A point (x, y) circles the unit limit cycle once per heartbeat at angular speed ω = 2π / RR;
// its angle θ is the phase of the beat. The ECG z is pushed up or down as θ passes the five
// events P, Q, R, S, T, each a Gaussian bump at angle θi with amplitude ai and width bi:
//   α  = 1 − sqrt(x² + y²)
//   dx/dt = α·x − ω·y
//   dy/dt = α·y + ω·x
//   dz/dt = −Σi ai·Δθi·exp(−Δθi² / (2·bi²)) − (z − z0(t))      Δθi = (θ − θi) wrapped to [−π, π)
// z0(t) is a slow baseline wander (breathing). We integrate with RK4 at a fixed step, keep one
// cycle (starting on the R wave's downstroke, so the S dip opens the beat and the next R closes
// it, as in ECG5000), resample it to `length` samples,
// add a little noise and z-normalize it per beat (mean 0, sample std 1, like ECG5000).
//
// Abnormal beats change the events: 2 PVC-like (no P, wide QRS, inverted T), 3 ST elevation or
// depression (an extra event between S and T), 4 AF-like (no P, fibrillatory baseline waves,
// irregular RR), 5 tall peaked T. All randomness comes from one seeded stream.

import { createRng, type Rng } from '../engine/random.ts';
import { shuffledIndices, type BeatSet } from './dataset.ts';

/** One Gaussian event of the model: angle θi (rad), amplitude ai, width bi (rad). */
interface WaveEvent { theta: number; a: number; b: number }

/** Parameters of one beat. */
interface BeatParams {
  events: WaveEvent[];
  /** RR interval in seconds (ω = 2π / RR). */
  rr: number;
  /** Fibrillatory waves: amplitude (share of the beat's peak-to-peak) and frequency (Hz). */
  fibrillation: { amplitude: number; hz: number; phase: number } | null;
}

export const SYNTHETIC_CLASSES: Record<string, string> = {
  '1': 'normal',
  '2': 'PVC-like: no P wave, wide QRS, inverted T',
  '3': 'ST elevation or depression',
  '4': 'AF-like: no P wave, fibrillatory baseline, irregular RR',
  '5': 'tall peaked T wave',
};

// McSharry et al. 2003, Table 1: P, Q, R, S, T at 60 beats per minute.
const P = 0, Q = 1, R = 2, S = 3, T = 4;
const NORMAL_EVENTS: readonly WaveEvent[] = [
  { theta: -Math.PI / 3, a: 1.2, b: 0.25 },
  { theta: -Math.PI / 12, a: -5.0, b: 0.1 },
  { theta: 0, a: 30.0, b: 0.1 },
  { theta: Math.PI / 12, a: -7.5, b: 0.1 },
  { theta: Math.PI / 2, a: 0.75, b: 0.4 },
];

const SAMPLE_RATE = 512;          // Hz of the internal RK4 grid
const START_PHASE = Math.PI / 24; // each beat starts on the R downstroke (ECG5000-like)
const NOISE = 0.01;               // measurement noise std, share of peak-to-peak
const WANDER = 0.002;             // baseline wander amplitude (units of z)

/** Wraps an angle into [−π, π). */
function wrapAngle(a: number): number {
  return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
}

/** Event parameters for one beat of a class, with small beat-to-beat variation. */
function beatParams(label: string, rng: Rng, hrv: boolean): BeatParams {
  const hr = 70 + 5 * rng.normal();                        // beats per minute
  let rr = 60 / hr;
  if (hrv) rr *= 1 + 0.03 * rng.normal();
  // ECGSYN's heart-rate scaling: faster beats have narrower waves and closer P, Q, S, T.
  const hrFact = Math.sqrt(60 / rr / 60), hrFact2 = Math.sqrt(hrFact); // sqrt(heart rate / 60)
  const angleScale = [hrFact2, hrFact, 1, hrFact, hrFact2];
  const events = NORMAL_EVENTS.map((e, i) => ({
    theta: e.theta * angleScale[i] + 0.02 * rng.normal(),
    a: e.a * (1 + 0.08 * rng.normal()),
    b: e.b * hrFact * (1 + 0.05 * rng.normal()),
  }));
  let fibrillation: BeatParams['fibrillation'] = null;
  switch (label) {
    case '1': break;
    case '2': // PVC-like: ventricular origin → no P, broad QRS, T opposite to the QRS
      events[P].a = 0;
      events[Q].b *= 2.5; events[R].b *= 2.5; events[S].b *= 2.5;
      events[R].a *= 0.4; events[S].a *= 1.2;
      events[T].a = -(1.5 + 0.3 * rng.uniform()); events[T].b *= 1.2;
      break;
    case '3': { // ST change: an extra slow event on the ST segment, up or down
      const sign = rng.uniform() < 0.5 ? -1 : 1;
      events.push({ theta: Math.PI / 4, a: sign * (1.0 + 0.4 * rng.uniform()), b: 0.35 });
      break;
    }
    case '4': // AF-like: no organised atrial activity, fibrillatory f-waves, irregular rhythm
      events[P].a = 0;
      rr *= 1 + 0.15 * rng.normal();
      fibrillation = { amplitude: 0.05 + 0.03 * rng.uniform(), hz: 5 + 3 * rng.uniform(), phase: 2 * Math.PI * rng.uniform() };
      break;
    case '5': // hyperkalaemia-like: tall, narrow, peaked T
      events[T].a *= 7 + 2 * rng.uniform(); events[T].b *= 0.55;
      break;
    default: throw new Error(`synthetic: unknown class "${label}" (expected 1..5)`);
  }
  return { events, rr: Math.max(rr, 0.3), fibrillation };
}

/** The model's derivative at time t; state s = [x, y, z]. */
function derivative(s: Float64Array, t: number, omega: number, events: WaveEvent[], wander: (t: number) => number, out: Float64Array): void {
  const [x, y, z] = s;
  const alpha = 1 - Math.sqrt(x * x + y * y);
  const theta = Math.atan2(y, x);
  let dz = 0;
  for (const e of events) {
    const d = wrapAngle(theta - e.theta);
    dz -= e.a * d * Math.exp(-(d * d) / (2 * e.b * e.b));
  }
  out[0] = alpha * x - omega * y;
  out[1] = alpha * y + omega * x;
  out[2] = dz - (z - wander(t));
}

/** Integrates one cycle with RK4 from state s (updated in place); returns z at each of the steps + 1 points. */
function integrateCycle(s: Float64Array, t0: number, rr: number, steps: number, events: WaveEvent[], wander: (t: number) => number): Float64Array {
  const omega = (2 * Math.PI) / rr, h = rr / steps;
  const k1 = new Float64Array(3), k2 = new Float64Array(3), k3 = new Float64Array(3), k4 = new Float64Array(3), tmp = new Float64Array(3);
  const z = new Float64Array(steps + 1);
  z[0] = s[2];
  for (let n = 0; n < steps; n++) {
    const t = t0 + n * h;
    derivative(s, t, omega, events, wander, k1);
    for (let i = 0; i < 3; i++) tmp[i] = s[i] + (h / 2) * k1[i];
    derivative(tmp, t + h / 2, omega, events, wander, k2);
    for (let i = 0; i < 3; i++) tmp[i] = s[i] + (h / 2) * k2[i];
    derivative(tmp, t + h / 2, omega, events, wander, k3);
    for (let i = 0; i < 3; i++) tmp[i] = s[i] + h * k3[i];
    derivative(tmp, t + h, omega, events, wander, k4);
    for (let i = 0; i < 3; i++) s[i] += (h / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
    z[n + 1] = s[2];
  }
  return z;
}

/** Linear resampling of points [0..m] (one cycle, both ends) to `length` samples over [0, m). */
function resample(z: Float64Array, length: number): Float64Array {
  const m = z.length - 1, out = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    const pos = (k * m) / length, i = Math.floor(pos), f = pos - i;
    out[k] = z[i] + f * (z[i + 1] - z[i]);
  }
  return out;
}

/** One beat of the given class: `length` samples, z-normalized. */
function synthesizeBeat(label: string, length: number, rng: Rng, hrv: boolean): Float64Array {
  const p = beatParams(label, rng, hrv);
  const steps = Math.round(p.rr * SAMPLE_RATE);
  const wanderPhase = 2 * Math.PI * rng.uniform();
  const wander = (t: number) => WANDER * Math.sin(2 * Math.PI * 0.25 * t + wanderPhase);

  // z relaxes towards its periodic orbit with time constant 1 s. Linear in z, so after one cycle
  // from z = 0, z(RR) = c, and the periodic start is z* = c / (1 − e^(−RR)): no start-up drift.
  const start = () => new Float64Array([Math.cos(START_PHASE), Math.sin(START_PHASE), 0]);
  const probe = start();
  const c = integrateCycle(probe, 0, p.rr, steps, p.events, wander)[steps];
  const s = start();
  s[2] = c / (1 - Math.exp(-p.rr));
  const beat = resample(integrateCycle(s, 0, p.rr, steps, p.events, wander), length);

  let lo = Infinity, hi = -Infinity;
  for (const v of beat) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const ptp = hi - lo;
  for (let k = 0; k < length; k++) {
    const t = (k / length) * p.rr;
    if (p.fibrillation) beat[k] += p.fibrillation.amplitude * ptp * Math.sin(2 * Math.PI * p.fibrillation.hz * t + p.fibrillation.phase);
    beat[k] += NOISE * ptp * rng.normal();
  }
  return zNormalize(beat);
}

/** (x − mean) / sample std, per beat. */
function zNormalize(beat: Float64Array): Float64Array {
  const n = beat.length;
  let mean = 0;
  for (const v of beat) mean += v;
  mean /= n;
  let sq = 0;
  for (const v of beat) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / Math.max(n - 1, 1)) || 1;
  return beat.map((v) => (v - mean) / std);
}

export interface SyntheticOptions {
  nNormal: number;
  nAbnormal: number;
  /** Samples per beat (default 140, as ECG5000). */
  length?: number;
  seed?: number | string;
  /** Beat-to-beat heart-rate variability (default true). */
  hrv?: boolean;
}

/**
 * A labelled set of synthetic beats: nNormal of class "1", and nAbnormal spread evenly over the
 * abnormal classes "2".."5" (2, 3, 4, 5, 2, ...), in a seeded random order. Same seed, same bits.
 */
export function generateSyntheticEcg(opts: SyntheticOptions): BeatSet {
  const { nNormal, nAbnormal, length = 140, seed = 0, hrv = true } = opts;
  for (const [k, v] of [['nNormal', nNormal], ['nAbnormal', nAbnormal], ['length', length]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`synthetic: ${k} must be a non-negative integer, got ${v}`);
  }
  if (length < 8) throw new Error(`synthetic: length must be at least 8, got ${length}`);
  const byIndex = [...Array<string>(nNormal).fill('1'), ...Array.from({ length: nAbnormal }, (_, i) => String(2 + (i % 4)))];
  const order = shuffledIndices(byIndex.length, `${seed}:order`);
  const labels = Array.from(order, (i) => byIndex[i]);
  const rng = createRng(`${seed}:beats`);
  const n = labels.length;
  const beats = new Float32Array(n * length);
  for (let i = 0; i < n; i++) beats.set(synthesizeBeat(labels[i], length, rng, hrv), i * length);
  return { beats, n, length, labels, source: `synthetic (seed ${seed})`, normalLabel: '1' };
}

/**
 * A train/test pair shaped like ECG5000 (beats of 140 samples, ~60% normal, labels "1".."5"):
 * 500 training beats and 1500 test beats, from independent seeded streams.
 */
export function syntheticTrainTest(seed: number | string = 0, length = 140): { train: BeatSet; test: BeatSet } {
  return {
    train: { ...generateSyntheticEcg({ nNormal: 300, nAbnormal: 200, length, seed: `${seed}:train` }), source: `synthetic train (seed ${seed})` },
    test: { ...generateSyntheticEcg({ nNormal: 900, nAbnormal: 600, length, seed: `${seed}:test` }), source: `synthetic test (seed ${seed})` },
  };
}

// Seeded artefact stretches spliced into a record, for the signal-quality tests: a flat line
// (lead off), white noise, and the record's own ECG with baseline wander and muscle-like bursts.
import { createRng } from '../../src/engine/random.ts';

export interface Spliced {
  signal: Float32Array;
  /** Where each inserted stretch lies in `signal` (end exclusive). */
  stretches: { kind: 'flat' | 'white-noise' | 'wander-bursts'; start: number; end: number }[];
  /** For each clean part: its start in `signal`, its start in the original, its length. */
  clean: { at: number; from: number; length: number }[];
}

/** clean [0,a) | flat | clean [a,b) | white noise | clean [b,c) | the original's [c, c+len) + wander + bursts | rest from c+len. */
export function spliceArtifacts(x: Float32Array, fs: number, cuts: [number, number, number], stretchSeconds: number, seed: string): Spliced {
  const rng = createRng(seed);
  const len = Math.round(stretchSeconds * fs);
  const [a, b, c] = cuts;
  if (!(a < b && b < c && c + len <= x.length)) throw new Error('spliceArtifacts: cuts out of order or past the record');
  const gauss = () => rng.normal();
  const flat = new Float32Array(len).fill(x[a - 1]);
  const noise = Float32Array.from({ length: len }, () => 0.3 * gauss());
  const wander = new Float32Array(len);
  let prev = 0;
  for (let i = 0; i < len; i++) {
    const t = i / fs;
    // Breathing-like wander (0.25 Hz, 0.8 mV) and, for 2 s in every 20 s, EMG-like bursts (differenced white noise, ~0.25 mV).
    const g = gauss();
    const burst = t % 20 < 2 ? 0.18 * (g - prev) : 0;
    prev = g;
    wander[i] = x[c + i] + 0.8 * Math.sin(2 * Math.PI * 0.25 * t) + burst;
  }
  const parts = [x.subarray(0, a), flat, x.subarray(a, b), noise, x.subarray(b, c), wander, x.subarray(c + len)];
  const signal = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  const starts: number[] = [];
  for (const p of parts) { starts.push(at); signal.set(p, at); at += p.length; }
  return {
    signal,
    stretches: [
      { kind: 'flat', start: starts[1], end: starts[2] },
      { kind: 'white-noise', start: starts[3], end: starts[4] },
      { kind: 'wander-bursts', start: starts[5], end: starts[6] },
    ],
    clean: [{ at: 0, from: 0, length: a }, { at: starts[2], from: a, length: b - a }, { at: starts[4], from: b, length: c - b }, { at: starts[6], from: c + len, length: x.length - c - len }],
  };
}

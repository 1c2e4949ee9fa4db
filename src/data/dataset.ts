// A set of heartbeats: n beats of the same length, stored row-major in one Float32Array,
// with the class label of each beat as the file wrote it (numbers in canonical form).
// Pure functions only: this file runs in a browser as well as in Node.

import { createRng, shuffleIndices } from '../engine/random.ts';

export interface BeatSet {
  /** [n, length] row-major: beat i is beats[i*length .. (i+1)*length). */
  beats: Float32Array;
  n: number;
  length: number;
  /** Class label per beat, e.g. "1", "2"; numeric labels in canonical form ("1.0e+00" → "1"). */
  labels: string[];
  /** Where the beats came from (a file name, "synthetic", ...), used in messages. */
  source: string;
  /** The label of normal beats when the format says so (ECG5000, ecg.csv: "1"; PTB: "0"). */
  normalLabel?: string;
}

/**
 * Canonical form of a class label: numeric labels become their shortest number string, so
 * "1", "1.0" and "1.0000000e+00" are the same class; other labels are kept (trimmed).
 */
export function normalizeLabel(label: string): string {
  const s = label.trim();
  if (s !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    const v = Number(s);
    return String(v === 0 ? 0 : v); // -0 → "0"
  }
  return s;
}

/** Number of beats per label, labels in first-seen order. */
export function classCounts(set: Pick<BeatSet, 'labels'>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of set.labels) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}

/**
 * Binary anomaly labels: 0 = normal (label equals normalLabel), 1 = anomaly.
 * With knownLabels, every label must be the normal one or one of them; the first that is
 * neither is named in the error (catches a wrong --normal-label or a mislabelled file).
 */
export function binaryLabels(set: Pick<BeatSet, 'labels' | 'source'>, normalLabel: string,
                             knownLabels?: readonly string[]): Uint8Array {
  const normal = normalizeLabel(normalLabel);
  const known = knownLabels ? new Set(knownLabels.map(normalizeLabel)) : null;
  const out = new Uint8Array(set.labels.length);
  for (let i = 0; i < set.labels.length; i++) {
    const label = normalizeLabel(set.labels[i]);
    if (label === normal) continue;
    if (known && !known.has(label)) {
      throw new Error(`${set.source}: beat ${i + 1} has label "${set.labels[i]}", which is neither the ` +
        `normal label "${normal}" nor a known label (${[...known].join(', ')})`);
    }
    out[i] = 1;
  }
  return out;
}

/** A new BeatSet with the given rows, in the given order (beats are copied). */
export function takeRows(set: BeatSet, rows: ArrayLike<number>): BeatSet {
  const L = set.length;
  const beats = new Float32Array(rows.length * L);
  const labels: string[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (!Number.isInteger(i) || i < 0 || i >= set.n) throw new RangeError(`row ${i} is out of range [0, ${set.n})`);
    beats.set(set.beats.subarray(i * L, (i + 1) * L), r * L);
    labels[r] = set.labels[i];
  }
  return { ...set, beats, n: rows.length, labels };
}

/** The beats for which predicate(label, index) is true, in their original order. */
export function selectRows(set: BeatSet, predicate: (label: string, index: number) => boolean): BeatSet {
  const rows: number[] = [];
  for (let i = 0; i < set.n; i++) if (predicate(set.labels[i], i)) rows.push(i);
  return takeRows(set, rows);
}

/** 0..n-1 in a seeded random order (the engine's Fisher-Yates): same seed, same order. */
export function shuffledIndices(n: number, seed: number | string): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffleIndices(order, createRng(seed));
  return order;
}

/**
 * Splits off round(fraction * n) randomly chosen beats as a validation set (seeded, so the same
 * seed gives the same split). Both parts keep the beats' original order.
 */
export function splitValidation(set: BeatSet, fraction: number, seed: number | string): { train: BeatSet; validation: BeatSet } {
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const order = shuffledIndices(set.n, seed);
  const nVal = Math.round(set.n * fraction);
  const valRows = order.slice(0, nVal).sort();
  const trainRows = order.slice(nVal).sort();
  return { train: takeRows(set, trainRows), validation: takeRows(set, valRows) };
}

/** Concatenates beat sets of the same length (e.g. PTB's normal and abnormal files). */
export function concatBeatSets(sets: readonly BeatSet[], source: string): BeatSet {
  if (sets.length === 0) throw new Error('concatBeatSets: no sets given');
  const L = sets[0].length;
  for (const s of sets) {
    if (s.length !== L) throw new Error(`${s.source} has beats of length ${s.length}, ${sets[0].source} of length ${L}`);
  }
  const n = sets.reduce((sum, s) => sum + s.n, 0);
  const beats = new Float32Array(n * L);
  const labels: string[] = [];
  let offset = 0;
  for (const s of sets) {
    beats.set(s.beats.subarray(0, s.n * L), offset * L);
    for (const l of s.labels) labels.push(l);
    offset += s.n;
  }
  const normals = new Set(sets.map((s) => s.normalLabel));
  const normalLabel = normals.size === 1 ? sets[0].normalLabel : undefined;
  return { beats, n, length: L, labels, source, ...(normalLabel !== undefined ? { normalLabel } : {}) };
}

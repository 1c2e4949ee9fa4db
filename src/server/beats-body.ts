// Parsing and validating a scoring request body (runtime-agnostic: the app, the in-process
// scorer and the worker threads all use this one function).
//   /score   ← {"beats": [[...L numbers], ...]}
//   /predict ← {"beat": [...L numbers]}  or  {"beats": [[...], ...]}
// Packs the beats row-major into one Float32Array [n, L]. A value that float32 cannot hold
// (|x| > FLOAT32_MAX, or non-finite such as 1e400 which JSON.parse makes Infinity) is a 422
// naming the beat and the sample, never silently rounded to ±Infinity.

import { RequestError } from './request-error.ts';

export const FLOAT32_MAX = 3.4028234663852886e38;

export type BodyKind = 'score' | 'predict';

export interface ParsedBeats {
  data: Float32Array;
  n: number;
  /** True for /predict {"beat": [...]}: the answer is one object, not a list. */
  single: boolean;
}

export function parseBeatsBody(text: string, kind: BodyKind, length: number, maxBeats: number): ParsedBeats {
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new RequestError(400, 'body is not valid JSON'); }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestError(400, kind === 'predict' ? 'expected a JSON object {"beat": [...]} or {"beats": [[...], ...]}'
      : 'expected a JSON object {"beats": [[...], ...]}');
  }
  const o = body as { beat?: unknown; beats?: unknown };
  if (kind === 'predict' && o.beat !== undefined) {
    if (o.beats !== undefined) throw new RequestError(400, 'give either "beat" or "beats", not both');
    return { data: packBeats([o.beat], length, true), n: 1, single: true };
  }
  const beats = o.beats;
  if (!Array.isArray(beats) || beats.length === 0) {
    throw new RequestError(400, `expected {"beats": [[...], ...]} with at least one beat${kind === 'predict' ? ', or {"beat": [...]}' : ''}`);
  }
  if (beats.length > maxBeats) throw new RequestError(413, `${beats.length} beats in one request; the limit is ${maxBeats}`);
  return { data: packBeats(beats, length, false), n: beats.length, single: false };
}

function packBeats(beats: unknown[], length: number, single: boolean): Float32Array {
  const data = new Float32Array(beats.length * length);
  for (let i = 0; i < beats.length; i++) {
    const beat = beats[i];
    const name = single ? 'beat' : `beat ${i}`;
    if (!Array.isArray(beat) || beat.length !== length) {
      throw new RequestError(422, `${name} has ${Array.isArray(beat) ? beat.length : 'no'} samples; this model expects ${length}`);
    }
    for (let j = 0; j < length; j++) {
      const v = beat[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new RequestError(422, `${name}, sample ${j} is not a finite number`);
      if (Math.abs(v) > FLOAT32_MAX) throw new RequestError(422, `${name}, sample ${j} is beyond the float32 range (|x| > ${FLOAT32_MAX})`);
      data[i * length + j] = v;
    }
  }
  return data;
}

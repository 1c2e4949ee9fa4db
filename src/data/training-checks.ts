// Beats that cannot be trained on, refused before any training time is spent, with what is
// wrong: too few normal beats for a threshold (a statistic of their errors), or beats that are
// all the same (no spread: the threshold comes out ~1e-18 and every other beat is flagged).

import type { BeatSet } from './dataset.ts';

/** Fewest normal beats a detector is trained on. */
export const MIN_TRAINING_BEATS = 10;

/** Throws naming `set.source` when its (normal) beats are too few or all identical. */
export function checkTrainingBeats(set: BeatSet, what = 'normal beats'): void {
  if (set.n < MIN_TRAINING_BEATS) {
    throw new Error(`${set.source}: only ${set.n} ${what} to train on; at least ${MIN_TRAINING_BEATS} are needed ` +
      '(the threshold is set from their reconstruction errors)');
  }
  const { beats, n, length } = set;
  for (let i = 1; i < n; i++) {
    for (let t = 0; t < length; t++) if (beats[i * length + t] !== beats[t]) return;
  }
  throw new Error(`${set.source}: all ${n} ${what} are identical (zero variance): there is nothing to learn and no spread ` +
    'to set a threshold from (every other beat would be flagged)');
}

// The TensorFlow tutorial's recipe for ECG5000: pool the official TRAIN and TEST files (5000
// beats), shuffle them with a seed, and keep `testFraction` of them as the test set. Pure, so
// the same seed gives the same split in Node and in a browser.

import { concatBeatSets, splitValidation, type BeatSet } from './dataset.ts';

export interface PooledSplit { train: BeatSet; test: BeatSet }

/**
 * Pools train (+ test, when there is one) and splits round(testFraction · n) beats off as the
 * test set, chosen by a seeded shuffle; both parts keep the pooled order (train file first).
 */
export function pooledSplit(train: BeatSet, test: BeatSet | null, testFraction: number, splitSeed: number): PooledSplit {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`pooled test fraction must be in (0, 1), got ${testFraction}`);
  const sources = test ? `${train.source} + ${test.source}` : train.source;
  const pooled = test ? concatBeatSets([train, test], `pooled ${sources}`) : train;
  const { train: trainPart, validation: testPart } = splitValidation(pooled, testFraction, `${splitSeed}:pool-split`);
  const name = `pooled ${sources}, split seed ${splitSeed}`;
  return {
    train: { ...trainPart, source: `${name} (train ${Math.round((1 - testFraction) * 100)}%)` },
    test: { ...testPart, source: `${name} (test ${Math.round(testFraction * 100)}%)` },
  };
}

// The training sets the protocol runs on: ECG5000_TRAIN (official split) and the 80% training
// parts of pooled 80/20 splits. Only training parts are returned: the test parts stay unread.

import { loadBeatFile } from '../../src/data/load-node.ts';
import type { BeatSet } from '../../src/data/dataset.ts';
import { pooledSplit } from '../../src/data/pooled-split.ts';
import { findUcrPair } from '../../src/data/load-node.ts';

export interface Scenario { name: string; train: BeatSet }

export const POOLED_TEST_FRACTION = 0.2;

/**
 * Official split: the TRAIN file alone. Pooled split s: the training 80% of TRAIN + TEST; the
 * TEST file's beats in it are training beats of that split, and its 20% test part is dropped here.
 */
export function trainingScenarios(dataDir: string, splitSeeds: number[]): Scenario[] {
  const files = findUcrPair(dataDir);
  if (files.kind !== 'ucr' || !files.test) throw new Error(`${dataDir}: needs a UCR *_TRAIN/*_TEST pair (ECG5000)`);
  const train = loadBeatFile(files.train);
  const out: Scenario[] = [{ name: 'official', train }];
  if (splitSeeds.length) {
    const test = loadBeatFile(files.test);
    for (const s of splitSeeds) out.push({ name: `pooled s${s}`, train: pooledSplit(train, test, POOLED_TEST_FRACTION, s).train });
  }
  return out;
}

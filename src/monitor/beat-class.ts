// AAMI EC57 beat classes and how the WFDB beat symbols map onto them:
//   N normal (and bundle branch block, escape), S supraventricular ectopic, V ventricular ectopic,
//   F fusion of ventricular and normal, Q paced or unclassifiable (here also: inside a stretch of
//   signal that cannot be read, or before the patient's beat could be learned).

export type BeatClass = 'N' | 'S' | 'V' | 'F' | 'Q';

export const BEAT_CLASSES: readonly BeatClass[] = ['N', 'S', 'V', 'F', 'Q'];

const SYMBOL_CLASS: Record<string, BeatClass> = {
  N: 'N', L: 'N', R: 'N', e: 'N', j: 'N',
  A: 'S', a: 'S', J: 'S', S: 'S',
  V: 'V', E: 'V',
  F: 'F',
  '/': 'Q', f: 'Q', Q: 'Q',
};

/** The AAMI class of a WFDB beat symbol, or null for a non-beat annotation (rhythm, noise, ...). */
export function aamiClassOfSymbol(symbol: string): BeatClass | null {
  return SYMBOL_CLASS[symbol] ?? null;
}

/** WFDB symbols of paced beats: a record that has them is a paced record (EC57 leaves it out of class statistics). */
export const PACED_SYMBOLS = new Set(['/', 'f']);

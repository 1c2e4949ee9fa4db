// What `detect` and `client` print for a scored file: one table row per beat, a summary line,
// and with --json one JSON object as the last line. Shared so that scoring a file locally and
// through the HTTP API print the same thing.

export interface DetectionReport {
  /** Per beat; a non-finite score (the model could not compute it) is shown as such and flagged. */
  scores: ArrayLike<number>;
  flags: ArrayLike<number>;
  threshold: number;
  /** How the threshold was chosen, e.g. "mean+3std of training errors". */
  method: string;
  labels: readonly (string | undefined)[];
}

export function detectionText(r: DetectionReport): string {
  const { scores, flags, threshold, labels } = r;
  // A beat whose error could not be computed scores +Infinity and is flagged: shown as such.
  const shown = (s: number) => (Number.isFinite(s) ? s.toPrecision(6) : 'non-finite');
  const lines = ['beat  score       threshold   flag  label'];
  for (let i = 0; i < scores.length; i++) {
    lines.push(`${String(i).padStart(4)}  ${shown(scores[i]).padEnd(10)}  ${threshold.toPrecision(6).padEnd(10)}  ${flags[i] ? 'ANOM' : 'ok  '}  ${labels[i] ?? ''}`);
  }
  const flagged = countFlagged(flags);
  const nonFinite = countNonFinite(scores);
  lines.push(`${flagged} of ${scores.length} beats flagged as anomalous (threshold ${threshold.toPrecision(6)}, ${r.method})`);
  if (nonFinite > 0) lines.push(`${nonFinite} of them could not be scored (non-finite reconstruction error) and count as anomalies`);
  return lines.join('\n') + '\n';
}

/** The --json line; `model` is what the user named (a folder for detect, a URL for client). */
export function detectionJson(r: DetectionReport, model: string, file: string): string {
  const { scores, flags, threshold, labels } = r;
  // score null + nonFinite true: the error was NaN or infinite (JSON has no Infinity).
  return JSON.stringify({ model, file, threshold, flagged: countFlagged(flags), nonFinite: countNonFinite(scores),
    beats: Array.from(scores, (s, i) => ({ index: i, score: Number.isFinite(s) ? s : null, nonFinite: !Number.isFinite(s), flag: flags[i] === 1, label: labels[i] })) }) + '\n';
}

function countFlagged(flags: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i] ? 1 : 0;
  return n;
}

function countNonFinite(scores: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) n += Number.isFinite(scores[i]) ? 0 : 1;
  return n;
}

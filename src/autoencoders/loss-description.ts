// What the number a kind's training reports as its loss is (logs, the report's loss plot). The
// training and validation lines of one kind are the same quantity (trainer.ts), so they compare.

export function lossDescription(kind: string): string {
  return kind === 'vae'
    ? 'per beat: Σ squared error + β·KL (training samples z, validation decodes μ)'
    : 'mean squared error per sample (scaled units)';
}

// Writes the report plots of a trained detector as SVG files into a folder (Node only).
//   loss.svg      loss per epoch            errors.svg    error histograms + threshold
//   roc.svg       ROC curve (test data only) examples.svg  example reconstructions (if any)

import fs from 'node:fs';
import path from 'node:path';
import {
  errorHistogramSvg, lossCurveSvg, reconstructionsSvg, rocCurveSvg,
  type LossPoint, type ReconstructionExample,
} from './plots.ts';

export interface PlotInputs {
  history: LossPoint[];
  normalErrors: number[];
  anomalyErrors: number[];
  threshold: number;
  /** Anomaly scores and labels (1 = anomaly) of a labelled test set; absent without test data. */
  scores?: number[];
  labels?: number[];
  auc?: number;
  examples: ReconstructionExample[];
}

/** Writes the plots into `dir` (created if needed) and returns the paths written. */
export function writePlots(dir: string, input: PlotInputs): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    'loss.svg': lossCurveSvg(input.history),
    'errors.svg': errorHistogramSvg(input.normalErrors, input.anomalyErrors, input.threshold),
  };
  if (input.scores && input.labels) files['roc.svg'] = rocCurveSvg(input.scores, input.labels, input.auc);
  if (input.examples.length > 0) files['examples.svg'] = reconstructionsSvg(input.examples);

  const written: string[] = [];
  for (const [name, svg] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, svg);
    written.push(file);
  }
  return written;
}

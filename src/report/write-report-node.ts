// Writes the report plots of a trained detector as SVG files into a folder, and report.html into
// a model folder (Node only).
//   loss.svg      loss per epoch            errors.svg    error histograms + threshold
//   roc.svg       ROC curve (test data only) examples.svg  example reconstructions (if any)

import fs from 'node:fs';
import path from 'node:path';
import { replaceFileAtomically } from '../io/durable-file-node.ts';
import { renderPlots, type PlotInputs } from './plots.ts';

export type { PlotInputs };

/** Writes the plots into `dir` (created if needed) and returns the paths written. */
export function writePlots(dir: string, input: PlotInputs): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, svg] of Object.entries(renderPlots(input))) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, svg);
    written.push(file);
  }
  return written;
}

export const REPORT_FILE = 'report.html';

/**
 * Replaces DIR/report.html (or DIR/`name`) atomically: the page is written to a temporary sibling, flushed,
 * then renamed over the old one, so a reader never sees half a page. Returns the path.
 */
export function writeReportHtml(dir: string, html: string, name = REPORT_FILE): string {
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder`);
  const file = path.join(dir, name);
  replaceFileAtomically(file, html);
  return file;
}

/** The name of `evaluate --report`'s page for one data file: beside the training report, never over it. */
export function evaluationReportName(source: string): string {
  const stem = path.basename(source).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'data';
  return `report-${stem}.html`;
}

// Scatter plot of 2-D latent maps (PCA, UMAP), one colour per class, normal beats drawn first so
// the rarer anomaly classes stay visible on top. No dependencies (runs anywhere).

import {
  WIDTH, HEIGHT, px, finite, minMax, niceTicks, makeFrame, svgDocument, titleText, axes, legend,
  noDataNote, type LegendItem,
} from './svg.ts';
import { classColor, sortClasses } from './evaluation-plots.ts';

/** points[i] = [x, y] of beat i, classes[i] its original label. */
export function latentScatterSvg(points: number[][], classes: readonly string[], normalLabel: string,
                                 title: string, xLabel: string, yLabel: string): string {
  const keep = points.map((_, i) => i).filter((i) => Number.isFinite(points[i][0]) && Number.isFinite(points[i][1]));
  const xs = minMax(finite(keep.map((i) => points[i][0]))) ?? [0, 1];
  const ys = minMax(finite(keep.map((i) => points[i][1]))) ?? [0, 1];
  const f = makeFrame(niceTicks(xs[0], xs[1]), niceTicks(ys[0], ys[1]));
  const order = sortClasses(classes);
  // Draw order: normal first, then the other classes from most to least common.
  const count = (c: string) => classes.filter((l) => l === c).length;
  const drawOrder = [...order].sort((a, b) => (a === normalLabel ? -1 : b === normalLabel ? 1 : count(b) - count(a)));
  const parts = [axes(f, xLabel, yLabel)];
  const items: LegendItem[] = [];
  for (const c of drawOrder) {
    const color = classColor(c, normalLabel, order);
    const dots = keep.filter((i) => classes[i] === c)
      .map((i) => `<circle cx="${px(f.x(points[i][0]))}" cy="${px(f.y(points[i][1]))}" r="2.5"/>`);
    parts.push(`<g class="class-points" data-class="${c.replace(/[^\w.-]/g, '_')}" fill="${color}" fill-opacity="0.6">\n${dots.join('\n')}\n</g>`);
    items.push({ label: `class ${c}${c === normalLabel ? ' (normal)' : ''} n=${dots.length}`, color, kind: 'box' });
  }
  if (keep.length === 0) parts.push(noDataNote('no latent codes to show'));
  parts.push(legend(items), titleText(title));
  return svgDocument(WIDTH, HEIGHT, title, parts.join('\n'));
}

// The report's new pieces on small inputs with known answers: PR points, PCA, separation numbers,
// the seeded UMAP and subsample, and well-formed SVG/HTML for normal, empty and non-finite input.

import { describe, expect, it } from 'vitest';
import { prPoints, prCurveSvg, confusionHeatmapSvg, classRecallSvg, classHistogramsSvg } from '../../src/report/evaluation-plots.ts';
import { latentScatterSvg } from '../../src/report/latent-plot.ts';
import { pca2d, umap2d } from '../../src/report/projection.ts';
import { knnAccuracy, silhouette } from '../../src/report/separation.ts';
import { stratifiedSample, type ReportInputs } from '../../src/report/collect.ts';
import { reportHtml } from '../../src/report/html.ts';
import { lossCurveSvg } from '../../src/report/plots.ts';
import { prAuc } from '../../src/evaluation/metrics.ts';
import { createRng } from '../../src/engine/random.ts';
import { checkSvg } from './svg-check.ts';

const svgsOf = (html: string) => html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];

describe('precision-recall points', () => {
  it('steps through distinct scores, ties together, starting at recall 0', () => {
    // scores high to low: 0.9 (anomaly), 0.8 (normal), 0.7 & 0.7 (anomaly, normal)
    expect(prPoints([0.9, 0.8, 0.7, 0.7], [1, 0, 1, 0])).toEqual([[0, 1], [0.5, 1], [0.5, 0.5], [1, 0.5]]);
    expect(prPoints([0.1, 0.2], [0, 0])).toEqual([]);
  });

  it('the area under the steps is the average precision of metrics.ts', () => {
    const rng = createRng('pr');
    const labels = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const scores = labels.map((l) => rng.normal() + 1.5 * l);
    const pts = prPoints(scores, labels);
    let area = 0;
    for (let i = 1; i < pts.length; i++) area += (pts[i][0] - pts[i - 1][0]) * pts[i][1];
    expect(area).toBeCloseTo(prAuc(scores, labels), 10);
  });
});

describe('PCA to two dimensions', () => {
  it('puts the direction of largest variance first', () => {
    // points on the line t·(1, 2, 0) plus ±0.25 along (0, 0, 1) in a +,−,−,+ pattern that is
    // uncorrelated with t over each block of four
    const pts = Array.from({ length: 48 }, (_, i) => [i, 2 * i, [0.25, -0.25, -0.25, 0.25][i % 4]]);
    const y = pca2d(pts);
    const spread = (k: number) => Math.max(...y.map((p) => p[k])) - Math.min(...y.map((p) => p[k]));
    expect(spread(0)).toBeCloseTo(Math.hypot(47, 94), 6);
    expect(spread(1)).toBeCloseTo(0.5, 6);
    expect(y[47][0] - y[0][0]).toBeGreaterThan(0); // sign fixed: largest loading positive
  });

  it('handles one point, a 1-D code and constant codes', () => {
    expect(pca2d([[1, 2]])).toEqual([[0, 0]]);
    expect(pca2d([[1], [3]]).map((p) => p[1])).toEqual([0, 0]);
    expect(pca2d([[1, 1], [1, 1]])).toEqual([[0, 0], [0, 0]]);
  });
});

describe('separation of normal from anomalous points', () => {
  const rng = createRng('sep');
  const cloud = (cx: number, n: number) => Array.from({ length: n }, () => [cx + 0.1 * rng.normal(), 0.1 * rng.normal()]);
  const groups = [...new Array(40).fill(0), ...new Array(20).fill(1)];

  it('two far-apart clouds: silhouette near 1, kNN accuracy 1', () => {
    const pts = [...cloud(0, 40), ...cloud(10, 20)];
    expect(silhouette(pts, groups)).toBeGreaterThan(0.95);
    expect(knnAccuracy(pts, groups)).toBe(1);
  });

  it('one mixed cloud: silhouette near 0, kNN near the larger group share', () => {
    const pts = cloud(0, 60);
    expect(Math.abs(silhouette(pts, groups))).toBeLessThan(0.1);
    expect(knnAccuracy(pts, groups)).toBeLessThan(0.8);
  });

  it('NaN with a single group', () => {
    expect(silhouette([[0, 0], [1, 1]], [0, 0])).toBeNaN();
    expect(knnAccuracy([[0, 0], [1, 1]], [1, 1])).toBeNaN();
  });
});

describe('seeded UMAP and subsample', () => {
  const rng = createRng('umap-data');
  const pts = Array.from({ length: 80 }, (_, i) => Array.from({ length: 6 }, () => rng.normal() + (i < 40 ? 0 : 6)));

  it('same seed, same map; another seed, another map; the two blobs stay apart', () => {
    const a = umap2d(pts, { seed: 1, epochs: 100 }), b = umap2d(pts, { seed: 1, epochs: 100 });
    const c = umap2d(pts, { seed: 2, epochs: 100 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const groups = pts.map((_, i) => (i < 40 ? 0 : 1));
    expect(knnAccuracy(a, groups)).toBeGreaterThan(0.95);
  });

  it('stratified sample: at most max, rare classes kept, deterministic', () => {
    const classes = [...new Array(2000).fill('1'), ...new Array(500).fill('2'), ...new Array(12).fill('5')];
    const s = stratifiedSample(classes, 800, 0);
    expect(s.length).toBeLessThanOrEqual(800);
    expect(new Set(s).size).toBe(s.length);
    expect(s.filter((i) => classes[i] === '5')).toHaveLength(12);
    expect(s.filter((i) => classes[i] === '2').length).toBeGreaterThanOrEqual(30);
    expect(stratifiedSample(classes, 800, 0)).toEqual(s);
    expect(stratifiedSample(classes.slice(0, 10), 800, 0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('new plots are well-formed SVG, also for empty and non-finite input', () => {
  it('PR curve, confusion, per-class share, per-class histograms, latent scatter, best-epoch marker', () => {
    const svgs = [
      prCurveSvg([0.1, 0.9, NaN, Infinity], [0, 1, 1, 0], 0.75), prCurveSvg([], [], undefined),
      confusionHeatmapSvg({ tp: 5, fp: 1, tn: 10, fn: 0 }), confusionHeatmapSvg({ tp: 0, fp: 0, tn: 0, fn: 0 }),
      classRecallSvg({ '1': { count: 10, flagged: 1, rate: 0.1 }, '2': { count: 4, flagged: 4, rate: 1 } }, '1'), classRecallSvg({}, '1'),
      classHistogramsSvg([{ label: '1', errors: [0.1, 0.2, NaN] }, { label: '<b>', errors: [1, Infinity] }], 0.5, '1'),
      classHistogramsSvg([], NaN, '1'),
      latentScatterSvg([[0, 0], [1, NaN], [2, 1]], ['1', '2', '2'], '1', 'map', 'x', 'y'), latentScatterSvg([], [], '1', 'map', 'x', 'y'),
      lossCurveSvg([{ epoch: 1, loss: 1 }, { epoch: 2, loss: 0.5 }], 2),
    ];
    for (const svg of svgs) checkSvg(svg);
    expect(svgs[2]).toContain('>5<');
    expect(svgs[4]).toContain('10.0% (1/10)');
    expect(svgs[6]).toContain('class &lt;b&gt;');
    expect((svgs[8].match(/<circle/g) ?? []).length).toBe(2); // the NaN point is dropped
    expect(svgs[10]).toContain('class="best-epoch"');
  });
});

describe('reportHtml', () => {
  const base: ReportInputs = {
    title: 'test <report>', architecture: { kind: 'dense', length: 3 }, data: 'synthetic', bestEpoch: 2,
    history: [{ epoch: 1, loss: 1, valLoss: 1.1 }, { epoch: 2, loss: 0.5, valLoss: 0.6 }],
    threshold: { value: 0.5, method: 'p99' }, normalLabel: '1', evaluatedOn: null, metrics: null,
    scores: null, labels: null, classes: null, trainErrors: [0.1, 0.2, 0.3],
    examples: [{ title: 'class 1', original: [0, 1, 0], reconstruction: [0, 0.9, 0.1] }], latent: null,
    worst: null, settings: [], lossLabel: 'mean squared error per sample (scaled units)',
  };

  it('without test data: loss, training errors and examples, each SVG well-formed, no script', () => {
    const html = reportHtml(base);
    for (const svg of svgsOf(html)) checkSvg(svg);
    expect(svgsOf(html)).toHaveLength(3);
    expect(html).toContain('test &lt;report&gt;');
    expect(html).not.toMatch(/<script|(src|href)="https?:|url\(/i); // nothing to fetch
  });

  it('with test data and latent maps: all nine figures', () => {
    const html = reportHtml({
      ...base, evaluatedOn: 'T (4 beats)', scores: [0.1, 0.9, 0.2, 0.8], labels: [0, 1, 0, 1], classes: ['1', '2', '1', '3'],
      metrics: { rocAuc: 1, prAuc: 1, f1: 1, precision: 1, recall: 1, accuracy: 1, threshold: 0.5,
        confusion: { tp: 2, fp: 0, tn: 2, fn: 0 }, byClass: { '1': { count: 2, flagged: 0, rate: 0 }, '2': { count: 1, flagged: 1, rate: 1 }, '3': { count: 1, flagged: 1, rate: 1 } } },
      latent: { classes: ['1', '2'], pca: [[0, 0], [1, 1]], umap: [[0, 0], [1, 1]], codeSize: 2, drawnFrom: 4, dropped: 0, chance: 0.5,
        separation: { pca: { silhouette: NaN, knnAccuracy: NaN }, umap: { silhouette: NaN, knnAccuracy: NaN } } },
    });
    const ids = [...html.matchAll(/<figure id="([\w-]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['loss', 'errors-per-class', 'roc', 'pr', 'confusion', 'per-class', 'examples', 'latent-pca', 'latent-umap']);
    for (const svg of svgsOf(html)) checkSvg(svg);
  });
});

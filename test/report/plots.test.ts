// SVG plots: well-formed, the expected elements present, and no NaN for empty/odd inputs.

import { describe, expect, it } from 'vitest';
import {
  errorHistogramSvg, lossCurveSvg, reconstructionSvg, reconstructionsSvg, rocCurveSvg, rocPoints,
} from '../../src/report/plots.ts';
import { checkSvg } from './svg-check.ts';

const history = Array.from({ length: 20 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), valLoss: 1.2 / (i + 1) }));

/** The numbers in an attribute across the SVG, e.g. every x1 of <line class="threshold">. */
function attr(svg: string, cls: string, name: string): number[] {
  const el = svg.match(new RegExp(`<[a-z]+ class="${cls}"[^>]*>`))?.[0] ?? '';
  return [...el.matchAll(new RegExp(`\\s${name}="([^"]*)"`, 'g'))].map((m) => Number(m[1]));
}

describe('lossCurveSvg', () => {
  it('draws training and validation curves with axes and a title', () => {
    const svg = lossCurveSvg(history);
    checkSvg(svg);
    expect(svg).toContain('class="train-loss"');
    expect(svg).toContain('class="val-loss"');
    expect(svg).toContain('Loss per epoch');
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('training loss');
    expect(svg).toContain('validation loss');
  });

  it('works without validation loss, with one epoch, empty, constant or NaN losses', () => {
    const noVal = lossCurveSvg(history.map(({ epoch, loss }) => ({ epoch, loss })));
    checkSvg(noVal);
    expect(noVal).not.toContain('val-loss');
    checkSvg(lossCurveSvg([{ epoch: 1, loss: 0.3 }]));
    expect(lossCurveSvg([])).toContain('no training history');
    checkSvg(lossCurveSvg([]));
    checkSvg(lossCurveSvg([{ epoch: 1, loss: 0 }, { epoch: 2, loss: 0 }]));
    checkSvg(lossCurveSvg([{ epoch: 1, loss: NaN }, { epoch: 2, loss: Infinity, valLoss: NaN }, { epoch: 3, loss: 0.5 }]));
  });

  it('uses whole-number epoch ticks', () => {
    const svg = lossCurveSvg([{ epoch: 1, loss: 1 }, { epoch: 3, loss: 0.5 }]);
    const xTickLabels = [...svg.matchAll(/y="368" text-anchor="middle">([^<]*)</g)].map((m) => m[1]);
    expect(xTickLabels.length).toBeGreaterThan(1);
    for (const label of xTickLabels) expect(label).toMatch(/^\d+$/);
  });
});

describe('errorHistogramSvg', () => {
  const normal = Array.from({ length: 300 }, (_, i) => 0.1 + 0.2 * Math.sin(i) ** 2);
  const anomaly = Array.from({ length: 100 }, (_, i) => 0.6 + 0.5 * Math.cos(i) ** 2);

  it('draws both histograms, the threshold line at the threshold, and a legend', () => {
    const svg = errorHistogramSvg(normal, anomaly, 0.45);
    checkSvg(svg);
    expect(svg).toContain('class="threshold"');
    expect(svg).toContain('threshold = 0.45');
    expect(svg).toContain('normal (n=300)');
    expect(svg).toContain('anomaly (n=100)');
    expect(svg).toContain('Reconstruction error by class');
    expect(svg.match(/<g class="normal-bars"[\s\S]*?<\/g>/)![0]).toContain('<rect');
    expect(svg.match(/<g class="anomaly-bars"[\s\S]*?<\/g>/)![0]).toContain('<rect');
    // The threshold line sits between the normal bars and the anomaly bars.
    const [x] = attr(svg, 'threshold', 'x1');
    const barXs = (cls: string) => [...svg.match(new RegExp(`<g class="${cls}"[\\s\\S]*?</g>`))![0].matchAll(/x="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(Math.max(...barXs('normal-bars'))).toBeLessThan(x);
    expect(Math.min(...barXs('anomaly-bars'))).toBeGreaterThanOrEqual(x);
  });

  it('handles empty, constant, single-class and non-finite inputs', () => {
    checkSvg(errorHistogramSvg([], [], 0.5));
    expect(errorHistogramSvg([], [], 0.5)).toContain('no errors to show');
    checkSvg(errorHistogramSvg([0.2, 0.2, 0.2], [], 0.2));
    checkSvg(errorHistogramSvg([0, 0], [0, 0], 0));
    checkSvg(errorHistogramSvg([1, NaN, Infinity], [2, -Infinity], 1.5));
    const noThreshold = errorHistogramSvg([1, 2], [3], NaN);
    checkSvg(noThreshold);
    expect(noThreshold).not.toContain('class="threshold"');
  });

  it('escapes nothing unsafe and keeps tiny and huge errors readable', () => {
    checkSvg(errorHistogramSvg([1e-9, 2e-9], [5e-9], 3e-9));
    checkSvg(errorHistogramSvg([1e7, 2e7], [5e7], 3e7));
  });
});

describe('rocCurveSvg', () => {
  it('computes ROC points with ties grouped', () => {
    // scores high -> low: 0.9 (anomaly), 0.8 (normal), 0.8 (anomaly), 0.1 (normal)
    expect(rocPoints([0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0])).toEqual([[0, 0], [0, 0.5], [0.5, 1], [1, 1]]);
  });

  it('draws the curve, the chance line, and the AUC in the title', () => {
    const scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1];
    const labels = [1, 1, 0, 1, 0, 0];
    const svg = rocCurveSvg(scores, labels, 0.889);
    checkSvg(svg);
    expect(svg).toContain('ROC curve (AUC = 0.889)');
    expect(svg).toContain('class="roc"');
    expect(svg).toContain('class="chance"');
    expect(svg).toContain('false-positive rate');
  });

  it('handles one class only, no data, NaN scores and a missing AUC', () => {
    for (const svg of [
      rocCurveSvg([0.1, 0.2], [0, 0], NaN),
      rocCurveSvg([], [], undefined),
      rocCurveSvg([NaN, 0.5, Infinity], [1, 0, 1], 0.5),
      rocCurveSvg(new Float32Array([0.3, 0.3]), new Uint8Array([1, 0]), 0.5),
    ]) checkSvg(svg);
    expect(rocCurveSvg([0.1, 0.2], [0, 0], NaN)).toContain('needs both normal and anomalous beats');
    expect(rocCurveSvg([], [])).toContain('AUC = n/a');
  });
});

describe('reconstructionSvg', () => {
  const beat = Float32Array.from({ length: 140 }, (_, i) => Math.sin(i / 10));
  const recon = beat.map((v) => v * 0.9);

  it('draws the original, the reconstruction, the shaded error, and the title (escaped)', () => {
    const svg = reconstructionSvg(beat, recon, 'beat #3 <class 2> & friends');
    checkSvg(svg);
    expect(svg).toContain('class="original"');
    expect(svg).toContain('class="reconstruction"');
    expect(svg).toContain('class="error-area"');
    expect(svg).toContain('beat #3 &lt;class 2&gt; &amp; friends');
  });

  it('handles empty, constant, one-sample and non-finite beats', () => {
    checkSvg(reconstructionSvg(new Float32Array(0), new Float32Array(0), 'empty'));
    checkSvg(reconstructionSvg(new Float32Array(10).fill(1), new Float32Array(10).fill(1), 'flat'));
    checkSvg(reconstructionSvg(new Float32Array([2]), new Float32Array([3]), 'one'));
    checkSvg(reconstructionSvg(new Float32Array([1, NaN, 3]), new Float32Array([Infinity, 2, 2]), 'odd'));
  });

  it('stacks several examples into one SVG', () => {
    const svg = reconstructionsSvg([
      { title: 'normal beat', original: beat, reconstruction: recon },
      { title: 'abnormal beat', original: recon, reconstruction: beat },
    ]);
    checkSvg(svg);
    expect(svg).toContain('height="800"');
    expect(svg).toContain('normal beat');
    expect(svg).toContain('abnormal beat');
    checkSvg(reconstructionsSvg([]));
  });
});

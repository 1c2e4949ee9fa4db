// The report's run details (issue 28 items 3 and 4): the settings table, the saved threshold's
// operating point on the ROC and PR curves, the worst false positives and false negatives, and
// losses on one labelled scale per kind (the VAE's validation loss is its training objective).

import { describe, expect, it } from 'vitest';
import '../../src/index.ts';
import { defaultArchitecture } from '../../src/autoencoders/defaults.ts';
import type { ModelKind } from '../../src/autoencoders/registry.ts';
import { binaryLabels, splitValidation } from '../../src/data/dataset.ts';
import { generateSyntheticEcg } from '../../src/data/synthetic.ts';
import { trainDetector } from '../../src/training/pipeline.ts';
import { reconstructionErrors } from '../../src/detect/scoring.ts';
import { transform } from '../../src/detect/scaler.ts';
import { collectReport, WORST_SHOWN } from '../../src/report/collect.ts';
import { reportHtml } from '../../src/report/html.ts';
import { reportSettings } from '../../src/report/settings.ts';
import { operatingPoint } from '../../src/report/operating-point.ts';
import { rocCurveSvg } from '../../src/report/plots.ts';
import { prCurveSvg } from '../../src/report/evaluation-plots.ts';
import { evaluate } from '../../src/evaluation/metrics.ts';
import { checkSvg } from './svg-check.ts';

const L = 40;
const train = generateSyntheticEcg({ nNormal: 120, nAbnormal: 0, length: L, seed: 'report-train' });
const test = generateSyntheticEcg({ nNormal: 60, nAbnormal: 40, length: L, seed: 'report-test' });

function trained(kind: ModelKind, epochs = 6) {
  return trainDetector(train, {
    architecture: defaultArchitecture(kind, L), scaler: 'minmax', epochs, batchSize: 32, lr: 0.003, patience: 0,
    valFraction: 0.2, threshold: 'p90', normalLabel: '1', seed: 1,
  });
}

describe('report run details', () => {
  const t = trained('dense');
  const detector = t.detector;
  const { scores } = detector.detect(test.beats, test.n);
  const labels = binaryLabels(test, '1');
  const metrics = evaluate(scores, labels, detector.threshold.value, test.labels);
  const manifest = {
    seed: 7, createdWith: 'cardiograd 0.1.0',
    training: { options: { lr: 0.003, batchSize: 32, epochs: 6, backend: 'wasm', threshold: 'p90', lrSchedule: 'constant' }, epochs: 6, trainSeconds: 1.25 },
    data: { files: [{ name: 'X_TRAIN.txt', sha256: 'ab'.repeat(32) }] },
  };
  const inputs = collectReport({
    title: 't', detector, data: 'synthetic', history: t.training.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss ?? undefined })),
    bestEpoch: t.training.bestEpoch, normalLabel: '1', seed: 0, trainErrors: t.trainErrors, beats: test,
    evaluation: { metrics, scores, labels }, settings: reportSettings(manifest),
  });

  it('shows the settings, data checksum, backend and training time', () => {
    const rows = Object.fromEntries(inputs.settings);
    expect(rows).toMatchObject({ 'learning rate': '0.003', 'batch size': '32', seed: '7', backend: 'wasm', 'training time': '1.3 s',
      'epochs (limit / run)': '6 / 6', 'data X_TRAIN.txt sha256': 'ab'.repeat(32) });
    expect(rows.patience).toBe('not recorded');
    const html = reportHtml(inputs);
    expect(html).toContain('<h3>Settings</h3>');
    expect(html).toContain('ab'.repeat(32));
    expect(Object.fromEntries(reportSettings({}))['data checksum']).toBe('not recorded');
  });

  it('marks the saved threshold on the ROC and PR curves at its true rates', () => {
    const op = operatingPoint(scores, labels, detector.threshold.value)!;
    expect(op.tpr).toBeCloseTo(metrics.recall, 12);
    expect(op.precision).toBeCloseTo(metrics.precision, 12);
    expect(op.fpr).toBeCloseTo(metrics.confusion.fp / (metrics.confusion.fp + metrics.confusion.tn), 12);
    const roc = rocCurveSvg(scores, labels, metrics.rocAuc, detector.threshold.value);
    const pr = prCurveSvg(scores, labels, metrics.prAuc, detector.threshold.value);
    for (const svg of [roc, pr]) { checkSvg(svg); expect(svg).toContain('class="operating-point"'); }
    expect(roc).toMatch(/threshold \S+: TPR \S+, FPR \S+/);
    expect(pr).toMatch(/threshold \S+: recall \S+, precision \S+/);
    expect(rocCurveSvg(scores, labels, metrics.rocAuc)).not.toContain('operating-point');
    const html = reportHtml(inputs);
    expect((html.match(/class="operating-point"/g) ?? []).length).toBe(2);
  });

  it('shows the worst false positives and false negatives, worst first', () => {
    const th = detector.threshold.value;
    const idx = Array.from({ length: test.n }, (_, i) => i);
    const fp = idx.filter((i) => !labels[i] && scores[i] > th).sort((a, b) => scores[b] - scores[a]).slice(0, WORST_SHOWN);
    const fn = idx.filter((i) => labels[i] && !(scores[i] > th)).sort((a, b) => scores[a] - scores[b]).slice(0, WORST_SHOWN);
    expect(fp.length + fn.length).toBeGreaterThan(0); // a 6-epoch model on p90 errs somewhere
    const beatOf = (title: string) => Number(/beat #(\d+)/.exec(title)![1]);
    expect(inputs.worst!.falsePositives.map((e) => beatOf(e.title))).toEqual(fp);
    expect(inputs.worst!.falseNegatives.map((e) => beatOf(e.title))).toEqual(fn);
    for (const e of [...inputs.worst!.falsePositives, ...inputs.worst!.falseNegatives]) {
      const r = beatOf(e.title);
      expect(Array.from(e.original)).toEqual(Array.from(test.beats.subarray(r * L, (r + 1) * L)));
    }
    const html = reportHtml(inputs);
    expect(html).toContain('id="worst"');
    expect(html).toMatch(/id="worst-false-(positives|negatives)" class="figure"/);
  });
});

describe('losses on one scale per kind', () => {
  it('VAE: the validation loss is the training objective on held-out beats, on the training loss\'s scale', () => {
    const t = trained('vae', 8);
    const last = t.training.history[t.training.history.length - 1];
    // Before: validation was the per-sample MSE, L (= 40) times smaller than the summed objective.
    expect(last.valLoss! / last.loss).toBeGreaterThan(0.3);
    expect(last.valLoss! / last.loss).toBeLessThan(3);
    const html = reportHtml(collectReport({ title: 'v', detector: t.detector, data: 'd', history: t.training.history.map((h) => ({ ...h, valLoss: h.valLoss ?? undefined })),
      bestEpoch: t.training.bestEpoch, normalLabel: '1', seed: 0, trainErrors: t.trainErrors, beats: train, evaluation: null }));
    expect(html).toContain('Σ squared error + β·KL');
    expect(html).not.toContain('loss (mean squared error)');
  });

  it('dense: the validation loss is the held-out mean squared error, as before', () => {
    const t = trained('dense', 3);
    const last = t.training.history[t.training.history.length - 1];
    expect(t.valErrors).not.toBeNull();
    // The final weights are the last epoch's (patience 0), so the held-out errors now are that epoch's.
    const heldOut = splitValidation(train, 0.2, '1:split').validation; // the pipeline's own seeded split
    expect(heldOut.n).toBe(t.valErrors!.length);
    const errs = reconstructionErrors(t.detector.model, { data: transform(t.detector.scaler, heldOut.beats), n: heldOut.n, length: L });
    expect(last.valLoss!).toBeCloseTo(errs.reduce((a, b) => a + b, 0) / errs.length, 6);
  });
});

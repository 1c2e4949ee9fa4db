// report.html: one self-contained page (inline SVG and CSS, no script, no network) with every
// figure of a trained detector. Opens from disk in any browser. Built from collect.ts's inputs.

import { escapeXml, formatValue } from './svg.ts';
import { errorHistogramSvg, lossCurveSvg, reconstructionsSvg, rocCurveSvg } from './plots.ts';
import { classHistogramsSvg, classRecallSvg, confusionHeatmapSvg, prCurveSvg, sortClasses } from './evaluation-plots.ts';
import { latentScatterSvg } from './latent-plot.ts';
import type { ReportInputs, Separation } from './collect.ts';

const CSS = `
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1340px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.meta { color: #555; } table { border-collapse: collapse; margin: .5rem 0; }
td, th { padding: .25rem .8rem; border-bottom: 1px solid #eee; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.row { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; } figcaption { max-width: 640px; color: #444; font-size: .92rem; margin-top: .3rem; }
svg { max-width: 100%; height: auto; border: 1px solid #eee; }
`;

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

function figure(id: string, svg: string, caption: string): string {
  return `<figure id="${id}" class="figure">\n${svg}<figcaption>${caption}</figcaption>\n</figure>`;
}

function table(rows: [string, string][]): string {
  return `<table>\n${rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td class="num">${escapeXml(v)}</td></tr>`).join('\n')}\n</table>`;
}

function separationText(s: Separation): string {
  return `silhouette ${num(s.silhouette)}, 5-NN accuracy ${pct(s.knnAccuracy)} (normal vs anomaly)`;
}

export function reportHtml(r: ReportInputs): string {
  const body: string[] = [];
  body.push(`<h1>${escapeXml(r.title)}</h1>`);
  body.push(`<p class="meta">model <code>${escapeXml(JSON.stringify(r.architecture))}</code><br>data: ${escapeXml(r.data)}<br>` +
    `threshold ${escapeXml(formatValue(r.threshold.value))} (${escapeXml(r.threshold.method)}); a beat is flagged when its reconstruction error is above it.</p>`);

  // Metrics
  body.push('<h2>Metrics</h2>');
  const last = r.history[r.history.length - 1];
  const best = r.history.find((h) => h.epoch === r.bestEpoch);
  const training: [string, string][] = [
    ['epochs run', String(r.history.length)],
    ['best epoch (weights kept)', String(r.bestEpoch)],
    ['loss', r.lossLabel],
    ['training loss at best epoch', best ? num(best.loss) : 'n/a'],
    ['validation loss at best epoch', best?.valLoss !== undefined ? num(best.valLoss) : 'n/a'],
    ['final training loss', last ? num(last.loss) : 'n/a'],
  ];
  const row = [`<div><h3>Training</h3>${table(training)}</div>`];
  if (r.metrics) {
    const m = r.metrics;
    row.unshift(`<div><h3>Detection on ${escapeXml(r.evaluatedOn ?? '')}</h3>${table([
      ['ROC AUC', num(m.rocAuc)], ['PR AUC (average precision)', num(m.prAuc)], ['F1', num(m.f1)],
      ['precision', num(m.precision)], ['recall', num(m.recall)], ['accuracy', num(m.accuracy)],
      ['threshold', formatValue(m.threshold)],
      ['true positives / false negatives', `${m.confusion.tp} / ${m.confusion.fn}`],
      ['false positives / true negatives', `${m.confusion.fp} / ${m.confusion.tn}`],
    ])}</div>`);
  } else {
    row.unshift('<div><h3>Detection</h3><p>No labelled test beats: evaluate with <code>npm run evaluate -- --model DIR --test FILE --report</code>.</p></div>');
  }
  if (r.settings.length) row.push(`<div><h3>Settings</h3>${table(r.settings)}</div>`);
  body.push(`<div class="row">${row.join('\n')}</div>`);

  // Training
  body.push('<h2>Training</h2>');
  body.push(figure('loss', lossCurveSvg(r.history, r.bestEpoch, `loss: ${r.lossLabel}`),
    `Training loss per epoch on the normal training beats (solid) and the same quantity on the held-out normal beats (dashed): ${escapeXml(r.lossLabel)}. ` +
    'The dotted line marks the epoch whose weights were kept (lowest held-out reconstruction error with early stopping).'));

  // Errors
  body.push('<h2>Reconstruction errors</h2>');
  if (r.scores && r.classes) {
    const groups = sortClasses(r.classes).sort((a, b) => (a === r.normalLabel ? -1 : b === r.normalLabel ? 1 : 0))
      .map((label) => ({ label, errors: r.scores!.filter((_, i) => r.classes![i] === label) }));
    const unscored = r.scores.filter((x) => !Number.isFinite(x)).length;
    body.push(figure('errors-per-class', classHistogramsSvg(groups, r.threshold.value, r.normalLabel),
      (unscored > 0 ? `<strong>${unscored} beats could not be scored (non-finite error): they count as flagged and are not drawn.</strong> ` : '') +
      'Each panel is one class of the labelled set (bars scaled to the panel\'s tallest bin). Normal beats should sit left of the dashed threshold, anomalies right of it; the overlap is where the detector errs.'));
  } else {
    body.push(figure('errors-per-class', errorHistogramSvg(r.trainErrors, [], r.threshold.value),
      'Errors of the normal training beats and the threshold chosen from them (no labelled test beats).'));
  }

  // Curves and confusion
  if (r.scores && r.labels && r.metrics) {
    body.push('<h2>Ranking: ROC and precision-recall</h2>');
    body.push(`<div class="row">${figure('roc', rocCurveSvg(r.scores, r.labels, r.metrics.rocAuc, r.threshold.value),
      'Every threshold at once: the share of anomalies caught against the share of normal beats flagged. AUC = the chance a random anomaly scores above a random normal beat. The ring is the saved threshold.')}
${figure('pr', prCurveSvg(r.scores, r.labels, r.metrics.prAuc, r.threshold.value),
      'Of the beats flagged, how many are anomalies, as the threshold is lowered. The dashed line is a detector that flags at random. The ring is the saved threshold.')}</div>`);
    body.push('<h2>At the chosen threshold</h2>');
    body.push(`<div class="row">${figure('confusion', confusionHeatmapSvg(r.metrics.confusion),
      'Counts of beats by truth (rows) and answer (columns); shading is the share of the row.')}
${figure('per-class', classRecallSvg(r.metrics.byClass, r.normalLabel),
      'Per original class, the share of beats flagged: recall for each anomaly class, the false-alarm rate for the normal class.')}</div>`);
  }

  // Examples
  body.push('<h2>Example reconstructions</h2>');
  body.push(figure('examples', reconstructionsSvg(r.examples),
    'The first beat of each class (blue) and the model\'s reconstruction (dashed orange), in the file\'s units; the shaded gap is the error. The model learned normal beats only, so it redraws anomalies as something more normal.'));

  if (r.worst) {
    body.push('<h2 id="worst">Worst mistakes</h2>');
    const part = (id: string, list: typeof r.worst.falsePositives, none: string, caption: string) =>
      list.length ? figure(id, reconstructionsSvg(list), caption) : `<p id="${id}">${none}</p>`;
    body.push(`<div class="row">${part('worst-false-positives', r.worst.falsePositives, 'No false alarms: no normal beat is above the threshold.',
      'The normal beats with the highest errors that were flagged (false alarms), worst first.')}
${part('worst-false-negatives', r.worst.falseNegatives, 'No missed anomalies: every anomaly is above the threshold.',
      'The anomalies with the lowest errors that were not flagged (missed), worst first.')}</div>`);
  }

  // Latent maps
  if (r.latent) {
    const l = r.latent;
    const s = l.separation;
    body.push(`<h2 id="latent" data-pca-silhouette="${s.pca.silhouette}" data-pca-knn="${s.pca.knnAccuracy}" ` +
      `data-umap-silhouette="${s.umap.silhouette}" data-umap-knn="${s.umap.knnAccuracy}" data-chance="${l.chance}">Latent space</h2>`);
    body.push(`<p>The ${l.codeSize}-number code each beat is compressed to (the VAE: its mean μ), for ${l.classes.length} of ${l.drawnFrom} beats ` +
      '(a seeded sample that keeps at least 30 beats of each rare class), drawn in two dimensions. ' +
      (l.dropped > 0 ? `<strong>${l.dropped} sampled beats have a non-finite code and are not shown.</strong> ` : '') +
      'Separation of normal from anomalous beats on each map: ' +
      `PCA ${separationText(l.separation.pca)}; UMAP ${separationText(l.separation.umap)}; ` +
      `guessing the larger group would score ${pct(l.chance)}.</p>`);
    body.push(`<div class="row">${figure('latent-pca', latentScatterSvg(l.pca, l.classes, r.normalLabel, 'Latent codes: PCA', 'principal component 1', 'principal component 2'),
      `The two directions of largest variance of the codes (linear). ${separationText(l.separation.pca)}.`)}
${figure('latent-umap', latentScatterSvg(l.umap, l.classes, r.normalLabel, 'Latent codes: UMAP', 'UMAP 1', 'UMAP 2'),
      `UMAP (umap-js, seeded) keeps each code\'s nearest neighbours together; distances between clusters mean little. ${separationText(l.separation.umap)}.`)}</div>`);
  }

  return ['<!doctype html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(r.title)}</title>`, `<style>${CSS}</style>`, '</head>', '<body>',
    ...body, '</body>', '</html>', ''].join('\n');
}

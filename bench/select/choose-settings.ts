// Stage 1 of the protocol: which training settings (item 4 of issue 12), per model kind. Each
// variant changes one setting of `train`'s defaults and is trained on the same inner splits; it
// is judged by the inner ROC-AUC (held-out normal beats vs the training set's anomalies), which
// does not depend on the threshold rule (stage 2 fits the rule to whatever settings win). The
// variant with the best WORST-scenario AUC replaces the defaults only when it beats them by at
// least MIN_GAIN (smaller differences are seed noise); otherwise the current defaults stay.

import { defaultArchitecture, trainingDefaults } from '../../src/autoencoders/defaults.ts';
import type { VaeArchitecture } from '../../src/autoencoders/vae.ts';
import type { ScalerKind } from '../../src/detect/scaler.ts';
import type { ModelKind } from '../../src/autoencoders/registry.ts';
import type { Settings } from './inner-split.ts';
import { runInnerSplits } from './choose-rule.ts';
import { innerAuc } from './rules.ts';
import type { Scenario } from './scenarios.ts';
import { fmt, mean } from './stats.ts';

export const MIN_GAIN = 0.002;
/** Validation hold-outs tried: the default's neighbours on this grid (a local search step). */
export const VAL_FRACTION_GRID = [0.05, 0.1, 0.2, 0.3];

export interface Variant { name: string; settings: Settings }

/** The defaults, then one change at a time (values equal to the kind's default are skipped). */
export function variantsFor(kind: ModelKind): Variant[] {
  const d = trainingDefaults(kind);
  const out: Variant[] = [{ name: 'defaults', settings: {} }];
  if (d.patience > 0) out.push({ name: 'no early stopping (patience 0)', settings: { patience: 0 } });
  for (const f of gridNeighbours(VAL_FRACTION_GRID, d.valFraction)) out.push({ name: `val-fraction ${f}`, settings: { valFraction: f } });
  const otherScaler = d.scaler === 'standard' ? 'minmax' : 'standard';
  if (kind !== 'vae') out.push({ name: `${otherScaler} scaler`, settings: { scaler: otherScaler } }); // the VAE's: in betaVariants
  out.push({ name: `${2 * d.epochs} epochs`, settings: { epochs: 2 * d.epochs } });
  for (const lr of [0.001, 0.002, 0.003, 0.005]) if (lr !== d.lr) out.push({ name: `lr ${lr}`, settings: { lr } });
  const otherSchedule = d.lrSchedule === 'constant' ? 'cosine' : 'constant';
  out.push({ name: `${otherSchedule} lr schedule`, settings: { lrSchedule: otherSchedule } });
  if (kind === 'vae') out.push(...betaVariants(d.scaler));
  return out;
}

/** The grid values just below and just above `value` (or the nearest ones when it is off the grid). */
export function gridNeighbours(grid: number[], value: number): number[] {
  const below = grid.filter((g) => g < value).at(-1);
  const above = grid.find((g) => g > value);
  return [below, above].filter((g): g is number => g !== undefined);
}

/** The VAE's KL weights tried, for each scaler (about half-decade steps). */
export const BETA_GRID = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];

/**
 * The VAE's β with each scaler, as joint changes: the reconstruction term is a sum of squared
 * errors in the scaler's units, so the same β weighs the KL term very differently after standard
 * scaling (per-timestep variance 1) and after min-max scaling (values in [0, 1]). One change at a
 * time would judge min-max scaling at a β tuned for the other scaler.
 */
function betaVariants(defaultScaler: ScalerKind): Variant[] {
  const defaultBeta = (defaultArchitecture('vae', 1) as VaeArchitecture).beta;
  const out: Variant[] = [];
  for (const scaler of ['standard', 'minmax'] as const) {
    for (const beta of BETA_GRID) {
      if (scaler === defaultScaler && beta === defaultBeta) continue;
      const architecture = { beta };
      out.push(scaler === defaultScaler ? { name: `β ${beta}`, settings: { architecture } }
        : { name: `${scaler} scaler, β ${beta}`, settings: { scaler, architecture } });
    }
  }
  return out;
}

export interface VariantRow { model: ModelKind; name: string; settings: Settings; auc: Record<string, number>; worstAuc: number; verdict: string }

/** The defaults and the K-th of N interleaved shares of the other variants (1-based K). */
export function variantPart(variants: Variant[], k: number, n: number): Variant[] {
  return variants.filter((_, i) => i === 0 || (i - 1) % n === k - 1);
}

export function compareVariants(scenarios: Scenario[], models: ModelKind[], repeats: number, log: (msg: string) => void,
                                part?: { k: number; n: number }): { rows: VariantRow[]; chosen: Map<ModelKind, VariantRow> } {
  const rows: VariantRow[] = [];
  const chosen = new Map<ModelKind, VariantRow>();
  for (const model of models) {
    const mine: VariantRow[] = [];
    const all = variantsFor(model);
    for (const v of part ? variantPart(all, part.k, part.n) : all) {
      log(`${model}, variant: ${v.name}`);
      const runs = runInnerSplits(scenarios, [model], repeats, () => v.settings, log);
      const auc: Record<string, number> = {};
      for (const sc of scenarios) auc[sc.name] = mean(runs.filter((r) => r.scenario === sc.name).map((r) => innerAuc(r.result)));
      const worstAuc = Math.min(...Object.values(auc));
      mine.push({ model, name: v.name, settings: v.settings, auc, worstAuc, verdict: '' });
      log(`  ${v.name}: inner AUC ${Object.entries(auc).map(([sc, a]) => `${sc} ${fmt(a)}`).join(', ')}; worst ${fmt(worstAuc)}`);
    }
    const base = mine[0];
    const best = mine.reduce((b, r) => (r.worstAuc > b.worstAuc ? r : b));
    const winner = best !== base && best.worstAuc - base.worstAuc >= MIN_GAIN ? best : base;
    for (const r of mine) {
      const gain = r.worstAuc - base.worstAuc;
      r.verdict = r === winner ? (r === base ? 'kept' : 'CHOSEN') : r === base ? 'replaced' : `${gain >= 0 ? '+' : ''}${fmt(gain)}`;
    }
    chosen.set(model, winner);
    rows.push(...mine);
  }
  return { rows, chosen };
}

export function formatVariantTable(rows: VariantRow[]): string {
  const scenarios = Object.keys(rows[0].auc);
  return [
    `| model | variant | worst AUC | ${scenarios.join(' | ')} | vs defaults |`,
    `|---|---|---|${scenarios.map(() => '---').join('|')}|---|`,
    ...rows.map((r) => `| ${r.model} | ${r.name} | ${fmt(r.worstAuc)} | ${scenarios.map((s) => fmt(r.auc[s])).join(' | ')} | ${r.verdict} |`),
  ].join('\n');
}

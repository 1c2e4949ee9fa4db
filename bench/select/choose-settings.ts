// Stage 1 of the protocol: which training settings (item 4 of issue 12), per model kind. Each
// variant changes one setting of `train`'s defaults and is trained on the same inner splits; it
// is judged by the inner ROC-AUC (held-out normal beats vs the training set's anomalies), which
// does not depend on the threshold rule (stage 2 fits the rule to whatever settings win). The
// variant with the best WORST-scenario AUC replaces the defaults only when it beats them by at
// least MIN_GAIN (smaller differences are seed noise); otherwise the current defaults stay.

import { trainingDefaults } from '../../src/autoencoders/defaults.ts';
import type { ModelKind } from '../../src/autoencoders/registry.ts';
import type { Settings } from './inner-split.ts';
import { runInnerSplits } from './choose-rule.ts';
import { innerAuc } from './rules.ts';
import type { Scenario } from './scenarios.ts';
import { fmt, mean } from './stats.ts';

export const MIN_GAIN = 0.002;
/** `train`'s defaults that are CLI flags rather than per-kind training defaults. */
export const CLI_DEFAULTS = { valFraction: 0.1 };

export interface Variant { name: string; settings: Settings }

/** The defaults, then one change at a time (values equal to the kind's default are skipped). */
export function variantsFor(kind: ModelKind): Variant[] {
  const d = trainingDefaults(kind);
  const out: Variant[] = [{ name: 'defaults', settings: {} }];
  if (d.patience > 0) out.push({ name: 'no early stopping (patience 0)', settings: { patience: 0 } });
  for (const f of [0.05, 0.2]) if (f !== CLI_DEFAULTS.valFraction) out.push({ name: `val-fraction ${f}`, settings: { valFraction: f } });
  const otherScaler = d.scaler === 'standard' ? 'minmax' : 'standard';
  out.push({ name: `${otherScaler} scaler`, settings: { scaler: otherScaler } });
  out.push({ name: `${2 * d.epochs} epochs`, settings: { epochs: 2 * d.epochs } });
  for (const lr of [0.001, 0.002, 0.003, 0.005]) if (lr !== d.lr) out.push({ name: `lr ${lr}`, settings: { lr } });
  return out;
}

export interface VariantRow { model: ModelKind; name: string; settings: Settings; auc: Record<string, number>; worstAuc: number; verdict: string }

export function compareVariants(scenarios: Scenario[], models: ModelKind[], repeats: number,
                                log: (msg: string) => void): { rows: VariantRow[]; chosen: Map<ModelKind, VariantRow> } {
  const rows: VariantRow[] = [];
  const chosen = new Map<ModelKind, VariantRow>();
  for (const model of models) {
    const mine: VariantRow[] = [];
    for (const v of variantsFor(model)) {
      log(`${model}, variant: ${v.name}`);
      const runs = runInnerSplits(scenarios, [model], repeats, () => v.settings, log);
      const auc: Record<string, number> = {};
      for (const sc of scenarios) auc[sc.name] = mean(runs.filter((r) => r.scenario === sc.name).map((r) => innerAuc(r.result)));
      mine.push({ model, name: v.name, settings: v.settings, auc, worstAuc: Math.min(...Object.values(auc)), verdict: '' });
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

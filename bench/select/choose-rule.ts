// Stage 2 of the protocol: which threshold rule, for the settings stage 1 chose. Every candidate rule is applied to the same
// inner splits (scenarios x models x repeats); a rule's score in a scenario is its mean inner
// F1 there. The default has to hold on every split, so rules are first judged by their WORST
// scenario; differences smaller than TIE_TOLERANCE are noise (one rule's F1 moves by about 0.01
// between training seeds), and among the rules that close to the best worst case the one with
// the best mean F1 over scenarios wins.

import type { ModelKind } from '../../src/autoencoders/registry.ts';
import { candidateRules, scoreThreshold, type InnerScore } from './rules.ts';
import { runInnerSplit, type InnerResult, type Settings } from './inner-split.ts';
import type { Scenario } from './scenarios.ts';
import { fmt, mean, pct } from './stats.ts';

export interface InnerRun { scenario: string; model: ModelKind; repeat: number; result: InnerResult }

/**
 * Inner runs already trained in this process, by scenario, model, settings and repeat: a run is
 * seeded, so stage 2 reuses the runs stage 1 made for the settings it chose instead of training
 * them again.
 */
const trainedRuns = new Map<string, InnerResult>();

export function runInnerSplits(scenarios: Scenario[], models: ModelKind[], repeats: number,
                               settings: (model: ModelKind) => Settings, log: (msg: string) => void): InnerRun[] {
  const runs: InnerRun[] = [];
  for (const sc of scenarios) {
    for (const model of models) {
      for (let repeat = 0; repeat < repeats; repeat++) {
        const key = JSON.stringify([sc.name, sc.train.n, model, settings(model), repeat]);
        let result = trainedRuns.get(key);
        if (!result) {
          result = runInnerSplit(sc.train, model, settings(model), repeat);
          trainedRuns.set(key, result);
          log(`  ${sc.name} ${model} repeat ${repeat}: ${result.fitErrors.length} fitted, ${result.heldOutNormal.length} held-out normal, ` +
              `${result.anomalies.length} anomalies, ${result.epochs} epochs, ${result.seconds.toFixed(1)} s`);
        }
        runs.push({ scenario: sc.name, model, repeat, result });
      }
    }
  }
  return runs;
}

export const TIE_TOLERANCE = 0.005;

export interface RuleRow { rule: string; byScenario: Record<string, InnerScore>; worstF1: number; meanF1: number }

export function rankRules(runs: InnerRun[]): RuleRow[] {
  const scenarios = [...new Set(runs.map((r) => r.scenario))];
  const rows: RuleRow[] = [];
  for (const rule of candidateRules()) {
    const byScenario: Record<string, InnerScore> = {};
    let applicable = true;
    for (const sc of scenarios) {
      const scores: InnerScore[] = [];
      for (const run of runs.filter((r) => r.scenario === sc)) {
        const t = rule.threshold(run.result);
        if (t === null) { applicable = false; break; }
        scores.push(scoreThreshold(run.result, t));
      }
      if (!applicable) break;
      byScenario[sc] = { falseAlarms: mean(scores.map((s) => s.falseAlarms)), recall: mean(scores.map((s) => s.recall)), f1: mean(scores.map((s) => s.f1)) };
    }
    if (!applicable) continue;
    const f1s = Object.values(byScenario).map((s) => s.f1);
    rows.push({ rule: rule.name, byScenario, worstF1: Math.min(...f1s), meanF1: mean(f1s) });
  }
  rows.sort((a, b) => b.worstF1 - a.worstF1 || b.meanF1 - a.meanF1);
  return rows;
}

/** The winner: best mean F1 among the rules whose worst-scenario F1 is within TIE_TOLERANCE of the best. */
export function chooseRule(ranked: RuleRow[]): RuleRow {
  const nearBest = ranked.filter((r) => r.worstF1 >= ranked[0].worstF1 - TIE_TOLERANCE);
  return nearBest.reduce((best, r) => (r.meanF1 > best.meanF1 ? r : best));
}

export function formatRuleTable(rows: RuleRow[]): string {
  const scenarios = Object.keys(rows[0]?.byScenario ?? {});
  const head = `| rule | worst F1 | mean F1 | ${scenarios.map((s) => `${s} F1 / false alarms / recall`).join(' | ')} |`;
  const sep = `|---|---|---|${scenarios.map(() => '---').join('|')}|`;
  const body = rows.map((r) => `| ${r.rule} | ${fmt(r.worstF1, 3)} | ${fmt(r.meanF1, 3)} | ` +
    scenarios.map((s) => `${fmt(r.byScenario[s].f1, 3)} / ${pct(r.byScenario[s].falseAlarms)} / ${pct(r.byScenario[s].recall)}`).join(' | ') + ' |');
  return [head, sep, ...body].join('\n');
}

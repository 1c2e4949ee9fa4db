// Where `monitor` writes (--out DIR's files, --export-beats FILE), checked before any work: a
// bad path is found in a second, not after a 24-hour record. An output never replaces an input
// of the run (the record's own files, the annotations, the model), even with --force, and never
// replaces an existing file unless --force says so.

import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './args.ts';

/** The files --out DIR holds after a run. */
export const OUT_FILES = ['trend.svg', 'flagged.svg', 'report.html', 'summary.json', 'beats.atr'] as const;

export interface OutputPlan {
  record: string;
  annotations: string | null;
  model: string | null;
  outDir: string | null;
  exportFile: string | null;
  force: boolean;
}

/** The path with its folder resolved through links (the file itself may not exist yet). */
function canonical(p: string): string {
  const abs = path.resolve(p);
  try { return realpathSync(abs); } catch { /* not there yet */ }
  try { return path.join(realpathSync(path.dirname(abs)), path.basename(abs)); } catch { return abs; }
}

/**
 * Why `file` is an input of the run, or null. The record's files are every file of its folder
 * named RECORD.* (header, signal files, reference annotations: 100.hea, 100.dat, 100.atr).
 */
function inputReason(file: string, plan: OutputPlan): string | null {
  const target = canonical(file);
  if (plan.record !== '-') {
    const rec = canonical(plan.record);
    const stem = path.basename(rec).replace(/\.(hea|dat|edf|csv|txt|tsv)$/i, '');
    if (target === rec || (path.dirname(target) === path.dirname(rec) && path.basename(target).startsWith(`${stem}.`))) {
      return `a file of the record ${plan.record}`;
    }
  }
  if (plan.annotations !== null && target === canonical(plan.annotations)) return 'the --annotations file';
  if (plan.model !== null) {
    const model = canonical(plan.model);
    if (target === model || target.startsWith(model + path.sep)) return 'inside the --model folder';
  }
  return null;
}

/** Throws a UserError (exit 2) naming the path and the problem; returns when every output may be written. */
export function checkOutputs(plan: OutputPlan): void {
  const targets: { file: string; flag: string }[] = [];
  if (plan.outDir !== null) {
    if (existsSync(plan.outDir) && !statSync(plan.outDir).isDirectory()) throw new UserError(`--out ${plan.outDir} is a file, not a folder`, 2);
    for (const name of OUT_FILES) targets.push({ file: path.join(plan.outDir, name), flag: '--out' });
  }
  if (plan.exportFile !== null) {
    const dir = path.dirname(path.resolve(plan.exportFile));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--export-beats ${plan.exportFile}: no folder ${dir}`, 2);
    if (existsSync(plan.exportFile) && statSync(plan.exportFile).isDirectory()) throw new UserError(`--export-beats ${plan.exportFile} is a folder, not a file`, 2);
    targets.push({ file: plan.exportFile, flag: '--export-beats' });
  }
  const seen = new Map<string, string>();
  for (const { file, flag } of targets) {
    const key = canonical(file);
    if (seen.has(key)) throw new UserError(`${flag} ${file} is also written by ${seen.get(key)}: choose another path`, 2);
    seen.set(key, flag);
    const why = inputReason(file, plan);
    if (why) throw new UserError(`${flag}: ${file} is ${why}; an output never replaces an input`, 2);
  }
  if (plan.force) return;
  const existing = targets.filter((t) => existsSync(t.file)).map((t) => t.file);
  if (existing.length > 0) {
    throw new UserError(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}: pass --force to replace ${existing.length === 1 ? 'it' : 'them'}, or choose another path`, 2);
  }
}

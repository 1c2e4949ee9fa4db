// Reference beat annotations for evaluation, from the text forms MIT-BIH ships:
//   `rdann` listings (NNN.ann.txt): "Time  Sample #  Type  Sub Chan  Num  Aux", one annotation a
//     line; beat symbols map to AAMI classes, other annotations (rhythm, noise '~', '+') are skipped;
//   NNN.beats.csv ("sample,pvc"): V or not V only, so supraventricular statistics are unknown.
// Errors name the file, the line and the field.

import { aamiClassOfSymbol, PACED_SYMBOLS, type BeatClass } from './beat-class.ts';

export interface ReferenceAnnotations {
  /** R-peak sample of each reference beat, increasing. */
  samples: Int32Array;
  classes: BeatClass[];
  /** False when the source tells V from not-V only (beats.csv): S, F and Q are unknown, non-V beats read as N. */
  knowsAllClasses: boolean;
  /** True when any beat is paced ('/' or 'f'). */
  paced: boolean;
  source: string;
}

/** Parses an rdann text listing. */
export function parseRdannText(text: string, source: string): ReferenceAnnotations {
  const lines = text.split(/\r?\n/);
  const samples: number[] = [], classes: BeatClass[] = [];
  let paced = false, sawHeader = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (!sawHeader && /^time\b/i.test(line)) { sawHeader = true; continue; }
    const f = line.split(/\s+/);
    if (f.length < 3) throw new Error(`${source}:${i + 1}: expected "Time Sample# Type ...", got "${line}"`);
    const sample = Number(f[1]);
    if (!/^\d+$/.test(f[1]) || !Number.isSafeInteger(sample)) throw new Error(`${source}:${i + 1}: field "Sample #" is "${f[1]}", not a non-negative integer`);
    const cls = aamiClassOfSymbol(f[2]);
    if (cls === null) continue;
    if (samples.length > 0 && sample < samples[samples.length - 1]) {
      throw new Error(`${source}:${i + 1}: field "Sample #" ${sample} is before the previous beat (${samples[samples.length - 1]})`);
    }
    if (PACED_SYMBOLS.has(f[2])) paced = true;
    samples.push(sample); classes.push(cls);
  }
  if (samples.length === 0) throw new Error(`${source}: no beat annotations`);
  return { samples: Int32Array.from(samples), classes, knowsAllClasses: true, paced, source };
}

/** Parses NNN.beats.csv ("sample,pvc"): pvc 1 -> V, 0 -> N (other classes unknown). */
export function parseBeatsCsv(text: string, source: string): ReferenceAnnotations {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().toLowerCase().replace(/\s/g, '');
  if (header !== 'sample,pvc') throw new Error(`${source}:1: expected the header "sample,pvc", got "${lines[0] ?? ''}"`);
  const samples: number[] = [], classes: BeatClass[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const f = line.split(',');
    if (f.length !== 2) throw new Error(`${source}:${i + 1}: expected 2 fields (sample,pvc), got ${f.length}`);
    const v = Number(f[0]);
    if (!/^\s*\d+\s*$/.test(f[0]) || !Number.isSafeInteger(v)) throw new Error(`${source}:${i + 1}: field "sample" is "${f[0]}", not a non-negative integer`);
    if (samples.length > 0 && v <= samples[samples.length - 1]) throw new Error(`${source}:${i + 1}: field "sample" ${v} is not after the previous beat (${samples[samples.length - 1]})`);
    const p = f[1].trim();
    if (p !== '0' && p !== '1') throw new Error(`${source}:${i + 1}: field "pvc" is "${f[1]}", expected 0 or 1`);
    samples.push(v); classes.push(p === '1' ? 'V' : 'N');
  }
  if (samples.length === 0) throw new Error(`${source}: no beats`);
  return { samples: Int32Array.from(samples), classes, knowsAllClasses: false, paced: false, source };
}

// Reads reference beat annotations from any of the forms PhysioNet ships, chosen by extension:
// a WFDB annotation file (.atr or any other name that is not text), the rdann listing (.ann.txt,
// .txt) or the "sample,pvc" CSV (.csv).

import { readFileSync } from 'node:fs';
import { aamiClassOfSymbol, PACED_SYMBOLS, type BeatClass } from '../monitor/beat-class.ts';
import { parseBeatsCsv, parseRdannText, type ReferenceAnnotations } from '../monitor/reference-annotations.ts';
import { decodeAnnotations, type Annotation } from './wfdb-annotations.ts';

/** Beat annotations (non-beat labels such as rhythm '+' and noise '~' skipped) as a reference. */
export function referenceFromAnnotations(list: readonly Annotation[], source: string): ReferenceAnnotations {
  const samples: number[] = [], classes: BeatClass[] = [];
  let paced = false;
  for (const a of list) {
    const cls = aamiClassOfSymbol(a.symbol);
    if (cls === null) continue;
    if (PACED_SYMBOLS.has(a.symbol)) paced = true;
    samples.push(a.sample); classes.push(cls);
  }
  if (samples.length === 0) throw new Error(`${source}: no beat annotations`);
  return { samples: Int32Array.from(samples), classes, knowsAllClasses: true, paced, source };
}

export function readReferenceFile(file: string): ReferenceAnnotations {
  if (/\.csv$/i.test(file)) return parseBeatsCsv(readFileSync(file, 'utf8'), file);
  if (/\.txt$/i.test(file)) return parseRdannText(readFileSync(file, 'utf8'), file);
  return referenceFromAnnotations(decodeAnnotations(new Uint8Array(readFileSync(file)), file), file);
}

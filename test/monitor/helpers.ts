// Shared paths and loaders for the monitor tests: the three MIT-BIH records in ../shared.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseBeatAnnotations, type ReferenceBeats } from '../../src/monitor/annotation-eval.ts';

export const MITDB = fileURLToPath(new URL('../../../shared/data/mitdb', import.meta.url));

export function reference(record: string): ReferenceBeats {
  const file = path.join(MITDB, `${record}.beats.csv`);
  return parseBeatAnnotations(readFileSync(file, 'utf8'), file);
}
